# A DOI with no 10. prefix.
# expect: Violation ekgsh:SourceDocumentShape kg:jhaveri-2025-nejm
DELETE WHERE { kg:jhaveri-2025-nejm bibo:doi ?old } ;
INSERT DATA { kg:jhaveri-2025-nejm bibo:doi "NEJMoa2410858" }
