"""One prefix map for the whole project, and the checks every CURIE must pass.

The map joins two sources:

- :data:`ember3kg.vocab.namespaces.PREFIXES`, the project's own prefixes (``ekg``, ``kg``,
  the W3C vocabularies, ...), and :data:`REPORT_PREFIXES`;
- the packaged table ``prefixes.tsv``: one row per external prefix, with the URI
  prefix and local-identifier pattern the Bioregistry gives for it, or, for the few
  prefixes the Bioregistry does not know (``fhirstat``), ones the project sets.

The table is generated from the Bioregistry at development time
(:func:`prefix_rows_from_bioregistry`, run by ``tools/refresh-prefixes.py``) and
committed, because importing ``bioregistry`` costs about a second, which every
command line call that loads the dataset would pay; ``curies`` alone costs a tenth
of that. A test regenerates the table and compares.

URI prefixes follow the Bioregistry's default choice, except where
:data:`URI_PREFIX_PRIORITY` asks for another of its sources (MeSH: the NLM RDF
namespace ``http://id.nlm.nih.gov/mesh/``, which the MeSH SPARQL endpoint uses).

Every IRI that ember3kg shortens for people (reports, tables, FHIR displays) or
expands from a CURIE goes through :func:`compress`, :func:`compress_iris` or
:func:`expand`: an OBO term is ``CHEBI:31638``, not ``obo:CHEBI_31638``, because the
longest URI prefix wins.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.term import Node

from ember3kg.errors import DataError, InputError
from ember3kg.vocab.namespaces import PREFIXES, SHAPES

#: Prefixes that shorten IRIs in reports but are not bound on the data (the shapes' namespace).
REPORT_PREFIXES: Mapping[str, str] = MappingProxyType({"ekgsh": str(SHAPES)})

if TYPE_CHECKING:  # curies (with pydantic) is imported when the first IRI is shortened (start-up time)
    import curies

#: Columns of ``prefixes.tsv``, in order.
PREFIX_COLUMNS: tuple[str, ...] = ("prefix", "uri_prefix", "pattern", "bioregistry")

#: Pattern for a local identifier when the registry gives none (W3C and schema.org
#: terms, the project's own names): a name without spaces, slashes or colons.
LOCAL_NAME_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"

#: Bioregistry prefix -> the URI-prefix sources to prefer, best first; the others use
#: the Bioregistry default. A short list, each entry with its reason.
URI_PREFIX_PRIORITY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # NLM publishes MeSH as RDF under this namespace; the default is a web page.
        "mesh": ("rdf", "default"),
    }
)

#: Prefixes the project defines itself because the Bioregistry has no entry for them:
#: prefix -> (URI prefix, pattern).
LOCAL_PREFIXES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        # HL7 FHIR statistic-type code system; FHIR gives codes, not concept IRIs, so the
        # IRI is system#code. Codes are NCIt-style C-codes, STATO numbers or names such as
        # absolute-MedianDiff.
        "fhirstat": ("http://terminology.hl7.org/CodeSystem/statistic-type#", r"^[A-Za-z0-9-]+$"),
    }
)


@dataclass(frozen=True)
class PrefixEntry:
    """One prefix of the project map.

    :param prefix: the CURIE prefix as the project writes it, e.g. ``CHEBI``.
    :param uri_prefix: what the prefix expands to.
    :param pattern: regular expression a local identifier must match.
    :param bioregistry: the Bioregistry prefix it stands for, or ``""`` for a prefix
        the project defines.
    """

    prefix: str
    uri_prefix: str
    pattern: str
    bioregistry: str = ""


@lru_cache(maxsize=1)
def prefix_entries() -> Mapping[str, PrefixEntry]:
    """Read the project prefix map: the packaged table, then the project's own prefixes.

    :returns: prefix -> entry.
    :raises DataError: a prefix has two different URI prefixes.
    """
    entries: dict[str, PrefixEntry] = {
        row["prefix"]: PrefixEntry(
            row["prefix"], row["uri_prefix"], row["pattern"] or LOCAL_NAME_PATTERN, row["bioregistry"]
        )
        for row in read_prefix_rows(files("ember3kg.vocab").joinpath("prefixes.tsv").read_text(encoding="utf-8"))
    }
    for prefix, uri_prefix in {**PREFIXES, **REPORT_PREFIXES}.items():
        known = entries.get(prefix)
        if known is not None and known.uri_prefix != uri_prefix:
            raise DataError(
                f"prefix {prefix!r} is {uri_prefix} in namespaces.py but {known.uri_prefix} in prefixes.tsv"
            )
        entries.setdefault(prefix, PrefixEntry(prefix, uri_prefix, LOCAL_NAME_PATTERN))
    return MappingProxyType(dict(sorted(entries.items(), key=lambda item: item[0].lower())))


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """Build the project's :class:`curies.Converter` from :func:`prefix_entries`."""
    import curies

    return curies.Converter.from_prefix_map({entry.prefix: entry.uri_prefix for entry in prefix_entries().values()})


def prefix_map(prefixes: Iterable[str] | None = None) -> dict[str, str]:
    """Prefix -> URI prefix, for all prefixes or only ``prefixes`` (sorted, case-insensitively).

    :raises InputError: one of ``prefixes`` is not in the project map.
    """
    entries = prefix_entries()
    names = entries if prefixes is None else sorted(set(prefixes), key=str.lower)
    unknown = [name for name in names if name not in entries]
    if unknown:
        raise InputError(f"unknown prefix {', '.join(map(repr, unknown))}; not in the project prefix map")
    return {name: entries[name].uri_prefix for name in names}


def expand(curie: str, where: str) -> str:
    """Check ``curie`` against its prefix's pattern and expand it to an IRI.

    :param curie: ``PREFIX:LOCAL``.
    :param where: names the place of the CURIE in error messages, e.g. ``file.tsv:12``.
    :returns: the IRI.
    :raises InputError: ``WHERE: ...`` for a malformed CURIE, an unknown prefix or a
        local identifier that does not match the pattern.
    """
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        raise InputError(f"{where}: malformed CURIE {curie!r}: expected PREFIX:IDENTIFIER")
    entry = prefix_entries().get(prefix)
    if entry is None:
        raise InputError(f"{where}: unknown prefix {prefix!r} in {curie!r}; not in the project prefix map")
    if not re.search(entry.pattern, local):
        raise InputError(f"{where}: {curie!r} does not match the pattern of {prefix!r} ({entry.pattern})")
    return entry.uri_prefix + local


def compress(iri: str) -> str:
    """Shorten ``iri`` to a CURIE of the project map (longest URI prefix wins), or ``<iri>`` when no prefix fits.

    Example:
        >>> compress("http://purl.obolibrary.org/obo/CHEBI_31638")
        'CHEBI:31638'
        >>> compress("http://example.org/x")
        '<http://example.org/x>'
    """
    return converter().compress(iri) or f"<{iri}>"


def term_text(term: Node) -> str:
    """Write a term for people: an IRI as by :func:`compress`, anything else in N-Triples form."""
    return compress(str(term)) if isinstance(term, URIRef) else term.n3()


#: An IRI in free text: in angle brackets, or bare (up to a space, a quote or closing punctuation).
_IRI_IN_TEXT = re.compile(r"<([a-z][a-z0-9+.-]*:[^<>\s\"]*)>|\b(https?://[^\s<>\"'(),;]*[^\s<>\"'(),;.:])")


def compress_iris(text: str) -> str:
    """Replace every IRI in ``text`` (pySHACL messages, quality-check details) as :func:`compress` does."""
    return _IRI_IN_TEXT.sub(lambda match: compress(match.group(1) or match.group(2)), text)


def read_prefix_rows(text: str) -> list[dict[str, str]]:
    """Parse the text of ``prefixes.tsv`` into rows (column -> value)."""
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    return [dict(row) for row in reader]


def write_prefix_rows(rows: Iterable[Mapping[str, str]]) -> str:
    """Serialise prefix rows as the text of ``prefixes.tsv``, sorted by prefix."""
    out = io.StringIO()
    writer = csv.DictWriter(out, PREFIX_COLUMNS, delimiter="\t", lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda row: row["prefix"].lower()))
    return out.getvalue()


def prefix_rows_from_bioregistry(prefixes: Iterable[str]) -> list[dict[str, str]]:
    """Look up ``prefixes`` in the Bioregistry and give the rows of ``prefixes.tsv``.

    Used at development time (``tools/refresh-prefixes.py``) and by the test that checks
    the committed table; the package does not import ``bioregistry`` otherwise.

    :param prefixes: CURIE prefixes as the project writes them (a Bioregistry prefix or
        one of its synonyms, or a key of :data:`LOCAL_PREFIXES`).
    :raises DataError: a prefix is neither in the Bioregistry nor in :data:`LOCAL_PREFIXES`.
    """
    import bioregistry  # a development-time dependency: slow to import (see the module docstring)

    rows = []
    for prefix in prefixes:
        if prefix in LOCAL_PREFIXES:
            uri_prefix, pattern = LOCAL_PREFIXES[prefix]
            rows.append({"prefix": prefix, "uri_prefix": uri_prefix, "pattern": pattern, "bioregistry": ""})
            continue
        normalized = bioregistry.normalize_prefix(prefix)
        if normalized is None:
            raise DataError(f"prefix {prefix!r} is not in the Bioregistry; add it to LOCAL_PREFIXES with a reason")
        uri_prefix = bioregistry.get_uri_prefix(normalized, priority=URI_PREFIX_PRIORITY.get(normalized)) or ""
        rows.append(
            {
                "prefix": prefix,
                "uri_prefix": uri_prefix or "",
                "pattern": bioregistry.get_pattern(normalized) or "",
                "bioregistry": normalized,
            }
        )
    return rows
