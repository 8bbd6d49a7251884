"""Checks of the ``ember3kg`` command line: output, exit codes, error lines (in this process, but for stdout bytes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import DATA, run_cli, run_main
from ember3kg.publish.dataset import part_names
from ember3kg.publish.export import FORMATS

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

    message = _assert_one_error_line(run_main("stats", str(path)))

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
def test_bad_invocation_gives_one_error_line_and_exit_2(
    args: list[str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a-file").write_text("not a directory\n")
    monkeypatch.chdir(tmp_path)

    message = _assert_one_error_line(run_main(*args))

    assert fragment in message


@pytest.mark.slow
def test_export_to_dash_writes_to_stdout(union: Graph) -> None:
    result = run_cli("export", "--format", "nt", "--output", "-")

    assert result.returncode == 0, result.stderr.decode()
    assert isomorphic(Graph().parse(data=result.stdout, format="nt"), union)


def test_export_converts_given_files(tmp_path: Path) -> None:
    source = DATA / "blank-nodes.ttl"

    result = run_main("export", "--format", "trig", str(source))

    assert result.returncode == 0, result.stderr.decode()
    graphs = [graph for graph in Dataset().parse(data=result.stdout, format="trig").graphs() if len(graph)]
    assert len(graphs) == 1
    assert isomorphic(graphs[0], Graph().parse(source))


@pytest.mark.parametrize("fixture", ["mini.ttl", "two-graphs.trig"])
def test_stats_json_gives_the_counts_made_by_hand(fixture: str) -> None:
    path = DATA / "stats" / fixture

    result = run_main("stats", "--json", str(path))

    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout) == json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def test_stats_text_lists_each_graph_with_its_triple_count() -> None:
    result = run_main("stats", str(DATA / "stats" / "two-graphs.trig"))

    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    # counted by hand, see tests/data/stats/two-graphs.trig
    for line in ("http://example.org/graph/data 6", "http://example.org/graph/schema 6", "total (distinct) 11"):
        assert line.split() in [row.split() for row in lines], line


def test_stats_of_the_packaged_dataset_lists_every_part_in_order() -> None:
    result = run_main("stats")

    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    listed = [line.split()[0] for line in lines[1 : 1 + len(part_names())]]
    assert listed == part_names()


def test_build_prints_the_files_it_wrote(tmp_path: Path) -> None:
    result = run_main("build", "--output-dir", str(tmp_path / "out"))

    assert result.returncode == 0, result.stderr.decode()
    printed = [Path(line) for line in result.stdout.decode().splitlines()]
    assert [path.suffix for path in printed[: len(FORMATS)]] == [spec.suffix for spec in FORMATS.values()]
    assert sorted(path.name for path in printed) == sorted(path.name for path in (tmp_path / "out").iterdir())


def test_help_lists_the_commands() -> None:
    result = run_main("--help")

    assert result.returncode == 0
    for command in ("build", "export", "stats"):
        assert command in result.stdout.decode()
