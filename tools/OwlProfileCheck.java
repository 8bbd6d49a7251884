// Check that an RDF file is an OWL 2 DL ontology, with the OWL API's profile checker.
//
// Usage: java -cp '/usr/share/java/*' tools/OwlProfileCheck.java FILE
// (Debian: apt-get install libowlapi-java default-jdk-headless; `make owlapi` does it.)
// Prints one line per violation of the OWL 2 DL profile; exit 0 when there is none,
// 1 when there are, 2 when the file does not load.

import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyCreationException;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfileCheck {
    public static void main(String[] args) {
        OWLOntology ontology;
        try {
            ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(new File(args[0]));
        } catch (OWLOntologyCreationException exc) {
            System.out.println("error: " + args[0] + ": does not load: " + exc.getMessage().lines().findFirst().orElse(""));
            System.exit(2);
            return;
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
        for (OWLProfileViolation violation : report.getViolations()) {
            System.out.println(violation.toString().lines().findFirst().orElse(""));
        }
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
