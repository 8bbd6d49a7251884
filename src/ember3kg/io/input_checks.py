"""Checks an untrusted RDF document passes before a parser sees it.

Each RDF format of :data:`ember3kg.io.formats.FORMATS` names the checks its documents
go through. They keep parsing local and bounded:

- :func:`utf8_text`: the text formats are UTF-8; a bad byte is reported with its line;
- :func:`local_jsonld`: a JSON-LD document may not name a remote (or ``file:``)
  ``@context`` or ``@import``, which a JSON-LD processor would fetch (pyoxigraph's
  refuses, without naming it): parsing reads only the file named;
- :func:`safe_xml`: an RDF/XML document must be well-formed (reported with its line,
  which pyoxigraph's parser does not give) and may not declare entities, which could
  expand a few hundred bytes into gigabytes (defusedxml's check), nor name external ones.

Every check raises :class:`~ember3kg.errors.InputError` naming the document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from ember3kg.errors import InputError


def utf8_text(data: bytes, label: str) -> None:
    """Refuse a document that is not UTF-8, naming the line and column of the first bad byte.

    :raises InputError: ``LABEL:LINE: not UTF-8 ...``.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"{label}:{line}: not UTF-8: byte 0x{data[exc.start]:02x} at column {column}") from None


def local_jsonld(data: bytes, label: str) -> None:
    """Refuse a JSON-LD document whose ``@context`` (or a context's ``@import``) names another document.

    A document that is not JSON is left to the parser, which reports the line.

    :raises InputError: the document names a context to fetch.
    """
    try:
        document = json.loads(data)
    except ValueError:
        return
    remote = next(_remote_contexts(document), None)
    if remote is not None:
        raise InputError(
            f"{label}: JSON-LD context {remote!r} is a reference to another document; "
            "ember3kg reads only the file named: put the context inline"
        )


def _remote_contexts(value: object) -> Iterator[str]:
    """Yield every context reference (a string in ``@context``, or an ``@import``) in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                yield from (entry for entry in (item if isinstance(item, list) else [item]) if isinstance(entry, str))
            if key == "@import" and isinstance(item, str):
                yield item
            yield from _remote_contexts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _remote_contexts(item)


def safe_xml(data: bytes, label: str) -> None:
    """Refuse an XML document that is not well-formed, declares entities or names external ones.

    :raises InputError: ``LABEL:LINE: reason`` for malformed XML; an entity declaration or external reference.
    """
    try:
        defusedxml.sax.parseString(data, ContentHandler(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        name = getattr(exc, "name", None) or getattr(exc, "sysid", None)
        what = f"declares or names the XML entity {name!r}" if name else "declares or names XML entities"
        raise InputError(f"{label}: {what}; entities are refused (they can expand without bound)") from None
    except SAXParseException as exc:
        raise InputError(f"{label}:{exc.getLineNumber()}: {exc.getMessage()}") from None
