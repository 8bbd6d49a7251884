"""Bound the time of every request to the oxigraph server, whatever the query.

Oxigraph's own ``--timeout-s`` does not stop every query: a blocking operator (an
``ORDER BY``, an aggregate over a cartesian product) runs on to the end, a core busy
long after its client left (oxigraph issue 1871, open in 0.5.13). :class:`Supervisor`
is a small HTTP front on the user's port that passes each request to the oxigraph
child on an internal port, unchanged, and restarts the child when a request has run
``timeout`` seconds plus a grace period: the runaway evaluation dies with the process,
the waiting client gets HTTP 503 naming the limit, and the store (on disk) is served
again a moment later. Requests running at that moment fail too; that is the price of
a server that cannot be stopped otherwise.

The front takes the user's port when it is made, so that a busy port fails before
any work, but accepts connections only from :meth:`Supervisor.serve` on: until then
a client's connection waits in the system's queue, and is answered once the store
holds the data, never from a store still being loaded.
"""

from __future__ import annotations

import errno
import http.client
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from ember3kg.errors import ServerError

#: Seconds past the timeout before the child is restarted (oxigraph's own limit acts first where it can).
GRACE = 2.0
#: Headers that belong to one connection, not to the request or answer passed on.
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "proxy-connection"})
#: Bytes copied at a time from the child's answer to the client.
_CHUNK = 1 << 16


class Supervisor:
    """Serve ``host:port`` by passing requests to ``child``, restarting it when a request outlives ``timeout``.

    :param child: the oxigraph server (started, on another port); it must offer
        ``endpoints.base``, ``restart()`` and ``check_running()``.
    :param host: interface to listen on.
    :param port: the user's port.
    :param timeout: seconds a request may take before the child is restarted (plus :data:`GRACE`).
    """

    def __init__(self, child: object, host: str, port: int, timeout: float):
        self.child = child
        self.timeout = timeout
        self.restarts = 0
        self._lock = threading.Lock()
        self._running: dict[int, float] = {}
        self._stopping = threading.Event()
        try:
            self._server = ThreadingHTTPServer((host, port), _handler(self))
        except OSError as exc:
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be served: {exc.strerror}"
            raise ServerError(f"port {port} on {host} {reason}") from None
        self._server.daemon_threads = True
        # The child is restarted from this thread, which lives as long as the supervisor:
        # Linux sends the parent-death signal when the thread that started a child ends.
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._serving = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Supervisor:
        self._watcher.start()
        return self

    def serve(self) -> None:
        """Start accepting the connections to the user's port (once the child holds the data)."""
        self._serving.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stopping.set()
        if self._serving.is_alive():
            self._server.shutdown()  # waits for serve_forever, so only once it runs
        self._server.server_close()
        for thread in (self._watcher, self._serving):
            if thread.is_alive():
                thread.join(timeout=10)

    def check_running(self) -> None:
        """Raise :class:`ServerError` if the child stopped on its own (not while it is being restarted)."""
        with self._lock:
            self.child.check_running()  # type: ignore[attr-defined]

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        """Pass one request to the child and its answer back; answer 503 if the child was restarted meanwhile."""
        key = id(handler)
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        with self._lock:
            self._running[key] = time.monotonic()
            base = self.child.endpoints.base  # type: ignore[attr-defined]
        connection = http.client.HTTPConnection(base.removeprefix("http://"))
        answered = False
        try:
            headers = {name: value for name, value in handler.headers.items() if name.lower() not in _HOP_BY_HOP}
            connection.request(handler.command, handler.path, body=body or None, headers=headers)
            response = connection.getresponse()
            handler.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    handler.send_header(name, value)
            handler.end_headers()
            answered = True
            while chunk := response.read(_CHUNK):
                handler.wfile.write(chunk)
        except (OSError, http.client.HTTPException):
            if not answered:
                handler.send_error(503, f"the query was stopped after {self.timeout:g} s")
        finally:
            connection.close()
            with self._lock:
                self._running.pop(key, None)

    def _watch(self) -> None:
        """Restart the child when a request has run past the timeout and the grace period."""
        while not self._stopping.wait(0.2):
            with self._lock:
                oldest = min(self._running.values(), default=None)
                if oldest is not None and time.monotonic() - oldest > self.timeout + GRACE:
                    self._running.clear()  # their connections to the old child break: each answers 503
                    self.child.restart()  # type: ignore[attr-defined]
                    self.restarts += 1


def _handler(supervisor: Supervisor) -> type[BaseHTTPRequestHandler]:
    """Make the request handler class of ``supervisor``: every method is passed on."""

    class Handler(BaseHTTPRequestHandler):
        def _forward(self) -> None:
            supervisor.forward(self)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _forward

        def log_message(self, *args: object) -> None:
            """Log nothing: the server's output is its banner."""

    return Handler
