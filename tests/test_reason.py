"""HermiT through owlready2: what it infers, how inconsistency and missing Java are reported.

``tests/data/reason/expected-inferences.tsv`` lists inferences the packaged dataset must
yield (and must not assert); each file of ``tests/data/reason/inconsistent/`` is added to
the packaged dataset, and its ``# expect:`` line lists the terms the explanation names.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph, URIRef
from rdflib.namespace import NamespaceManager

from conftest import CLI, DATA, curie, packaged_reasoning, run_cli, with_fixture
from ember3kg.cli import main
from ember3kg.errors import InconsistentError, ReasonerUnavailableError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_dataset, load_part, part_names, union_graph
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.reasoning.reason import (
    INFERRED_GRAPH,
    ReasoningReport,
    asserted_input,
    load_world,
    reason,
    reasoning_input,
    with_inferred,
)
from ember3kg.vocab.namespaces import EKG, KG

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = [pytest.mark.java, pytest.mark.xdist_group("reason")]

REASON_DATA = DATA / "reason"
INCONSISTENT = sorted((REASON_DATA / "inconsistent").glob("*.ttl"))
# Found by bisection: several reasoner runs.
SLOW_INCONSISTENT = {"two-arm-sizes"}
DRUG_CLASSES = {
    KG["drug-imlunestrant"]: EKG.SelectiveEstrogenReceptorDegrader,
    KG["drug-fulvestrant"]: EKG.SelectiveEstrogenReceptorDegrader,
    KG["drug-abemaciclib"]: EKG.Cdk46Inhibitor,
    KG["drug-exemestane"]: EKG.AromataseInhibitor,
}


def expand(text: str) -> URIRef:
    """Expand a CURIE of the project prefixes."""
    manager = NamespaceManager(Graph())
    for prefix, namespace in (("ekg", EKG), ("kg", KG)):
        manager.bind(prefix, namespace)
    return manager.expand_curie(text)


def expected_inferences() -> list[tuple[URIRef, URIRef, URIRef]]:
    """Read the rows of expected-inferences.tsv as IRIs."""
    rows = []
    for line in (REASON_DATA / "expected-inferences.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rows.append(tuple(expand(term) for term in line.split("\t")))
    return rows


@pytest.fixture(scope="module")
def report() -> ReasoningReport:
    return packaged_reasoning()


@pytest.mark.parametrize("triple", expected_inferences(), ids=lambda triple: " ".join(map(curie, map(str, triple))))
def test_reasoner_infers_what_is_not_asserted(triple: tuple[URIRef, URIRef, URIRef], report: ReasoningReport) -> None:
    assert triple not in union_graph(load_dataset())
    assert triple in report.graph()


@pytest.mark.parametrize("drug", sorted(DRUG_CLASSES), ids=curie)
def test_drug_class_is_inferred_with_labels(drug: URIRef, report: ReasoningReport) -> None:
    drug_classes = {
        inference.object_label
        for inference in report.memberships
        if inference.subject == drug and inference.object == DRUG_CLASSES[drug]
    }

    assert len(drug_classes) == 1
    assert next(iter(drug_classes)) in {
        "selective estrogen receptor degrader",
        "CDK4/6 inhibitor",
        "aromatase inhibitor",
    }


def test_packaged_dataset_is_consistent_and_satisfiable(report: ReasoningReport) -> None:
    assert report.unsatisfiable == ()


def test_unsatisfiable_class_is_reported() -> None:
    report = reason(with_fixture(REASON_DATA / "unsatisfiable.ttl"))

    assert report.unsatisfiable == (EKG.DrugArm,)
    assert "unsatisfiable classes: 1\n  ekg:DrugArm\n" in report.format_text()


def test_inferred_graph_holds_only_types_and_subclass_links_between_iris(report: ReasoningReport) -> None:
    graph = report.graph()

    assert graph.identifier == INFERRED_GRAPH
    assert {predicate for _, predicate, _ in graph} == {RDF.type, RDFS.subClassOf}
    assert all(isinstance(term, URIRef) for triple in graph for term in triple)


def test_reasoning_input_drops_dates_only() -> None:
    union = union_graph(load_dataset())

    dropped = set(union) - set(reasoning_input(union))

    assert dropped
    assert {str(value.datatype).rsplit("#", 1)[-1] for _, _, value in dropped} <= {"date", "gYear", "gYearMonth"}


@pytest.mark.parametrize(
    "data",
    [with_entailment(RdfInput.packaged()), RdfInput.from_rdflib(load_dataset())],
    ids=["parsed-quads-with-entailment", "rdflib-dataset"],
)
def test_the_asserted_input_is_the_reasoning_input_of_the_union_without_the_entailment_graph(data: RdfInput) -> None:
    expected = reasoning_input(RdfInput.from_rdflib(load_dataset()).union())

    asserted = asserted_input(data)

    assert set(asserted) == set(expected)
    assert len(asserted) < len(data.union())


@pytest.mark.parametrize(
    ("declaration", "owlready_kind"),
    [
        (OWL.Class, "ThingClass"),
        (OWL.ObjectProperty, "ObjectPropertyClass"),
        (OWL.DatatypeProperty, "DataPropertyClass"),
        (OWL.AnnotationProperty, "AnnotationPropertyClass"),
    ],
    ids=lambda value: curie(str(value)) if isinstance(value, URIRef) else value,
)
def test_owlready2_loads_every_ontology_term_as_its_declared_kind(declaration: URIRef, owlready_kind: str) -> None:
    import owlready2

    ontology = Graph()
    for name in part_names("ontology"):
        ontology += load_part(name)
    world = load_world(reasoning_input(ontology))

    wrong = {
        curie(str(term)): type(world[str(term)]).__name__
        for term in ontology.subjects(RDF.type, declaration)
        if isinstance(term, URIRef) and not isinstance(world[str(term)], getattr(owlready2, owlready_kind))
    }

    assert wrong == {}


@pytest.mark.parametrize(
    "path",
    [pytest.param(path, marks=pytest.mark.slow) if path.stem in SLOW_INCONSISTENT else path for path in INCONSISTENT],
    ids=lambda path: path.stem,
)
def test_inconsistent_input_names_the_entities(path: Path) -> None:
    expected = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert expected, f"{path.name} has no '# expect:' line"

    with pytest.raises(InconsistentError) as caught:
        reason(with_fixture(path))

    assert caught.value.exit_code == 1
    assert set(expected.group(1).split()) <= set(re.findall(r"\b(?:ekg|kg):[\w-]+", str(caught.value)))


def test_missing_java_is_reported_with_an_install_hint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(ReasonerUnavailableError, match="apt-get install default-jre-headless") as caught:
        reason(RdfInput.packaged())

    assert caught.value.exit_code == 2


def test_export_with_inferred_adds_one_named_graph(report: ReasoningReport) -> None:
    dataset = load_dataset()

    materialised = with_inferred(RdfInput.from_rdflib(dataset)).dataset()

    graphs = {context.identifier: len(context) for context in materialised.graphs() if len(context)}
    assert graphs == {
        **{context.identifier: len(context) for context in dataset.graphs() if len(context)},
        INFERRED_GRAPH: len(report.graph()),
    }


@pytest.mark.slow
def test_cli_reason_output_holds_the_drug_classes(tmp_path: Path) -> None:
    result = run_cli("reason", "--output", "inferred.ttl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    written = Graph().parse(tmp_path / "inferred.ttl")
    assert {(drug, RDF.type, cls) for drug, cls in DRUG_CLASSES.items()} <= set(written)
    assert "imlunestrant (kg:drug-imlunestrant) -> selective estrogen receptor degrader" in result.stdout.decode()


@pytest.mark.slow
def test_cli_export_inferred_answers_which_drugs_are_serds(tmp_path: Path) -> None:
    output = tmp_path / "materialised.nq"

    result = run_cli("export", "--inferred", "--format", "nq", "--output", str(output))

    assert result.returncode == 0, result.stderr.decode()
    dataset = Dataset().parse(output, format="nquads")
    serds = {
        row[0]
        for row in dataset.query(
            "SELECT ?drug WHERE { GRAPH ?g { ?drug a ?class } }",
            initBindings={"class": EKG.SelectiveEstrogenReceptorDegrader},
        )
    }
    # Only drugs whose mechanism a read source states: the titles of EMERALD and AMEERA-3 call theirs degraders.
    assert serds == {KG["drug-imlunestrant"], KG["drug-fulvestrant"], KG["drug-elacestrant"], KG["drug-amcenestrant"]}
    assert len(dataset.graph(INFERRED_GRAPH)) > 0


@pytest.mark.slow
def test_cli_inconsistent_input_exits_1_naming_the_node(tmp_path: Path) -> None:
    dataset_file = tmp_path / "dataset.nq"
    assert run_cli("export", "--format", "nq", "--output", str(dataset_file)).returncode == 0

    result = run_cli("reason", str(dataset_file), str(REASON_DATA / "inconsistent" / "drug-typed-as-arm.ttl"))

    assert result.returncode == 1
    stderr = result.stderr.decode()
    assert stderr.startswith("error: the ontology and data are inconsistent: kg:drug-abemaciclib is member of ekg:")
    assert stderr.count("\n") == 1


@pytest.mark.slow
def test_cli_without_java_exits_2_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}

    result = subprocess.run([str(CLI), "reason"], env=env, capture_output=True, check=False, timeout=300)

    assert result.returncode == 2
    assert result.stderr.decode() == (
        "error: the HermiT reasoner needs Java and no 'java' is on the PATH: apt-get install default-jre-headless\n"
    )


def test_unknown_output_suffix_fails_before_reasoning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exit_code = main(["reason", "--output", str(tmp_path / "inferred.xyz")])

    assert exit_code == 2
    assert capsys.readouterr().err.startswith(f"error: {tmp_path / 'inferred.xyz'}: unknown RDF format '.xyz'")


@pytest.mark.slow
def test_cli_build_inferred_adds_the_inferred_graph(tmp_path: Path) -> None:
    result = run_cli("build", "--inferred", "--output-dir", str(tmp_path))

    assert result.returncode == 0, result.stderr.decode()
    dataset = Dataset().parse(tmp_path / "ember3kg.nq", format="nquads")
    inferred = dataset.graph(INFERRED_GRAPH)
    assert {(drug, RDF.type, cls) for drug, cls in DRUG_CLASSES.items()} <= set(inferred)


# --- OWL 2 DL as published ----------------------------------------------------------

#: The OWL API's profile checker, run by Java's source-file launcher on Debian's jars.
PROFILE_CHECK = Path(__file__).parent.parent / "tools" / "OwlProfileCheck.java"
OWLAPI_JARS = Path("/usr/share/java")


def _owlapi_java() -> str:
    """Find the ``java`` that runs the OWL API profile checker; skip, saying why, where it cannot."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on the PATH: make owlapi installs it")
    if not (OWLAPI_JARS / "owlapi-distribution.jar").exists():
        pytest.skip("the OWL API is not installed: make owlapi (apt-get install libowlapi-java)")
    modules = subprocess.run([java, "--list-modules"], capture_output=True, text=True, check=False).stdout
    if "jdk.compiler" not in modules:
        pytest.skip("java runs no source file without a JDK: make owlapi (apt-get install default-jdk-headless)")
    return java


def _profile_violations(path: Path) -> tuple[int, list[str]]:
    """Run the OWL 2 DL profile check on ``path``: its exit code and the violations it prints."""
    result = subprocess.run(
        [_owlapi_java(), "-cp", f"{OWLAPI_JARS}/*", str(PROFILE_CHECK), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return result.returncode, result.stdout.splitlines()


@pytest.mark.slow
def test_ontology_file_alone_is_owl2_dl() -> None:
    ontology_file = Path(str(files("ember3kg.ontology").joinpath("ember3kg.ttl")))

    assert _profile_violations(ontology_file) == (0, [])


@pytest.mark.slow
def test_exported_dump_is_owl2_dl(tmp_path: Path) -> None:
    dump = tmp_path / "ember3kg.ttl"
    assert run_cli("export", "--format", "ttl", "--output", str(dump)).returncode == 0

    assert _profile_violations(dump) == (0, [])


def test_profile_check_reports_a_date_valued_data_property(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<https://example.org/o> a owl:Ontology .\n"
        "<https://example.org/p> a owl:DatatypeProperty .\n"
        '<https://example.org/x> <https://example.org/p> "2025-01-01"^^xsd:date .\n',
        encoding="utf-8",
    )

    code, violations = _profile_violations(bad)

    assert code == 1
    assert any(line.startswith("Use of undeclared datatype: xsd:date") for line in violations), violations


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_loads_the_exported_dump_as_it_is(tmp_path: Path) -> None:
    import owlready2

    dump = tmp_path / "ember3kg.nt"
    assert run_cli("export", "--format", "nt", "--output", str(dump)).returncode == 0
    world = owlready2.World()
    world.get_ontology(dump.as_uri()).load(format="ntriples")

    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)

    serds = {individual.iri for individual in world[str(EKG.SelectiveEstrogenReceptorDegrader)].instances()}
    assert {str(KG["drug-imlunestrant"]), str(KG["drug-fulvestrant"])} <= serds
