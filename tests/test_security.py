"""Regression tests of issue 12, "Security and fault tolerance": one section per numbered case.

Each test reproduces the attack or the fault and checks its outcome. Servers and
listeners bind 127.0.0.1 on a free port and are always stopped; every loop is bounded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from conftest import CLI, DATA, run_cli
from ember3kg.cli import main
from ember3kg.errors import InputError, LimitError, OutputError, ServerError
from ember3kg.io.inputs import RdfInput
from ember3kg.io.outputs import directory_lock, write_atomic
from ember3kg.publish.dataset import load_dataset
from ember3kg.publish.export import FORMATS, OUTPUT_STEM, build, serialize, write_dataset
from ember3kg.query import Question, run_question, run_questions
from ember3kg.query.time_limit import run_bounded_each
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.stores.push import count_triples, push
from ember3kg.stores.request_timeout import GRACE, Supervisor
from ember3kg.stores.serve import HOST, Endpoints, OxigraphServer, free_port, load_store
from ember3kg.stores.sparql_client import PASSWORD_VARIABLE

CANARY = "urn:example:canary"
PASSWORD = "pw-never-shown-12"  # noqa: S105 (a test value)
#: A query whose answer takes far longer than any timeout of these tests: it sorts a cartesian
#: product, which oxigraph's own --timeout-s does not stop (oxigraph issue 1871).
RUNAWAY = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a LIMIT 1"


# --- A local listener ------------------------------------------------------------------


@contextmanager
def _listener(answer: Callable[[BaseHTTPRequestHandler], None]) -> Iterator[tuple[str, list[str]]]:
    """Serve HTTP on 127.0.0.1 with ``answer`` for every request; yield the base URL and the request log."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(f"{self.command} {self.path}")
            answer(self)

        do_GET = do_POST = do_PUT = _any

        def log_message(self, *args: object) -> None:
            """Keep the test output quiet."""

    server = ThreadingHTTPServer((HOST, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _reply(status: int, body: bytes, content_type: str) -> Callable[[BaseHTTPRequestHandler], None]:
    """Answer with one status and body."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return answer


def _one_error_line(result: subprocess.CompletedProcess[bytes], exit_code: int) -> str:
    """Check a failed run: its exit code, one ``error:`` line last, no traceback; return that line."""
    stderr = result.stderr.decode()
    assert result.returncode == exit_code, stderr
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert lines and lines[-1].startswith("error: "), stderr
    assert sum(line.startswith("error: ") for line in lines) == 1, stderr
    return lines[-1]


def _put(server: OxigraphServer, graph: str, ntriples: bytes) -> None:
    """Write one graph with the Graph Store Protocol."""
    url = f"{server.endpoints.store}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(  # noqa: S310 (our own server)
        url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    urllib.request.urlopen(request, timeout=10).close()  # noqa: S310 (our own server)


# --- 1. SPARQL injection through --graph-prefix -------------------------------------------

INJECTIONS = [
    "urn:a> ; DROP ALL ; INSERT DATA { GRAPH <urn:c",
    "urn:a/{x}",
    "urn:a b",
    'urn:a"',
    "relative/prefix/",
]


@pytest.mark.server
@pytest.mark.parametrize("prefix", INJECTIONS)
def test_graph_prefix_injection_is_refused_and_the_canary_survives(prefix: str, oxigraph: OxigraphServer) -> None:
    _put(oxigraph, CANARY, b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")

    with pytest.raises(InputError, match=r"^graph prefix .* is not an absolute IRI"):
        push(load_dataset(), update_endpoint=oxigraph.endpoints.update, graph_prefix=prefix)

    assert count_triples(oxigraph.endpoints.query, [CANARY]) == {CANARY: 1}


@pytest.mark.server
@pytest.mark.slow
def test_cli_graph_prefix_injection_exits_2_and_the_canary_survives(oxigraph: OxigraphServer) -> None:
    _put(oxigraph, CANARY, b"<urn:x:s> <urn:x:p> <urn:x:o> .\n")

    result = run_cli("push", "--update-endpoint", oxigraph.endpoints.update, "--graph-prefix", INJECTIONS[0])

    assert "is not an absolute IRI" in _one_error_line(result, 2)
    assert count_triples(oxigraph.endpoints.query, [CANARY]) == {CANARY: 1}


def test_count_query_refuses_a_graph_name_that_is_not_an_iri() -> None:
    with pytest.raises(InputError, match="is not an absolute IRI"):
        count_triples("http://127.0.0.1:9/query", ["urn:a> } } ; DROP ALL ; #"])


# --- 2. JSON-LD input never fetches a context -----------------------------------------------


def _jsonld_with(context_field: str, value: object) -> bytes:
    return json.dumps({context_field: value, "@id": "urn:x:s", "urn:x:p": "o"}).encode()


@pytest.mark.server
@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda url: _jsonld_with("@context", f"{url}/context.jsonld"), id="remote-context"),
        pytest.param(lambda url: _jsonld_with("@context", [{"x": "urn:x:"}, f"{url}/c"]), id="context-list"),
        pytest.param(lambda url: _jsonld_with("@context", {"@import": f"{url}/c"}), id="import"),
        pytest.param(lambda url: _jsonld_with("@context", "file:///etc/passwd"), id="file-context"),
    ],
)
def test_remote_jsonld_context_is_refused_and_never_fetched(make: Callable[[str], bytes], tmp_path: Path) -> None:
    path = tmp_path / "doc.jsonld"
    with _listener(_reply(200, b'{"@context": {}}', "application/ld+json")) as (url, seen):
        path.write_bytes(make(url))

        with pytest.raises(InputError, match=r"doc\.jsonld: JSON-LD context .* is a reference to another document"):
            RdfInput.read([path])

    assert seen == []


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("command", ["validate", "export", "stats", "qc", "reason"])
def test_every_command_refuses_a_remote_context_with_one_line(command: str, tmp_path: Path) -> None:
    path = tmp_path / "doc.jsonld"
    with _listener(_reply(200, b'{"@context": {}}', "application/ld+json")) as (url, seen):
        path.write_bytes(_jsonld_with("@context", f"{url}/context.jsonld"))

        line = _one_error_line(run_cli(command, str(path)), 2)

    assert line.startswith(f"error: {path}: JSON-LD context ")
    assert seen == []


# --- 3. serve is read-only ------------------------------------------------------------------


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Supervisor, Endpoints]]:
    """Serve the packaged dataset as ``ember3kg serve`` does: read-only, 1 s query timeout, supervised."""
    location = tmp_path_factory.mktemp("store")
    load_store(location, load_dataset())
    child = OxigraphServer(free_port(), location, union_default_graph=True, read_only=True, timeout=1)
    port = free_port()
    with Supervisor(child, HOST, port, 1) as front, child:
        front.serve()
        yield front, Endpoints(f"http://{HOST}:{port}")


def _post_form(url: str, field: str, text: str, timeout: float = 20) -> int:
    """POST an HTML form as a browser would (cross-origin forms need no preflight); return the status."""
    data = urllib.parse.urlencode({field: text}).encode()
    request = urllib.request.Request(  # noqa: S310 (our own server)
        url, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our own server)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.server
def test_update_on_a_default_served_store_is_refused(guarded: tuple[Supervisor, Endpoints]) -> None:
    _, endpoints = guarded
    graphs = [str(context.identifier) for context in load_dataset().graphs() if len(context)]
    before = count_triples(endpoints.query, graphs)

    status = _post_form(endpoints.update, "update", "DROP ALL")

    assert status >= 400
    assert count_triples(endpoints.query, graphs) == before
    assert sum(before.values()) > 0


def test_read_only_server_needs_a_store() -> None:
    with pytest.raises(InputError, match="read-only server needs the location"):
        OxigraphServer(free_port(), read_only=True)


# --- 4. No secret in any output -------------------------------------------------------------


def _echo_headers(handler: BaseHTTPRequestHandler) -> None:
    """Ask for Basic credentials; once sent, answer 500 with the request's headers as the body, as some servers do."""
    if handler.headers.get("Authorization") is None:
        handler.send_response(401)
        handler.send_header("WWW-Authenticate", 'Basic realm="echo"')
        handler.send_header("Content-Length", "0")
        handler.end_headers()
        return
    _reply(500, str(handler.headers).encode(), "text/plain")(handler)


@pytest.mark.slow
@pytest.mark.server
def test_push_never_prints_the_password_or_its_token_even_when_echoed() -> None:
    token = base64.b64encode(f"alice:{PASSWORD}".encode()).decode()
    with _listener(_echo_headers) as (url, seen):
        result = subprocess.run(
            [str(CLI), "push", f"{url}/store", "--user", "alice", "--retries", "0"],
            env={**os.environ, PASSWORD_VARIABLE: PASSWORD},
            capture_output=True,
            check=False,
            timeout=120,
        )

    output = (result.stdout + result.stderr).decode()
    assert "HTTP 500" in _one_error_line(result, 4)
    assert seen, "the request never reached the listener"
    assert PASSWORD not in output and token not in output
    assert "Basic ***" in output


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("command", ["push", "query"])
def test_userinfo_of_a_url_is_never_printed(command: str) -> None:
    with _listener(_echo_headers) as (url, _):
        secret_url = url.replace("http://", f"http://alice:{PASSWORD}@")
        args = (
            [f"{secret_url}/store", "--retries", "0"]
            if command == "push"
            else ["trial-design", "--endpoint", f"{secret_url}/query"]
        )
        result = run_cli(command, *args)

    output = (result.stdout + result.stderr).decode()
    _one_error_line(result, 4)
    assert PASSWORD not in output
    assert base64.b64encode(f"alice:{PASSWORD}".encode()).decode() not in output


# --- 5. Outputs are replaced whole ------------------------------------------------------------


def _old_build(directory: Path) -> dict[str, bytes]:
    """Fill ``directory`` with a small, complete, valid 'previous build' (the blank-nodes fixture)."""
    small = RdfInput.read([DATA / "blank-nodes.ttl"]).dataset()
    files = {f"{OUTPUT_STEM}{spec.suffix}": serialize(small, spec.name) for spec in FORMATS.values()}
    files[f"{OUTPUT_STEM}.void.ttl"] = b"<urn:x:old> <urn:x:p> <urn:x:o> .\n"
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return files


def _parses(path: Path) -> None:
    """Parse a built file with rdflib, by its suffix."""
    spec = next(spec for spec in FORMATS.values() if path.name.endswith(spec.suffix))
    (Dataset() if spec.quads else Graph()).parse(path, format=spec.parser)


@pytest.fixture(scope="module")
def new_build(default_build: Path) -> dict[str, bytes]:
    """Give the files a complete ``ember3kg build`` writes (with the entailment graph, its default)."""
    return {path.name: path.read_bytes() for path in default_build.iterdir()}


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.8, 1.3, 1.8, 2.4, 3.2])
def test_sigterm_during_build_leaves_each_file_old_or_new(
    delay: float, new_build: dict[str, bytes], tmp_path: Path
) -> None:
    old = _old_build(tmp_path)
    process = subprocess.Popen([str(CLI), "build", "--output-dir", str(tmp_path)], stderr=subprocess.PIPE)
    time.sleep(delay)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)

    found = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert sorted(found) == sorted(old)  # no staging folder or temporary file left behind
    states = {
        name: "old" if data == old[name] else "new" if data == new_build[name] else "mixed"
        for name, data in found.items()
    }
    assert set(states.values()) in ({"old"}, {"new"}), states
    for name in found:
        _parses(tmp_path / name)


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"<urn:x:s> <urn:x:p> <urn:x:old> .\n")

    def full_disk(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ember3kg.io.outputs.os.fsync", full_disk)
    with pytest.raises(OutputError, match="No space left on device"):
        write_dataset("ttl", target, RdfInput.packaged())

    assert target.read_bytes() == b"<urn:x:s> <urn:x:p> <urn:x:old> .\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out.ttl"]


def test_a_build_failing_halfway_keeps_the_previous_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = _old_build(tmp_path)
    calls = []

    def fails_on_the_third(descriptor: int) -> None:
        calls.append(descriptor)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("ember3kg.io.outputs.os.fsync", fails_on_the_third)
    with pytest.raises(OutputError, match="No space left on device"):
        build(tmp_path, RdfInput.packaged())

    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == old


@pytest.mark.parametrize("inside", [False, True], ids=["link-outside", "link-inside"])
def test_a_symlink_is_written_through_only_inside_its_directory(inside: bool, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = (out if inside else tmp_path) / "victim.ttl"
    victim.write_bytes(b"# precious\n")
    (out / "link.ttl").symlink_to(victim)

    if inside:
        write_atomic(out / "link.ttl", b"# new\n")
        assert victim.read_bytes() == b"# new\n"
    else:
        with pytest.raises(OutputError, match=r"outside .*refusing to write through it"):
            write_atomic(out / "link.ttl", b"# new\n")
        assert victim.read_bytes() == b"# precious\n"


# --- 6. Concurrent runs -------------------------------------------------------------------------


def test_a_second_build_into_a_locked_directory_fails_at_once(tmp_path: Path) -> None:
    old = _old_build(tmp_path)

    with directory_lock(tmp_path), pytest.raises(OutputError, match="another ember3kg process is writing into it"):
        build(tmp_path, RdfInput.packaged())

    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == old


@pytest.mark.server
def test_two_update_pushes_at_once_leave_one_copy(oxigraph: OxigraphServer) -> None:
    errors: list[BaseException] = []

    def one_push() -> None:
        try:
            push(load_dataset(), update_endpoint=oxigraph.endpoints.update, batch_size=7, verify=False)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=one_push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    expected = {str(context.identifier): len(context) for context in load_dataset().graphs() if len(context)}
    assert errors == []
    assert count_triples(oxigraph.endpoints.query, list(expected)) == expected


# --- 7. Runaway queries stop ----------------------------------------------------------------------


def test_a_fault_inside_the_engine_is_one_line_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    sparql = 'SELECT ?x WHERE { VALUES ?x { "a" UNDEF } } ORDER BY STR(?x)'  # rdflib compares None with a tuple

    code = main(["query", "--sparql", sparql, "--engine", "rdflib"])

    assert code == 2
    assert capsys.readouterr().err == (
        "error: --sparql: the engine cannot evaluate this query: "
        "TypeError: '<' not supported between instances of 'NoneType' and 'tuple'\n"
    )


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_runaway_query_stops_within_its_timeout(engine: str) -> None:
    run_question(
        Question("warm-up", "ASK { ?s ?p ?o }", "--sparql"), with_entailment(RdfInput.packaged()), engine=engine
    )  # loads the dataset
    started = time.monotonic()

    with pytest.raises(LimitError, match=r"--sparql: no answer within 1 s; stopped"):
        run_question(
            Question("cartesian", RUNAWAY, "--sparql"), with_entailment(RdfInput.packaged()), engine=engine, timeout=1
        )

    assert time.monotonic() - started < 5


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_series_of_questions_stops_at_the_first_that_runs_out_of_time(engine: str) -> None:
    design = Question("design", "ASK { ?arm ekg:armSize 213 }", "design.rq")
    runaway = Question("cartesian", RUNAWAY, "runaway.rq")
    answers = run_questions([design, runaway, design], with_entailment(RdfInput.packaged()), engine=engine, timeout=1)

    assert next(answers).boolean is True
    started = time.monotonic()
    with pytest.raises(LimitError, match=r"^runaway.rq: no answer within 1 s; stopped$"):
        next(answers)
    assert time.monotonic() - started < 5
    assert list(answers) == []


def test_a_series_runs_in_one_child_and_ends_at_the_first_error() -> None:
    def divide() -> float:
        return 1 / 0

    actions = [(os.getpid, "first"), (os.getpid, "second"), (divide, "third"), (os.getpid, "fourth")]
    series = run_bounded_each(actions, 5)

    first, second = next(series), next(series)
    assert first == second != os.getpid()
    with pytest.raises(InputError, match=r"^third: the engine cannot evaluate this query: ZeroDivisionError: "):
        next(series)
    assert list(series) == []


def _as_in_a_terminal() -> None:
    """In the child: take Ctrl-C as a terminal gives it (a background job of a script ignores SIGINT)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_ctrl_c_stops_a_query_at_once() -> None:
    process = subprocess.Popen(
        [str(CLI), "query", "--sparql", RUNAWAY, "--timeout", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_as_in_a_terminal,
    )
    time.sleep(4)  # the dataset is loaded and the query runs
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)

    assert time.monotonic() - interrupted < 3
    assert stderr.decode().splitlines()[-1] == "error: aborted"
    assert process.returncode == 1


def _cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.server
def test_a_runaway_query_on_the_server_answers_503_within_its_timeout(guarded: tuple[Supervisor, Endpoints]) -> None:
    started = time.monotonic()

    status = _post_form(guarded[1].query, "query", RUNAWAY)

    assert status == 503
    assert time.monotonic() - started < 1 + GRACE + 5


@pytest.mark.server
def test_the_server_stops_working_after_the_client_left(guarded: tuple[Supervisor, Endpoints]) -> None:
    front, endpoints = guarded
    with contextlib.suppress(OSError):
        _post_form(endpoints.query, "query", RUNAWAY, timeout=0.5)  # the client leaves
    time.sleep(1 + GRACE + 2)

    pid = front.child.process.pid  # type: ignore[attr-defined]
    before = _cpu_seconds(pid)
    time.sleep(1)

    assert _cpu_seconds(pid) - before < 0.2, "oxigraph still busy with a query whose client left"
    assert count_triples(endpoints.query, [CANARY]) == {CANARY: 0}  # and it serves again


@pytest.mark.slow
@pytest.mark.parametrize("command", ["query", "serve"])
def test_help_states_the_default_timeout(command: str) -> None:
    help_text = " ".join(run_cli(command, "--help").stdout.decode().split())

    assert "--timeout" in help_text and "[default: 30.0;" in help_text


# --- 8. Small files of huge cost ------------------------------------------------------------------


def _long_list(path: Path) -> Path:
    items = " ".join(f"<urn:x:i{number}>" for number in range(2000))
    path.write_text(f"<urn:x:s> <urn:x:p> ( {items} ) .\n")
    return path


def _long_literal(path: Path) -> Path:
    graph = " <urn:x:g>" if path.suffix == ".nq" else ""
    path.write_text(f'<urn:x:s> <urn:x:p> "{"a" * 10_000_000}"{graph} .\n')
    return path


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "lol">\n'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">\n' for n in range(9))
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:x:">'
    '<rdf:Description rdf:about="urn:x:s"><ex:p>&j;</ex:p></rdf:Description></rdf:RDF>\n'
)


@pytest.mark.parametrize(
    ("name", "make", "triples"),
    [
        pytest.param("list.ttl", _long_list, 4001, id="turtle-list-of-2000"),
        pytest.param("long.nt", _long_literal, 1, id="10-MB-literal-nt"),
        pytest.param("long.nq", _long_literal, 1, id="10-MB-literal-nq"),
    ],
)
def test_pathological_input_loads_in_seconds(
    name: str, make: Callable[[Path], Path], triples: int, tmp_path: Path
) -> None:
    path = make(tmp_path / name)
    started = time.monotonic()

    loaded = RdfInput.read([path]).dataset()

    assert time.monotonic() - started < 10
    assert sum(len(context) for context in loaded.graphs()) == triples


def test_turtle_list_labels_are_the_same_on_every_load(tmp_path: Path) -> None:
    path = _long_list(tmp_path / "list.ttl")

    first, second = (serialize(RdfInput.read([path]).dataset(), "nt") for _ in range(2))

    assert first == second


@pytest.mark.parametrize("suffix", [".rdf", ".owl"])
def test_xml_entity_expansion_is_refused_at_once(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"laughs{suffix}"
    path.write_text(LAUGHS)
    started = time.monotonic()

    with pytest.raises(InputError, match=r"laughs\.\w+: declares or names the XML entity 'a'; entities are refused"):
        RdfInput.read([path])

    assert time.monotonic() - started < 5
    assert len(LAUGHS) < 1000


# --- 9. serve leaves no orphan --------------------------------------------------------------------


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) == 0


#: Sets SIGHUP and SIGINT to their defaults, ignores the signal numbered argv[1] (0: none),
#: then becomes the command of the other arguments (the same process).
_WITH_SIGNALS = (
    "import os, signal, sys; [signal.signal(n, signal.SIG_DFL) for n in (signal.SIGHUP, signal.SIGINT)]; "
    "int(sys.argv[1]) and signal.signal(int(sys.argv[1]), signal.SIG_IGN); os.execv(sys.argv[2], sys.argv[2:])"
)


def _start_serve(port: int, *, ignored: signal.Signals | None = None) -> subprocess.Popen[bytes]:
    """Start ``ember3kg serve`` with SIGHUP and SIGINT at their defaults, or ``ignored`` ignored.

    The suite itself may run with SIGHUP ignored (under ``nohup``) or SIGINT ignored (in a
    shell's background job), which the command would otherwise inherit.
    """
    command = [str(CLI), "serve", "--no-inferred", "--port", str(port)]
    return subprocess.Popen(
        [sys.executable, "-c", _WITH_SIGNALS, str(int(ignored or 0)), *command],
        bufsize=0,  # unbuffered: select() sees every line that readline() has not read
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGHUP], ids=lambda number: signal.Signals(number).name)
def test_the_oxigraph_child_dies_with_serve(kill: signal.Signals) -> None:
    port = free_port()
    process = _start_serve(port)
    try:
        deadline = time.monotonic() + 60
        while not _port_open(port) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert _port_open(port), "ember3kg serve did not start"
        process.send_signal(kill)
        process.wait(timeout=20)
        deadline = time.monotonic() + 10
        while _port_open(port) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _port_open(port), "oxigraph still serves after its parent died"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _announced(process: subprocess.Popen[bytes], text: str, *, within: float) -> bool:
    """Read the process's output until a line holds ``text`` (True), or it ends or the time is up (False)."""
    assert process.stdout is not None
    deadline = time.monotonic() + within
    while (remaining := deadline - time.monotonic()) > 0 and select.select([process.stdout], [], [], remaining)[0]:
        line = process.stdout.readline()
        if not line:
            return False
        if text in line.decode():
            return True
    return False


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize(
    ("ignored", "stops"), [(signal.SIGHUP, False), (signal.SIGINT, True)], ids=["nohup-SIGHUP", "background-SIGINT"]
)
def test_a_signal_ignored_at_start_up(ignored: signal.Signals, stops: bool) -> None:
    """``nohup`` keeps serve serving after SIGHUP; a background job's ignored SIGINT still stops it."""
    port = free_port()
    process = _start_serve(port, ignored=ignored)
    try:
        assert _announced(process, "press Ctrl-C to stop", within=120)
        process.send_signal(ignored)
        if stops:
            assert process.wait(timeout=20) == 0
            return
        time.sleep(1)
        assert process.poll() is None and _port_open(port)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.server
def test_a_start_failure_gives_oxigraphs_own_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind((HOST, 0))  # bound, not listening: a connection probe finds it free
        with pytest.raises(ServerError, match=r"stopped at start \(exit 1\): Error: Address already in use"):
            OxigraphServer(taken.getsockname()[1]).start()


# --- 10. Never a traceback ----------------------------------------------------------------------


def _close_mid_response(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(
        b'HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 500\r\n\r\n{"he'
    )
    handler.close_connection = True


def _garbage_status(handler: BaseHTTPRequestHandler) -> None:
    handler.wfile.write(b"SPARQL? never heard of it\r\n\r\n")
    handler.close_connection = True


def _gsp_ok_then(answer: Callable[[BaseHTTPRequestHandler], None]) -> Callable[[BaseHTTPRequestHandler], None]:
    """Accept Graph Store PUTs, answer everything else with ``answer``."""

    def dispatch(handler: BaseHTTPRequestHandler) -> None:
        if handler.command == "PUT":
            _reply(204, b"", "text/plain")(handler)
        else:
            answer(handler)

    return dispatch


BROKEN_SERVERS = {
    "closes-mid-response": _close_mid_response,
    "garbage-status-line": _garbage_status,
    "html": _reply(200, b"<html><body>Welcome</body></html>", "text/html"),
    "empty-json": _reply(200, b"{}", "application/sparql-results+json"),
}


@pytest.mark.slow
@pytest.mark.server
@pytest.mark.parametrize("command", ["push", "query"])
@pytest.mark.parametrize("fault", list(BROKEN_SERVERS))
def test_a_broken_server_gives_one_line_and_exit_4(command: str, fault: str) -> None:
    with _listener(_gsp_ok_then(BROKEN_SERVERS[fault])) as (url, seen):
        if command == "push":
            result = run_cli("push", f"{url}/store", "--retries", "0")
        else:
            result = run_cli("query", "trial-design", "--endpoint", f"{url}/query")

    _one_error_line(result, 4)
    assert seen


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["push", "http://[::1"], id="push"),
        pytest.param(["push", "--update-endpoint", "http://[::1/update"], id="push-update"),
        pytest.param(["query", "trial-design", "--endpoint", "http://[::1"], id="query"),
    ],
)
def test_an_invalid_url_is_bad_input(args: list[str]) -> None:
    assert "is not a valid URL" in _one_error_line(run_cli(*args), 2)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_a_failing_service_endpoint_is_a_server_error(engine: str) -> None:
    sparql = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"

    line = _one_error_line(run_cli("query", "--sparql", sparql, "--engine", engine), 4)

    assert line.startswith("error: --sparql: SERVICE failed: ")


@pytest.mark.slow
def test_an_sssom_file_without_rows_is_bad_input(tmp_path: Path) -> None:
    lines = (DATA.parent.parent / "graph" / "mappings.sssom.tsv").read_text().splitlines(keepends=True)
    header = [line for line in lines if line.startswith("#")]
    path = tmp_path / "empty.sssom.tsv"
    path.write_text("".join(header) + lines[len(header)])

    line = _one_error_line(run_cli("mappings", "--sssom", str(path)), 2)

    assert line == f"error: {path}:{len(header) + 1}: no mapping rows after the header"


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [spec.suffix for spec in FORMATS.values()])
def test_an_empty_file_is_valid_and_said_to_hold_no_triple(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")

    result = run_cli("stats", str(path))

    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr.decode() == f"warning: {path}: holds 0 triples\n"


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld"])
def test_non_utf8_input_names_the_line(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"latin1{suffix}"
    path.write_bytes(b'<urn:x:s> <urn:x:p> "a" .\n<urn:x:s> <urn:x:p> "caf\xe9" .\n')

    with pytest.raises(InputError, match=r"latin1\.\w+:2: not UTF-8: byte 0xe9 at column 25"):
        RdfInput.read([path])
