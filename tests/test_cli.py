"""End-to-end checks of the installed ``ember3kg`` command: output, exit codes, error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import DATA, run_cli
from ember3kg.dataset import load_part, part_names
from ember3kg.export import FORMATS

pytestmark = pytest.mark.slow

MALFORMED = DATA / "malformed"


def _expected_lines() -> list[pytest.ParameterSet]:
    """Read ``malformed/expected.tsv``: each file name and the line its error is on."""
    lines = (MALFORMED / "expected.tsv").read_text().splitlines()
    rows = (line.split("\t") for line in lines if line.strip() and not line.startswith("#"))
    return [pytest.param(name, int(number), id=name) for name, number in rows]


def _assert_one_error_line(result: object, exit_code: int = 2) -> str:
    """Check a failed run: the exit code, one ``error:`` line, no traceback; return the line."""
    stderr = result.stderr.decode()  # type: ignore[attr-defined]
    assert result.returncode == exit_code, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert stderr.startswith("error: ")
    assert stderr.count("\n") == 1, stderr
    return stderr.strip()


@pytest.mark.parametrize(("name", "line"), _expected_lines())
def test_malformed_file_is_reported_with_file_and_line(name: str, line: int) -> None:
    path = MALFORMED / name

    message = _assert_one_error_line(run_cli("stats", str(path)))

    assert message.startswith(f"error: {path}:{line}: ")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(["stats", "no-such-file.ttl"], "no-such-file.ttl: no such file", id="missing-input"),
        pytest.param(["stats", "README.unknown"], "unknown RDF format", id="unknown-input-suffix"),
        pytest.param(["export", "--format", "nope"], "'nope' is not one of", id="unknown-format"),
        pytest.param(
            ["export", "--output", "missing-dir/out.ttl"], "missing-dir/out.ttl: cannot write", id="missing-dir"
        ),
        pytest.param(
            ["build", "--output-dir", "a-file/sub"], "a-file/sub: cannot create directory", id="dir-under-file"
        ),
        pytest.param(["no-such-command"], "No such command", id="unknown-command"),
    ],
)
def test_bad_invocation_gives_one_error_line_and_exit_2(args: list[str], fragment: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory\n")

    message = _assert_one_error_line(run_cli(*args, cwd=tmp_path))

    assert fragment in message


def test_export_to_dash_writes_to_stdout(union: Graph) -> None:
    result = run_cli("export", "--format", "nt", "--output", "-")

    assert result.returncode == 0, result.stderr.decode()
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), union)


def test_export_converts_given_files(tmp_path: Path) -> None:
    source = DATA / "blank-nodes.ttl"

    result = run_cli("export", "--format", "trig", str(source))

    assert result.returncode == 0, result.stderr.decode()
    graphs = [graph for graph in Dataset().parse(data=result.stdout, format="trig").graphs() if len(graph)]
    assert len(graphs) == 1
    assert isomorphic(graphs[0], Graph().parse(source))


def _part_sizes() -> dict[str, int]:
    """Count each part's triples by loading it alone: an expectation that does not go through the stats module."""
    return {name: len(load_part(name)) for name in part_names()}


def test_stats_lists_every_part_with_its_triple_count() -> None:
    result = run_cli("stats")

    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    counted = [line.split() for line in lines[1 : 1 + len(part_names())]]
    assert counted == [[name, str(count)] for name, count in _part_sizes().items()]


def test_stats_json_counts_the_parts_and_their_union(union: Graph) -> None:
    result = run_cli("stats", "--json")

    assert result.returncode == 0, result.stderr.decode()
    stats = json.loads(result.stdout)
    assert stats["triples"] == _part_sizes()
    assert stats["total_triples"] == len(union)


def test_build_prints_the_files_it_wrote(tmp_path: Path) -> None:
    result = run_cli("build", "--output-dir", str(tmp_path / "out"))

    assert result.returncode == 0, result.stderr.decode()
    printed = [Path(line) for line in result.stdout.decode().splitlines()]
    assert [path.suffix for path in printed[: len(FORMATS)]] == [spec.suffix for spec in FORMATS.values()]
    assert sorted(path.name for path in printed) == sorted(path.name for path in (tmp_path / "out").iterdir())


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")

    assert result.returncode == 0
    for command in ("build", "export", "stats"):
        assert command in result.stdout.decode()
