"""The one HTTP client of ember3kg for SPARQL servers, on ``requests``.

:class:`SparqlClient` speaks the W3C SPARQL 1.1 Protocol (query and update, as
URL-encoded ``POST`` forms, with the ``default-graph-uri`` and ``named-graph-uri``
parameters that choose the dataset of a query) and the SPARQL 1.1 Graph Store HTTP
Protocol (``PUT``, ``GET`` and ``DELETE`` of one named graph, ``?graph=<iri>``).

Credentials are sent only when a server asks for them: the first request goes
without, and a ``401`` answer's ``WWW-Authenticate`` header decides the scheme,
HTTP Digest (Virtuoso's ``-auth`` endpoints) or Basic (Fuseki, GraphDB); the client
keeps that scheme for its next requests. Every request has a timeout; a failure that
trying again may cure (refused connection, timeout, HTTP 5xx, 408, 429) is retried
with doubling back-off; what still fails is a one-line
:class:`~ember3kg.errors.ServerError` holding the server's own message, never the
password nor the token of an ``Authorization`` header, whatever a server echoes.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ember3kg.errors import InputError, ServerError
from ember3kg.vocab.iris import display_url

if TYPE_CHECKING:  # requests is imported on first use: it is a sixth of every command's start-up
    import requests
    from requests.auth import AuthBase

#: Environment variable holding the password for ``--user``.
PASSWORD_VARIABLE = "EMBER3KG_PASSWORD"  # noqa: S105 (a variable name, not a password)
#: Media types asked for or sent.
SPARQL_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
TURTLE = "text/turtle"
#: What a graph query asks for: N-Triples first, as Virtuoso's Turtle writes a decimal 1.0 as the integer 1.
GRAPH_ANSWER = f"{NTRIPLES}, {TURTLE};q=0.9"
#: Statuses worth retrying besides 5xx: request timeout, too many requests.
_RETRIABLE_STATUSES = frozenset({408, 429})
#: At most this many characters of a server's error message are reported.
_MESSAGE_LIMIT = 300
#: ``WWW-Authenticate`` scheme -> the class of ``requests.auth`` that answers it.
_SCHEMES: Mapping[str, str] = {"digest": "HTTPDigestAuth", "basic": "HTTPBasicAuth"}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Credentials:
    """A user and password for HTTP authentication; the password is left out of ``repr``."""

    user: str
    password: str = field(repr=False)

    @classmethod
    def from_environment(cls, user: str | None, environ: Mapping[str, str]) -> Credentials | None:
        """Pair ``user`` with the password in :data:`PASSWORD_VARIABLE`; ``None`` without a user.

        :raises InputError: a user is given but the variable is not set.
        """
        if user is None:
            return None
        if PASSWORD_VARIABLE not in environ:
            raise InputError(f"user {user} needs the password in the environment variable {PASSWORD_VARIABLE}")
        return cls(user, environ[PASSWORD_VARIABLE])

    def scrub(self, text: str) -> str:
        """Remove the password and a Basic token made of it from ``text`` (a server might echo what it was sent)."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        for secret in (token, self.password):
            if secret:
                text = text.replace(secret, "***")
        return text


@dataclass(frozen=True)
class Connection:
    """How to talk to a server: credentials, timeout and retry policy.

    :param credentials: sent when the server asks (Digest or Basic), or ``None``.
    :param timeout: seconds to wait for each answer.
    :param retries: how many times a retriable failure is tried again.
    :param backoff: seconds before the first retry; doubled for each further one.
    """

    credentials: Credentials | None = None
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5

    def scrub(self, text: str) -> str:
        """Remove the password, if any, from ``text``."""
        return self.credentials.scrub(text) if self.credentials else text


class SparqlClient:
    """Send SPARQL Protocol and Graph Store Protocol requests with one :class:`Connection`.

    :param connection: credentials, timeout and retries.
    :param progress: called with one line per retry.

    Example:
        >>> client = SparqlClient(Connection(timeout=5))
        >>> client.results("http://127.0.0.1:7878/query", "ASK {}")  # doctest: +SKIP
        {'head': {}, 'boolean': True}
    """

    def __init__(self, connection: Connection | None = None, progress: Progress | None = None):
        self.connection = connection or Connection()
        self._progress = progress
        import requests

        self._session = requests.Session()
        self._session.trust_env = False  # no proxy or .netrc from the environment: the user's URL, as given
        self._auth: AuthBase | None = None

    # --- SPARQL 1.1 Protocol ---------------------------------------------------------

    def query(
        self, endpoint: str, text: str, *, accept: str = SPARQL_JSON, graphs: Sequence[str] | None = None
    ) -> bytes:
        """Run a query and return the answer's bytes.

        :param graphs: the dataset of the query: each graph is sent as a ``default-graph-uri``
            (their merge is the default graph) and a ``named-graph-uri``; the store's own
            default graph if ``None``.
        """
        form: list[tuple[str, str]] = [("query", text)]
        for graph in graphs or ():
            form += [("default-graph-uri", graph), ("named-graph-uri", graph)]
        what = f"query {display_url(endpoint)}"
        return self._send("POST", endpoint, what, data=form, headers={"Accept": accept}).content

    def results(self, endpoint: str, text: str, *, graphs: Sequence[str] | None = None) -> dict[str, Any]:
        """Run a SELECT or ASK query and parse its SPARQL JSON results.

        :raises ServerError: the request fails, or the answer is not a JSON object.
        """
        data = self.query(endpoint, text, graphs=graphs)
        try:
            document = json.loads(data)
        except ValueError as exc:
            raise ServerError(f"query {display_url(endpoint)}: not a SPARQL JSON answer: {exc}") from None
        if not isinstance(document, dict):
            raise ServerError(f"query {display_url(endpoint)}: not a SPARQL JSON answer: {type(document).__name__}")
        return document

    def update(self, endpoint: str, text: str) -> None:
        """Run a SPARQL update."""
        self._send("POST", endpoint, f"update {display_url(endpoint)}", data={"update": text})

    # --- Graph Store HTTP Protocol ----------------------------------------------------

    def put_graph(self, store: str, graph: str, body: bytes, content_type: str = NTRIPLES) -> None:
        """Replace the named graph ``graph`` with ``body``."""
        headers = {"Content-Type": content_type}
        self._send("PUT", _graph_url(store, graph), f"PUT {graph}", data=body, headers=headers)

    def get_graph(self, store: str, graph: str, accept: str = NTRIPLES) -> bytes:
        """Read the named graph ``graph``."""
        return self._send("GET", _graph_url(store, graph), f"GET {graph}", headers={"Accept": accept}).content

    def delete_graph(self, store: str, graph: str) -> None:
        """Remove the named graph ``graph``."""
        self._send("DELETE", _graph_url(store, graph), f"DELETE {graph}")

    # --- Transport --------------------------------------------------------------------

    def _send(self, method: str, url: str, what: str, **options: Any) -> requests.Response:
        """Send one request, retrying retriable failures; answer credentials challenges."""
        connection = self.connection
        for attempt in range(connection.retries + 1):
            try:
                return self._attempt(method, url, what, **options)
            except ServerError as exc:
                if not exc.retriable or attempt == connection.retries:
                    raise
                delay = connection.backoff * 2**attempt
                if self._progress is not None:
                    self._progress(f"{what}: {exc}; retry {attempt + 1} of {connection.retries} in {delay:.1f} s")
                time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _attempt(self, method: str, url: str, what: str, **options: Any) -> requests.Response:
        """Send one request once; a first ``401`` chooses the scheme the server asks for and sends it again."""
        response = self._request(method, url, **options)
        if response.status_code == 401 and self._auth is None and self.connection.credentials is not None:
            scheme = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0].lower()
            if scheme in _SCHEMES:
                credentials = self.connection.credentials
                import requests.auth

                self._auth = getattr(requests.auth, _SCHEMES[scheme])(credentials.user, credentials.password)
                response = self._request(method, url, **options)
        if response.status_code >= 400:
            raise self._status_error(what, response)
        return response

    def _request(self, method: str, url: str, **options: Any) -> requests.Response:
        """Send the request; turn a failure below HTTP into a :class:`ServerError`."""
        import requests

        try:
            return self._session.request(
                method, url, auth=self._auth, timeout=self.connection.timeout, allow_redirects=False, **options
            )
        except requests.exceptions.ConnectTimeout:
            reason, retriable, reached = f"no connection within {self.connection.timeout:g} s", True, False
        except requests.exceptions.Timeout:
            reason, retriable, reached = f"no answer within {self.connection.timeout:g} s", True, True
        except requests.exceptions.ConnectionError as exc:
            refused = _refused(exc)
            reason = "connection refused (is the server running?)" if refused else f"connection lost: {_cause(exc)}"
            retriable, reached = True, not refused
        except requests.exceptions.RequestException as exc:  # e.g. a URL requests cannot send
            reason, retriable, reached = f"{type(exc).__name__}: {_cause(exc)}", False, False
        raise ServerError(f"{_without_query(url)}: {reason}", retriable=retriable, reached=reached)

    def _status_error(self, what: str, response: requests.Response) -> ServerError:
        """Make a :class:`ServerError` for an HTTP error status, with the server's message on one line."""
        message = self.connection.scrub(" ".join(response.text.split()))
        if len(message) > _MESSAGE_LIMIT:
            message = message[:_MESSAGE_LIMIT] + "..."
        head = f"{what}: HTTP {response.status_code} {response.reason}"
        status = response.status_code
        retriable = status >= 500 or status in _RETRIABLE_STATUSES
        return ServerError(f"{head}: {message}" if message else head, retriable=retriable)


def boolean_answer(document: Mapping[str, Any]) -> bool | None:
    """Read the answer of an ASK query from SPARQL JSON results, or ``None`` if it holds none.

    Virtuoso answers an ASK instead with a SELECT result of the variable
    ``__ASK_RETVAL``: one row binding it to 1 for true, none (or 0) for false; both
    forms are read.

    Example:
        >>> boolean_answer({"boolean": True}), boolean_answer({"head": {"vars": ["x"]}, "results": {"bindings": []}})
        (True, None)
    """
    if "boolean" in document:
        return bool(document["boolean"])
    variables = document.get("head", {}).get("vars", [])
    rows = document.get("results", {}).get("bindings", [])
    if variables != ["__ASK_RETVAL"]:
        return None
    return any(row.get("__ASK_RETVAL", {}).get("value") not in ("0", "false") for row in rows)


def _graph_url(store: str, graph: str) -> str:
    """Add ``graph=<iri>`` to the query string of a Graph Store URL."""
    separator = "&" if urllib.parse.urlsplit(store).query else "?"
    return f"{store}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _without_query(url: str) -> str:
    """Drop the query string and any user information of ``url``, for messages (which name the graph themselves)."""
    return display_url(urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(query="")))


def _refused(exc: BaseException) -> bool:
    """Tell whether a transport failure was a refused connection (the request never reached a server)."""
    return any(isinstance(item, ConnectionRefusedError) for item in _chain(exc))


def _cause(exc: BaseException) -> str:
    """Name the innermost cause of a transport failure (its class: the text repeats the URL and its query)."""
    return type(_chain(exc)[-1]).__name__


def _chain(exc: BaseException) -> list[BaseException]:
    """List an exception and its causes, outermost first: ``requests`` wraps urllib3, which wraps the socket's."""
    found: list[BaseException] = []
    item: object = exc
    while isinstance(item, BaseException) and item not in found:
        found.append(item)
        nested = [getattr(item, "reason", None), *item.args, item.__cause__, item.__context__]
        item = next((candidate for candidate in nested if isinstance(candidate, BaseException)), None)
    return found
