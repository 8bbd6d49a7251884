"""A throw-away Virtuoso Open Source server on 127.0.0.1, for the tests.

:class:`VirtuosoServer` writes its own ``virtuoso.ini`` into a temporary directory
(database, transaction log and temporary files live there too), picks free ports for
SQL and HTTP, starts ``virtuoso-t -f`` (foreground: the process is the server), waits
until its SPARQL endpoint answers and always stops it. A new database has the
administrator ``dba`` with password ``dba``; the ``-auth`` endpoints ask for it with
HTTP Digest. ``make virtuoso`` installs Debian's ``virtuoso-opensource``; without it
the tests that need the server are skipped, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType

import pytest

from ember3kg.errors import ServerError
from ember3kg.stores.serve import HOST, free_port
from ember3kg.stores.sparql_client import Connection, SparqlClient

#: The administrator of a new Virtuoso database and its password.
USER = "dba"
PASSWORD = "dba"  # noqa: S105 (Virtuoso's documented default, on a throw-away database)
#: Seconds to wait for a new database to come up (it writes its first checkpoint first).
_START_TIMEOUT = 90.0
#: Debian's page files of the HTTP server (the SPARQL endpoints need none, but the server wants a root).
_SERVER_ROOT = "/var/lib/virtuoso-opensource-7/vsp"

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = {host}:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = .
ThreadsPerQuery = 1

[HTTPServer]
ServerPort = {host}:{http_port}
ServerRoot = {server_root}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 120
"""


def find_virtuoso() -> str:
    """Find ``virtuoso-t``, or skip the test naming the Makefile target that installs it."""
    found = shutil.which("virtuoso-t")
    if found is None:
        pytest.skip("virtuoso-t is not installed (make virtuoso installs Debian's virtuoso-opensource)")
    return found


class VirtuosoServer:
    """A ``virtuoso-t`` process with a new database in ``directory``, as a context manager that always stops it.

    :param directory: an empty directory for the ini file, the database and the log.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self.http_port = free_port()
        self.sql_port = free_port()
        self.base = f"http://{HOST}:{self.http_port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def query(self) -> str:
        """The anonymous SPARQL query endpoint."""
        return f"{self.base}/sparql"

    @property
    def update(self) -> str:
        """The SPARQL endpoint that accepts updates from an authenticated user (Digest)."""
        return f"{self.base}/sparql-auth"

    @property
    def store(self) -> str:
        """The Graph Store Protocol endpoint for an authenticated user (Digest)."""
        return f"{self.base}/sparql-graph-crud-auth"

    def start(self) -> VirtuosoServer:
        """Write the ini file, start the server and wait until its SPARQL endpoint answers."""
        ini = self.directory / "virtuoso.ini"
        ini.write_text(
            _INI.format(
                dir=self.directory,
                host=HOST,
                sql_port=self.sql_port,
                http_port=self.http_port,
                server_root=_SERVER_ROOT,
            )
        )
        with (self.directory / "stdout.log").open("wb") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [find_virtuoso(), "-f", "-c", str(ini)], cwd=self.directory, stdout=log, stderr=subprocess.STDOUT
            )
        client = SparqlClient(Connection(timeout=5, retries=0))
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t stopped at start (exit {self.process.returncode}): {self.log_tail()}")
            try:
                client.results(self.query, "ASK {}")
                return self
            except ServerError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"virtuoso did not answer at {self.query} within {_START_TIMEOUT:g} s")

    def isql(self, statements: str) -> str:
        """Run SQL ``statements`` with Debian's ``isql-vt`` as the administrator; return its output.

        :raises RuntimeError: isql-vt is missing or reports an error.
        """
        isql = shutil.which("isql-vt")
        if isql is None:
            raise RuntimeError("isql-vt is not installed (it comes with virtuoso-opensource)")
        done = subprocess.run(
            [isql, f"{HOST}:{self.sql_port}", USER, PASSWORD, f"exec={statements}"],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt failed (exit {done.returncode}): {done.stdout} {done.stderr}")
        return done.stdout

    def stop(self) -> None:
        """Stop the server: SIGTERM (it checkpoints and exits), SIGKILL after 30 s; safe to call twice."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self) -> str:
        """Return the last lines of the server's log, for a failure message."""
        path = self.directory / "virtuoso.log"
        lines = path.read_text("utf-8", "replace").splitlines() if path.exists() else []
        return " | ".join(lines[-3:]) or "(no log)"

    def __enter__(self) -> VirtuosoServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()
