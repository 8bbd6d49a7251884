"""Run a local Oxigraph SPARQL server holding the dataset.

:class:`OxigraphServer` starts the ``oxigraph`` command (PyPI package ``oxigraph``)
on 127.0.0.1, waits until it answers and stops it again; :func:`serve` fills it with
every named graph of the dataset plus the VoID description (graph
:data:`~ember3kg.void.VOID_GRAPH`) through the Graph Store Protocol
(:func:`ember3kg.push.push`, counts verified) and runs until SIGINT or SIGTERM. The
graph of inferred triples (:func:`ember3kg.reason.with_inferred`) is served too when
the reasoner can run; without Java it is left out, and :func:`serve` says so.
Without a location the store lives in memory; with one it persists, and each start
replaces the dataset's graphs and leaves any others alone.
"""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, TracebackType

from rdflib import Dataset

from ember3kg.dataset import load_dataset
from ember3kg.errors import InputError, ReasonerUnavailableError, ServerError
from ember3kg.push import Connection, PushResult, push
from ember3kg.reason import with_inferred
from ember3kg.void import describe

#: Interface the server listens on: local only.
HOST = "127.0.0.1"
#: Oxigraph's own default port.
DEFAULT_PORT = 7878
#: Seconds to wait for the server to answer after starting it, and to stop.
_START_TIMEOUT = 30.0
_STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Endpoints:
    """The URLs of an Oxigraph server."""

    base: str

    @property
    def query(self) -> str:
        """SPARQL 1.1 Query endpoint."""
        return f"{self.base}/query"

    @property
    def update(self) -> str:
        """SPARQL 1.1 Update endpoint."""
        return f"{self.base}/update"

    @property
    def store(self) -> str:
        """SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"{self.base}/store"

    @property
    def ui(self) -> str:
        """The query editor in a browser."""
        return f"{self.base}/"


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

    Example:
        >>> with OxigraphServer(free_port()) as server:  # doctest: +SKIP
        ...     print(server.endpoints.query)
    """

    def __init__(
        self, port: int = DEFAULT_PORT, location: str | Path | None = None, *, union_default_graph: bool = False
    ):
        self.port = port
        self.location = None if location is None else Path(location)
        self.union_default_graph = union_default_graph
        self.endpoints = Endpoints(f"http://{HOST}:{port}")
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> OxigraphServer:
        """Start the server and wait until it answers.

        :raises ServerError: the port is taken, or the server exits or stays silent.
        """
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            if probe.connect_ex((HOST, self.port)) == 0:
                raise ServerError(f"{HOST}:{self.port} is already in use; choose another --port")
        command = [find_oxigraph(), "serve", "--bind", f"{HOST}:{self.port}"]
        if self.location is not None:
            command += ["--location", str(self.location)]
        if self.union_default_graph:
            command.append("--union-default-graph")
        # A process group of its own: Ctrl-C in a terminal reaches only us, and we stop it.
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            command, stdout=self._log, stderr=subprocess.STDOUT, process_group=0
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
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def check_running(self) -> None:
        """Raise :class:`ServerError` if the server has stopped on its own."""
        if self.process is None or self.process.poll() is not None:
            code = "never started" if self.process is None else f"exit {self.process.returncode}"
            raise ServerError(f"oxigraph stopped on its own ({code}): {self.log_tail()}")

    def log_tail(self) -> str:
        """Return the last line the server wrote, for error messages."""
        if self._log.closed:
            return ""
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return lines[-1] if lines else "(no output)"

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


def preload(server: OxigraphServer, dataset: Dataset) -> PushResult:
    """Put every graph of ``dataset`` and its VoID description into ``server``, verified.

    :returns: what was pushed.
    """
    loaded = Dataset()
    for graph in [*dataset.graphs(), describe(dataset)]:
        target = loaded.graph(graph.identifier)
        target += graph
    return push(loaded, server.endpoints.store, query_endpoint=server.endpoints.query, connection=Connection(retries=0))


def serve(
    port: int = DEFAULT_PORT,
    location: str | Path | None = None,
    *,
    dataset: Dataset | None = None,
    inferred: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the dataset on 127.0.0.1 until SIGINT (Ctrl-C) or SIGTERM, then stop the server.

    :param port: TCP port of the server.
    :param location: directory of a persistent store; in memory if ``None``.
    :param dataset: what to serve; the packaged dataset (with every part it has) by default.
    :param inferred: add the inferred graph when the reasoner can run.
    :param announce: prints the endpoints once the data is loaded.
    :raises InputError: ``location`` exists and is not a directory.
    :raises ServerError: the server cannot start, or stops on its own.
    :raises InconsistentError: ``inferred`` and the dataset is inconsistent.

    Example:
        >>> serve(7878)  # doctest: +SKIP
    """
    if location is not None and Path(location).exists() and not Path(location).is_dir():
        raise InputError(f"{location}: not a directory")
    dataset = load_dataset() if dataset is None else dataset
    if inferred:
        try:
            dataset = with_inferred(dataset)
        except ReasonerUnavailableError as exc:
            announce(f"serving without the inferred graph: {exc}")
    stopping = _StopOnSignals()
    # The union default graph lets `ember3kg query --endpoint` ask the questions unchanged.
    with stopping, OxigraphServer(port, location, union_default_graph=True) as server:
        result = preload(server, dataset)
        endpoints = server.endpoints
        announce(
            f"serving {result.triples} triples in {len(result.counts)} named graphs\n"
            f"  query:  {endpoints.query}\n"
            f"  update: {endpoints.update}\n"
            f"  store:  {endpoints.store}\n"
            f"  UI:     {endpoints.ui}\n"
            "press Ctrl-C to stop"
        )
        while not stopping.requested:
            server.check_running()
            time.sleep(0.1)


class _StopOnSignals:
    """Within its ``with`` block, SIGINT and SIGTERM set :attr:`requested` instead of killing the process."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.requested = True

    def __enter__(self) -> _StopOnSignals:
        for number in self._SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
