"""Checked IRIs for SPARQL text, and URLs safe to show.

Every IRI that ember3kg writes into SPARQL text (graph names in updates and count
queries, ``--param`` values sent to an endpoint) goes through :func:`checked_iri`,
which accepts only an absolute IRI as RFC 3987 defines it (Oxigraph's parser, shipped
with pyoxigraph, does the check): a scheme, no spaces, none of ``<>"{}|^``, backtick
or backslash. Such a term cannot close the ``<...>`` it is written in, so a user's
text never becomes SPARQL.

Every URL shown to a user (messages, progress lines) goes through :func:`display_url`,
which drops the ``user:password@`` part; :func:`split_userinfo` takes it out of a URL
before the URL is used at all.
"""

from __future__ import annotations

import urllib.parse

from ember3kg.errors import InputError


def checked_iri(text: str, what: str = "IRI") -> str:
    """Return ``text`` if it is an absolute IRI (RFC 3987).

    :param text: the candidate IRI.
    :param what: names the value in the error, e.g. ``--graph-prefix``.
    :raises InputError: ``text`` is not an absolute IRI.

    Example:
        >>> checked_iri("https://w3id.org/ember3kg/graph/")
        'https://w3id.org/ember3kg/graph/'
    """
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError as exc:
        raise InputError(f"{what} {display_url(text)!r} is not an absolute IRI: {exc}") from None
    return text


def sparql_iri(text: str) -> str:
    """Write a checked IRI as a SPARQL IRI reference, ``<text>``.

    :raises InputError: ``text`` is not an absolute IRI.
    """
    return f"<{checked_iri(text)}>"


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """Separate the ``user:password@`` part of a URL from the rest.

    :returns: the URL without it, and the (percent-decoded) user and password, or ``None``.
    :raises InputError: the URL cannot be parsed (e.g. ``http://[::1``).

    Example:
        >>> split_userinfo("http://ann:pw@127.0.0.1:7878/store")
        ('http://127.0.0.1:7878/store', ('ann', 'pw'))
    """
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (a bad port is only found when it is read)
    except ValueError as exc:
        raise InputError(f"{display_url(url)!r} is not a valid URL: {exc}") from None
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    stripped = urllib.parse.urlunsplit(parts._replace(netloc=host))
    return stripped, (urllib.parse.unquote(user), urllib.parse.unquote(password))


def display_url(url: str) -> str:
    """Drop the ``user:password@`` part of a URL (or of anything that looks like one) for showing it.

    Example:
        >>> display_url("http://ann:pw@127.0.0.1:7878/store")
        'http://127.0.0.1:7878/store'
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    authority_end = min((index for index in map(rest.find, "/?#") if index >= 0), default=len(rest))
    authority = rest[:authority_end]
    return f"{scheme}://{authority.rpartition('@')[2]}{rest[authority_end:]}"
