"""The quality checks of queries/qc/: each fires on its fixture, and the packaged dataset passes.

Each fixture in ``tests/data/qc/`` is added to the packaged dataset; its header lists
the findings it must add, one ``# expect: CHECK ENTITY`` line each (ENTITY as a CURIE
or a full IRI). The fixture's stem, up to an optional ``--variant``, is the check it is for.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest

from conftest import DATA, run_cli, with_fixture
from ember3kg.checks.qc import QcReport, checks, parse_check, run_check, run_qc
from ember3kg.errors import DataError, InputError, QualityError
from ember3kg.io.inputs import RdfInput
from ember3kg.vocab.namespaces import PREFIXES

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("qc")

QC_FIXTURES = sorted((DATA / "qc").glob("*.ttl"))
#: The table of checks in the documentation.
QC_DOCS = Path(__file__).parents[1] / "docs" / "qc.md"
CHECK_NAMES = [check.name for check in checks()]


def expand(text: str) -> str:
    """Turn a CURIE of the project prefixes into a full IRI; leave full IRIs as they are."""
    prefix, _, local = text.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES and not local.startswith("//") else text


def expected_findings(path: Path) -> set[tuple[str, str]]:
    """Read the (check, entity IRI) pairs that a fixture's ``# expect:`` lines announce."""
    lines = re.findall(r"^# expect: (\S+) (\S+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {(check, expand(entity)) for check, entity in lines}


@pytest.fixture(scope="module")
def baseline() -> QcReport:
    return run_qc(RdfInput.packaged())


def test_packaged_dataset_has_no_error_finding(baseline: QcReport) -> None:
    errors = [finding for finding in baseline.findings if finding.severity == "error"]

    assert errors == []


@pytest.mark.parametrize("name", CHECK_NAMES)
def test_every_check_has_a_fixture(name: str) -> None:
    assert name in {path.stem.split("--")[0] for path in QC_FIXTURES}


@pytest.mark.parametrize("path", QC_FIXTURES, ids=lambda path: path.stem)
def test_fixture_triggers_exactly_its_findings(path: Path, baseline: QcReport) -> None:
    expected = expected_findings(path)
    assert expected, f"{path.name} announces no finding"
    assert {check for check, _ in expected} == {path.stem.split("--")[0]}

    report = run_qc(with_fixture(path))

    new = set(report.findings) - set(baseline.findings)
    assert {(finding.check, finding.entity) for finding in new} == expected


def test_docs_list_every_check_with_its_severity() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \| (\w+) \|", QC_DOCS.read_text(encoding="utf-8"), re.MULTILINE)

    assert dict(rows) == {check.name: check.severity for check in checks()}
    assert len(rows) == len(dict(rows))


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("# description: something\nSELECT * {}", "lacks severity"),
        ("# severity: error\nSELECT * {}", "lacks description"),
        ("# severity: fatal\n# description: something\nSELECT * {}", "unknown severity 'fatal'"),
    ],
    ids=["no-severity", "no-description", "unknown-severity"],
)
def test_bad_check_header_is_a_data_error(header: str, message: str) -> None:
    with pytest.raises(DataError, match=message):
        parse_check("bad", header)


def test_error_finding_raises_quality_error() -> None:
    report = run_qc(with_fixture(DATA / "qc" / "dangling-link.ttl"))

    with pytest.raises(QualityError, match="dangling-link"):
        report.raise_for_errors()


@pytest.mark.slow
def test_cli_qc_passes_on_the_packaged_dataset(tmp_path: Path) -> None:
    result = run_cli("qc", cwd=tmp_path)

    assert result.returncode == 0, result.stderr.decode()
    assert " findings (0 error, " in result.stdout.decode().splitlines()[-1]


@pytest.mark.slow
def test_cli_qc_exits_1_and_names_the_node(tmp_path: Path) -> None:
    dataset_file = tmp_path / "dataset.nq"
    assert run_cli("export", "--format", "nq", "--output", str(dataset_file)).returncode == 0

    result = run_cli("qc", str(dataset_file), str(DATA / "qc" / "dangling-link.ttl"))

    assert result.returncode == 1
    assert "kg:route-orall" in result.stdout.decode()
    assert result.stderr.decode() == "error: 1 error-level finding(s) in: dangling-link\n"


def test_a_check_that_does_not_parse_fails_with_the_query_layers_one_line_error() -> None:
    check = parse_check("broken", "# severity: error\n# description: d\nSELEC ?entity ?detail WHERE {}\n")

    with pytest.raises(InputError) as raised:
        run_check(check, pyoxigraph.Store())

    assert str(raised.value) == (
        "qc check broken:3:1: SPARQL syntax error: unexpected 'SELEC' (is a keyword misspelt, or a '?' missing?)"
    )
