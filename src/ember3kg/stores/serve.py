"""Run a local Oxigraph SPARQL server holding the dataset.

:class:`OxigraphServer` starts the ``oxigraph`` command (PyPI package ``oxigraph``)
on 127.0.0.1, waits until it answers and stops it again. The child cannot outlive
its parent: it gets SIGKILL when the parent dies, even by SIGKILL (Linux's
parent-death signal), and a start-up failure is reported with oxigraph's own error
line ("Address already in use").

:func:`serve` writes every named graph of the dataset plus the VoID description
(graph :data:`~ember3kg.publish.void.VOID_GRAPH`) into a store (:func:`load_store`), serves
it, checks the counts over SPARQL and runs until SIGINT, SIGTERM or SIGHUP. The
server is **read-only** unless ``writable`` is set: any web page the user visits
could otherwise empty it with a cross-origin form POST to ``/update``. Every query
stops after ``timeout`` seconds: oxigraph's own limit, and a
:class:`~ember3kg.stores.request_timeout.Supervisor` in front of it for the queries oxigraph
does not stop. The graph of inferred triples
(:func:`ember3kg.reasoning.reason.with_inferred`) is served too when the reasoner can run;
without Java it is left out, and :func:`serve` says so. The entailment graph
(:mod:`ember3kg.reasoning.entailment`) is always served. Without a location the
store lives in a temporary directory removed at the end; with one it persists, and
each start replaces the dataset's graphs and leaves any others alone.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, MappingProxyType, TracebackType

from rdflib import Dataset

from ember3kg.errors import InputError, ReasonerUnavailableError, ServerError
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import new_graph
from ember3kg.publish.void import describe
from ember3kg.reasoning.entailment import entailment_graph
from ember3kg.reasoning.reason import ENTAILMENT_GRAPH, reason
from ember3kg.stores.push import PushResult, push, uploads, verify_counts
from ember3kg.stores.request_timeout import Supervisor
from ember3kg.stores.sparql_client import Connection

#: Interface the server listens on: local only.
HOST = "127.0.0.1"
#: Oxigraph's own default port.
DEFAULT_PORT = 7878
#: Seconds a query may run on the server, unless told otherwise.
DEFAULT_QUERY_TIMEOUT = 30.0
#: Seconds to wait for the server to answer after starting it, and to stop.
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 10.0
#: Field of :class:`Endpoints` -> its path on an Oxigraph server.
_ENDPOINT_PATHS = MappingProxyType({"query": "/query", "update": "/update", "store": "/store", "ui": "/"})
#: Linux ``prctl`` option: the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Endpoints:
    """The URLs of an Oxigraph server, made from its base URL with the paths Oxigraph serves.

    ``query`` is its SPARQL 1.1 Query endpoint, ``update`` its SPARQL 1.1 Update endpoint,
    ``store`` its SPARQL 1.1 Graph Store HTTP Protocol endpoint and ``ui`` the query editor
    for a browser.
    """

    base: str
    query: str = field(init=False)
    update: str = field(init=False)
    store: str = field(init=False)
    ui: str = field(init=False)

    def __post_init__(self) -> None:
        for name, path in _ENDPOINT_PATHS.items():
            object.__setattr__(self, name, f"{self.base}{path}")


def find_oxigraph() -> str:
    """Find the ``oxigraph`` command: next to the running interpreter, else on ``PATH``.

    :raises ServerError: it is not installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerError("the oxigraph server is not installed; install it with: pip install oxigraph")
    return found


def free_port() -> int:
    """Ask the system for a TCP port that is free on :data:`HOST` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class OxigraphServer:
    """An ``oxigraph serve`` process on 127.0.0.1, as a context manager that always stops it.

    :param port: TCP port; must be free.
    :param location: directory of a persistent store; in memory if ``None``.
    :param union_default_graph: make the default graph of queries the union of the named
        graphs, as the competency questions expect.
    :param read_only: refuse updates and Graph Store writes (``oxigraph serve-read-only``;
        needs a ``location``).
    :param timeout: seconds a query may run; no limit if ``None``.

    Example:
        >>> with OxigraphServer(free_port()) as server:  # doctest: +SKIP
        ...     print(server.endpoints.query)
    """

    def __init__(
        self,
        port: int = DEFAULT_PORT,
        location: str | Path | None = None,
        *,
        union_default_graph: bool = False,
        read_only: bool = False,
        timeout: float | None = None,
    ):
        if read_only and location is None:
            raise InputError("a read-only server needs the location of a store")
        self.port = port
        self.location = None if location is None else Path(location)
        self.union_default_graph = union_default_graph
        self.read_only = read_only
        self.timeout = timeout
        self.endpoints = Endpoints(f"http://{HOST}:{port}")
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers.

        :raises ServerError: the port is taken, or the server exits or stays silent.
        """
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise ServerError(f"port {self.port} on {HOST} is already in use")
        command = [find_oxigraph(), "serve-read-only" if self.read_only else "serve", "--bind", f"{HOST}:{self.port}"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        if self.union_default_graph:
            command.append("--union-default-graph")
        if self.timeout is not None:
            command += ["--timeout-s", str(max(1, round(self.timeout)))]
        # A process group of its own: Ctrl-C in a terminal reaches only us, and we stop it.
        # No backtrace: the error line is what the user needs.
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            process_group=0,
            preexec_fn=_die_with_parent,
            env={**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"},
        )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"oxigraph stopped at start (exit {self.process.returncode}): {self.log_tail()}")
            if self._answers():
                return self
            time.sleep(0.05)
        self.stop()
        raise ServerError(f"oxigraph did not answer at {self.endpoints.base} within {_START_TIMEOUT:g} s")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after a grace period); safe to call twice."""
        self._terminate()
        self._log.close()

    def restart(self) -> None:
        """Stop the server and start it again, on the same port and store (a query it ran dies with it).

        :raises ServerError: it does not start again.
        """
        self._terminate()
        self.start()

    def _terminate(self) -> None:
        """End the process: SIGTERM, then SIGKILL after a grace period."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def check_running(self) -> None:
        """Raise :class:`ServerError` if the server has stopped on its own."""
        if self.process is None or self.process.poll() is not None:
            code = "never started" if self.process is None else f"exit {self.process.returncode}"
            raise ServerError(f"oxigraph stopped on its own ({code}): {self.log_tail()}")

    def log_tail(self) -> str:
        """Return the server's error line (``Error: ...``), else the last line it wrote, for error messages."""
        if self._log.closed:
            return ""
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        errors = [line for line in lines if line.startswith("Error:")]
        return (errors or lines or ["(no output)"])[-1]

    def _answers(self) -> bool:
        """Tell whether the server answers HTTP yet."""
        try:
            with urllib.request.urlopen(self.endpoints.ui, timeout=1):  # noqa: S310 (our own server)
                return True
        except (urllib.error.URLError, OSError):
            return False

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _die_with_parent() -> None:
    """In the child, before ``exec``: ask Linux for SIGKILL when the parent dies, whatever kills it."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def described(dataset: Dataset) -> Dataset:
    """Copy ``dataset`` with its VoID description added as the graph :data:`~ember3kg.publish.void.VOID_GRAPH`."""
    copy = Dataset()
    for graph in [*dataset.graphs(), describe(dataset)]:
        target = copy.graph(graph.identifier)
        target += graph
    return copy


def preload(server: OxigraphServer, dataset: Dataset) -> PushResult:
    """Put every graph of ``dataset`` and its VoID description into a writable ``server``, verified.

    :returns: what was pushed.
    """
    store = server.endpoints.store
    return push(described(dataset), store, query_endpoint=server.endpoints.query, connection=Connection(retries=0))


def load_store(location: str | Path, dataset: Dataset) -> dict[str, int]:
    """Replace the graphs of ``dataset`` in the Oxigraph store at ``location``, leaving its other graphs alone.

    :returns: graph IRI -> triples written.
    :raises ServerError: the store cannot be opened (e.g. a server holds it).
    """
    import pyoxigraph

    graphs = uploads(dataset)
    try:
        store = pyoxigraph.Store(str(location))
        for upload in graphs:
            graph = pyoxigraph.NamedNode(str(upload.graph))
            store.remove_graph(graph)
            store.load(upload.body, pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
    except OSError as exc:
        raise ServerError(f"{location}: cannot open the store: {exc}") from None
    counts = {str(upload.graph): len(upload.triples) for upload in graphs}
    del store  # closes it, so that the server can open it
    return counts


def serve(
    port: int = DEFAULT_PORT,
    location: str | Path | None = None,
    *,
    data: RdfInput,
    inferred: bool = True,
    writable: bool = False,
    timeout: float = DEFAULT_QUERY_TIMEOUT,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the dataset on 127.0.0.1 until SIGINT (Ctrl-C), SIGTERM or SIGHUP, then stop the server.

    :param port: TCP port of the server.
    :param location: directory of a persistent store; a temporary one if ``None``.
    :param data: what to serve, e.g. :meth:`RdfInput.packaged() <ember3kg.io.inputs.RdfInput.packaged>`.
    :param inferred: add the inferred graph when the reasoner can run.
    :param writable: accept SPARQL updates and Graph Store writes; unsafe on a shared
        machine or with a browser open (see docs/security.md).
    :param timeout: seconds a query may run on the server.
    :param announce: prints the endpoints once the data is loaded.
    :raises InputError: ``location`` exists and is not a directory.
    :raises ServerError: the server cannot start, or stops on its own.
    :raises VerificationError: the server holds other counts than were loaded.
    :raises InconsistentError: ``inferred`` and the dataset is inconsistent.

    Example:
        >>> serve(7878, data=RdfInput.packaged())  # doctest: +SKIP
    """
    if location is not None and Path(location).exists() and not Path(location).is_dir():
        raise InputError(f"{location}: not a directory")
    stopping = _StopOnSignals()
    with tempfile.TemporaryDirectory(prefix="ember3kg-store-") as scratch:
        store = Path(scratch) if location is None else Path(location)
        # The union default graph lets `ember3kg query --endpoint` ask the questions unchanged.
        server = OxigraphServer(free_port(), store, union_default_graph=True, read_only=not writable, timeout=timeout)
        # The front takes the user's port at once: a busy port fails before any work (the reasoner takes a while).
        # It accepts connections only once the child answers with every triple loaded (they wait until then).
        with Supervisor(server, HOST, port, timeout) as front:
            dataset = _servable(data, inferred, announce).dataset()
            with stopping:
                counts = load_store(store, described(dataset))
                with server:
                    verify_counts(server.endpoints.query, counts, Connection(retries=0))
                    front.serve()
                    endpoints = Endpoints(f"http://{HOST}:{port}")
                    refused = "" if writable else " (read-only: refused)"
                    announce(
                        f"serving {sum(counts.values())} triples in {len(counts)} named graphs, "
                        f"queries stopped after {timeout:g} s\n"
                        f"  query:  {endpoints.query}\n"
                        f"  update: {endpoints.update}{refused}\n"
                        f"  store:  {endpoints.store}{refused and ' (read-only)'}\n"
                        f"  UI:     {endpoints.ui}\n"
                        "press Ctrl-C to stop"
                    )
                    while not stopping.requested:
                        front.check_running()
                        time.sleep(0.1)


def _servable(data: RdfInput, inferred: bool, announce: Callable[[str], None]) -> RdfInput:
    """Give the input to serve: with its entailment graph, and the inferred graph when asked and possible.

    The server queries the union of its graphs, where a triple held by two graphs is two
    solutions: the entailment graph then leaves out what the inferred graph holds (HermiT's
    classifications of the drugs), so each SERD is listed once.
    """
    # The packaged entailment graph holds HermiT's classifications even where Java is missing.
    entailed = entailment_graph(data)
    if inferred:
        try:
            found = reason(data).graph()
        except ReasonerUnavailableError as exc:
            announce(f"serving without the inferred graph: {exc}")
        else:
            data = data.with_graph(found)
            kept = new_graph(ENTAILMENT_GRAPH)
            kept += (triple for triple in entailed if triple not in found)
            entailed = kept
    return data.with_graph(entailed)


class _StopOnSignals:
    """Within its ``with`` block, SIGINT, SIGTERM and SIGHUP set :attr:`requested` instead of killing the process.

    A SIGHUP the process was started with ignored stays ignored: ``nohup ember3kg serve``
    keeps serving after a SIGHUP, as ``nohup`` promises. SIGINT and SIGTERM always stop
    it, even in a background job, which a shell starts with SIGINT ignored.
    """

    _SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    #: The signals left ignored when they were at start-up.
    _IGNORED_STAY_IGNORED = (signal.SIGHUP,)

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.requested = True

    def __enter__(self) -> _StopOnSignals:
        for number in self._SIGNALS:
            if number not in self._IGNORED_STAY_IGNORED or signal.getsignal(number) is not signal.SIG_IGN:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
