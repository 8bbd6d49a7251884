"""The one input layer: packaged dataset, RDF files, standard input, an endpoint; and the exit code table."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import XSD, Dataset, Graph, Literal, URIRef

from conftest import DATA
from ember3kg.cli import cli, main
from ember3kg.errors import EXIT_CODES, InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.export import serialize
from ember3kg.publish.stats import compute_stats
from ember3kg.vocab.namespaces import GRAPH

README = Path(__file__).parent.parent / "README.md"

TRIPLE = '<urn:example:a> <urn:example:b> "0.60"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'


def test_packaged_input_is_read_once_and_shared() -> None:
    first, second = RdfInput.packaged(), RdfInput.packaged()

    assert first is second
    assert first.store() is second.store()
    assert len(first.dataset().graph(GRAPH["ontology"])) > 0


def test_a_triple_file_becomes_the_graph_of_its_uri() -> None:
    path = DATA / "blank-nodes.ttl"

    dataset = RdfInput.read([path]).dataset()

    assert [str(graph.identifier) for graph in dataset.graphs() if len(graph)] == [path.resolve().as_uri()]


def test_a_quad_file_keeps_its_named_graphs(tmp_path: Path) -> None:
    path = tmp_path / "two.nq"
    path.write_text("<urn:x:s> <urn:x:p> <urn:x:o> <urn:x:g1> .\n<urn:x:s> <urn:x:p> <urn:x:o2> <urn:x:g2> .\n")

    data = RdfInput.read([path])

    assert sorted(str(g.identifier) for g in data.dataset().graphs() if len(g)) == ["urn:x:g1", "urn:x:g2"]
    assert len(data.store()) == 2


def test_standard_input_is_read_in_the_format_named() -> None:
    data = RdfInput.read(["-"], input_format="nt", stdin=io.BytesIO(TRIPLE.encode()))

    graph = data.dataset().graph(URIRef("file:///dev/stdin"))
    # The rdflib view keeps the printed precision; Oxigraph's store would write 0.6.
    assert list(graph.objects()) == [Literal("0.60", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))]


def test_standard_input_without_a_format_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^standard input has no file suffix: name its RDF format$"):
        RdfInput.read(["-"], stdin=io.BytesIO(b""))


def test_the_format_option_overrides_the_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_text(TRIPLE)

    assert len(RdfInput.read([path], input_format="nt").store()) == 1


def test_a_missing_file_is_one_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"absent\.ttl: no such file$"):
        RdfInput.read([tmp_path / "absent.ttl"])


def test_an_endpoint_has_no_local_data() -> None:
    remote = RdfInput.remote("http://127.0.0.1:9/query")

    assert remote.endpoint == "http://127.0.0.1:9/query"
    with pytest.raises(InputError, match="can only be asked questions"):
        remote.store()


def test_stats_reads_standard_input_through_the_cli() -> None:
    result = CliRunner().invoke(cli, ["stats", "--json", "--input-format", "nt", "-"], input=TRIPLE)

    assert result.exit_code == 0, result.output
    assert '"total_triples": 1' in result.output


def test_a_bad_file_is_one_error_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.nt"
    path.write_text("<urn:x:s> <urn:x:p> .\n")

    code = main(["validate", str(path)])

    assert code == 2
    assert re.fullmatch(rf"error: {re.escape(str(path))}:1: .+\n", capsys.readouterr().err)


def test_files_and_an_endpoint_together_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["query", "trial-design", "--endpoint", "http://127.0.0.1:9/query", "--data", "x.ttl"])

    assert code == 2
    assert capsys.readouterr().err == "error: give RDF files or --endpoint, not both\n"


def test_help_shows_the_exit_code_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0

    help_text = " ".join(capsys.readouterr().out.split())
    for code, meaning in EXIT_CODES.items():
        assert f"{code} {meaning}" in help_text


def test_readme_shows_the_same_exit_code_table() -> None:
    rows = re.findall(r"^\| (\d) \| (.+?) \|$", README.read_text(encoding="utf-8"), flags=re.MULTILINE)

    assert {int(code): meaning for code, meaning in rows} == dict(EXIT_CODES)


# N-Triples as rdflib writes it, sorted: literals as written (rdflib's parser would make "01" "1"
# and "1.0E0" "1.0"), only backslash, quote, newline and CR escaped, blank nodes labelled by content.
EXACT = (
    '<urn:x:a> <urn:x:p> "0.60"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    '<urn:x:a> <urn:x:p> "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    '<urn:x:a> <urn:x:p> "1.0E0"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
    '<urn:x:a> <urn:x:p> "tab\tquote \\" back \\\\ line \\n ret \\r"@en .\n'
    "<urn:x:a> <urn:x:q> _:exact-b1 .\n"
    '_:exact-b1 <urn:x:p> "inner" .\n'
)


@pytest.mark.parametrize("suffix", [".nt", ".nq"])
def test_line_based_export_writes_each_literal_as_written(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"exact{suffix}"
    graph = f" <{path.resolve().as_uri()}> ." if suffix == ".nq" else " ."
    path.write_text(EXACT if suffix == ".nt" else EXACT.replace(" .\n", f"{graph}\n"), encoding="utf-8")

    written = serialize(RdfInput.read([path]), suffix.removeprefix("."))

    assert written == path.read_bytes()


@pytest.mark.parametrize("suffix", [".nt", ".ttl"])  # N-Triples text is Turtle too
def test_counting_and_line_based_export_make_no_rdflib_dataset(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / f"exact{suffix}"
    path.write_text(EXACT, encoding="utf-8")
    data = RdfInput.read([path])
    monkeypatch.setattr(RdfInput, "dataset", lambda self: pytest.fail("an rdflib dataset was made"))

    stats, written = compute_stats(data), serialize(data, "nq")

    assert (stats.total_triples, stats.triples) == (6, {path.name: 6})
    assert written == EXACT.replace(" .\n", f" <{path.resolve().as_uri()}> .\n").encode()


def test_counts_are_the_same_from_n_quads_and_from_trig() -> None:
    trig = DATA / "stats" / "two-graphs.trig"
    nquads = RdfInput.read(["-"], input_format="nq", stdin=io.BytesIO(serialize(RdfInput.read([trig]), "nq")))

    assert compute_stats(nquads) == compute_stats(RdfInput.read([trig]))


def test_an_rdf_1_2_triple_term_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "star.nt"
    path.write_text("<urn:x:a> <urn:x:p> <<( <urn:x:a> <urn:x:p> <urn:x:b> )>> .\n")

    with pytest.raises(InputError, match=r"star\.nt: holds an RDF 1\.2 triple term, which ember3kg does not read$"):
        RdfInput.read([path])


#: What ``export -f nt`` writes of each file of tests/data/rdf11: RDF 1.1 terms, whatever the format.
RDF11_TERMS = (
    '<https://example.org/a> <https://example.org/label> "a"@en .\n'
    '<https://example.org/a> <https://example.org/note> "x" .\n'
    '<https://example.org/a> <https://example.org/ratio> "0.60"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
)


@pytest.mark.parametrize("name", ["terms.ttl", "terms.trig", "terms.rdf", "terms.jsonld"])
def test_every_format_is_read_as_rdf_1_1_terms(name: str) -> None:
    # "a"@EN is "a"@en and "x"^^xsd:string is "x" (RDF 1.1 Concepts 3.3), as N-Triples files were always read.
    result = CliRunner().invoke(cli, ["export", "-f", "nt", str(DATA / "rdf11" / name)])

    assert (result.exit_code, result.output) == (0, RDF11_TERMS)


def test_an_rdflib_graph_is_read_as_rdf_1_1_terms_too() -> None:
    graph = Graph(identifier=URIRef("urn:x:g"))
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("x", datatype=XSD.string)))
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("x")))
    graph.add((URIRef("urn:x:a"), URIRef("urn:x:q"), Literal("a", lang="EN")))

    data = RdfInput.from_rdflib(graph)

    assert sorted(data.lines(quads=True)) == [
        '<urn:x:a> <urn:x:p> "x" <urn:x:g> .\n',
        '<urn:x:a> <urn:x:q> "a"@en <urn:x:g> .\n',
    ]
    assert data.graph_sizes() == {"urn:x:g": 2}


def test_json_ld_named_graphs_are_read_into_the_graph_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "graphs.jsonld"
    path.write_text('{"@id": "urn:x:g", "@graph": [{"@id": "urn:x:a", "urn:x:p": {"@id": "urn:x:b"}}]}')

    assert RdfInput.read([path]).graph_sizes() == {path.resolve().as_uri(): 1}


def test_a_dataset_made_in_memory_keeps_its_default_graph_unnamed_in_n_quads() -> None:
    dataset = Dataset()
    dataset.add((URIRef("urn:x:a"), URIRef("urn:x:p"), URIRef("urn:x:b")))
    dataset.graph(URIRef("urn:x:g")).add((URIRef("urn:x:a"), URIRef("urn:x:p"), URIRef("urn:x:c")))

    data = RdfInput.from_rdflib(dataset)

    assert sorted(data.lines(quads=True)) == [
        "<urn:x:a> <urn:x:p> <urn:x:b> .\n",
        "<urn:x:a> <urn:x:p> <urn:x:c> <urn:x:g> .\n",
    ]
    assert data.graph_sizes() == {"urn:x-rdflib:default": 1, "urn:x:g": 1}
