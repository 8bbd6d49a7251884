"""Competency questions through SPARQLWrapper against a real Oxigraph server on 127.0.0.1.

The session fixture loads the packaged dataset (N-Quads) into a temporary Oxigraph
store with ``oxigraph load``, serves it with the union of its graphs as the default
graph on a free port, waits until it answers, and always stops it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from queries_support import Case, assert_expected, cases

from ember3kg.dataset import load_dataset
from ember3kg.errors import InputError
from ember3kg.query import Question, questions, run_question

pytestmark = pytest.mark.server

CASES = cases()
#: The ``oxigraph`` command of the PyPI package, installed next to the interpreter.
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the query service of an Oxigraph server holding the packaged dataset."""
    command = str(OXIGRAPH) if OXIGRAPH.exists() else shutil.which("oxigraph")
    assert command, "the oxigraph command (PyPI package oxigraph) is not installed"
    work = tmp_path_factory.mktemp("oxigraph")
    data = work / "ember3kg.nq"
    data.write_bytes(load_dataset().serialize(format="nquads", encoding="utf-8"))
    store = work / "store"
    subprocess.run([command, "load", "--location", str(store), "--file", str(data)], check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [command, "serve", "--location", str(store), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):  # noqa: S310 -- our own local server
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_question_gives_expected_answer_on_server(endpoint: str, case: Case) -> None:
    answer = run_question(questions()[case.question], engine="endpoint", endpoint=endpoint, params=case.params)
    assert_expected(answer, case)


def test_syntax_error_is_reported_before_sending(endpoint: str) -> None:
    question = Question("bad", "SELECT ?x WHERE {\n  ?x ?y }\n", "bad.rq")
    with pytest.raises(InputError, match=r"^bad\.rq:2:\d+: SPARQL syntax error"):
        run_question(question, engine="endpoint", endpoint=endpoint)
