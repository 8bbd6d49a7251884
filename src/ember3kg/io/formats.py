"""Registry of the RDF serialisation formats ember3kg reads and writes.

One :class:`RdfFormat` entry per format drives parsing user files (format from the
file suffix), writing the dataset, the ``--format`` choices of the command line and
the tests. A new format is one entry in :data:`FORMATS`.

Each entry also says how an untrusted document of the format is read: the checks
it passes first (:mod:`ember3kg.io.input_checks`) and pyoxigraph's parser for it:
pyoxigraph reads every format, several times faster than rdflib and in time linear in
the length of a line (rdflib's N-Triples parser is not).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ember3kg.errors import InputError
from ember3kg.io.input_checks import local_jsonld, safe_xml, utf8_text
from ember3kg.io.serializers import canonical_json, sorted_lines, unchanged
from ember3kg.vocab.namespaces import PREFIXES


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialisation format.

    :param name: the key in :data:`FORMATS` and the ``--format`` choice.
    :param parser: rdflib's parser plugin name (files are read by pyoxigraph; this reads what rdflib wrote).
    :param serializer: rdflib's serialiser plugin name (see :mod:`ember3kg.io.serializers`).
    :param suffix: file suffix written by ``build``, with its dot.
    :param media_type: IANA media type of the format.
    :param quads: whether the format carries named graphs (the dataset is written
        graph by graph); otherwise the union of all graphs is written.
    :param oxigraph: name of the ``pyoxigraph.RdfFormat`` that parses the format.
    :param read_suffixes: further suffixes recognised when reading a file.
    :param aliases: other names a user may give for the format (``turtle`` for ``ttl``).
    :param options: keyword arguments for rdflib's serialiser.
    :param normalise: turns rdflib's output into a deterministic byte string.
    :param checks: run on a document before it is parsed; each raises
        :class:`~ember3kg.errors.InputError` (see :mod:`ember3kg.io.input_checks`).
    """

    name: str
    parser: str
    serializer: str
    suffix: str
    media_type: str
    quads: bool
    oxigraph: str
    read_suffixes: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    normalise: Callable[[bytes], bytes] = unchanged
    checks: tuple[Callable[[bytes, str], None], ...] = (utf8_text,)

    @property
    def line_based(self) -> bool:
        """One statement per line (N-Triples, N-Quads): written sorted, line by line."""
        return self.normalise is sorted_lines


def _line_based(
    name: str, rdflib_name: str, oxigraph: str, media_type: str, *, quads: bool, aliases: tuple[str, ...]
) -> RdfFormat:
    """Make a one-statement-per-line format: one rdflib plugin reads and writes it, and it is written sorted."""
    return RdfFormat(
        name,
        rdflib_name,
        rdflib_name,
        f".{name}",
        media_type,
        quads=quads,
        oxigraph=oxigraph,
        aliases=aliases,
        normalise=sorted_lines,
    )


#: Format name -> format, in the order ``build`` writes them.
FORMATS: Mapping[str, RdfFormat] = MappingProxyType(
    {
        spec.name: spec
        for spec in (
            RdfFormat(
                "ttl",
                "turtle",
                "ember3kg-turtle",
                ".ttl",
                "text/turtle",
                quads=False,
                oxigraph="TURTLE",
                aliases=("turtle",),
            ),
            _line_based(
                "nt", "nt", "N_TRIPLES", "application/n-triples", quads=False, aliases=("ntriples", "n-triples")
            ),
            _line_based("nq", "nquads", "N_QUADS", "application/n-quads", quads=True, aliases=("nquads", "n-quads")),
            RdfFormat("trig", "trig", "ember3kg-trig", ".trig", "application/trig", quads=True, oxigraph="TRIG"),
            RdfFormat(
                "jsonld",
                "json-ld",
                "json-ld",
                ".jsonld",
                "application/ld+json",
                quads=False,
                oxigraph="JSON_LD",
                read_suffixes=(".json",),
                aliases=("json-ld",),
                options={"context": dict(PREFIXES), "auto_compact": True},
                normalise=canonical_json,
                checks=(utf8_text, local_jsonld),
            ),
            RdfFormat(
                "xml",
                "xml",
                "ember3kg-xml",
                ".rdf",
                "application/rdf+xml",
                quads=False,
                oxigraph="RDF_XML",
                read_suffixes=(".owl", ".xml"),
                aliases=("rdfxml", "rdf/xml"),
                checks=(safe_xml,),  # XML declares its own encoding
            ),
        )
    }
)

#: Every other name of a format (:attr:`RdfFormat.aliases`) -> the format's name, for the ``--format`` options.
FORMAT_ALIASES: Mapping[str, str] = MappingProxyType(
    {alias: spec.name for spec in FORMATS.values() for alias in spec.aliases}
)


def format_for_path(path: str | Path) -> RdfFormat:
    """Find the format of a file from its suffix.

    :param path: a file name; its suffix is matched case-insensitively.
    :returns: the matching :class:`RdfFormat`.
    :raises InputError: no format in :data:`FORMATS` has that suffix.

    Example:
        >>> format_for_path("graph/sources.ttl").name
        'ttl'
    """
    suffix = Path(path).suffix.lower()
    for spec in FORMATS.values():
        if suffix in (spec.suffix, *spec.read_suffixes):
            return spec
    known = ", ".join(sorted(s for spec in FORMATS.values() for s in (spec.suffix, *spec.read_suffixes)))
    raise InputError(f"{path}: unknown RDF format {suffix or '(no suffix)'!r}; known suffixes: {known}")
