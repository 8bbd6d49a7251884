"""Read ClinicalTrials.gov study records (data API version 2 JSON) one at a time, and name what is wrong with them.

A source is a file, a directory (its ``*.json`` files, in name order) or ``-`` (standard
input). Each file holds one study record, or a JSON array of study records; only one
file is parsed at a time, so memory is bounded by the largest file. A file that is not
JSON, or a document that is not a version 2 study record with a results section,
becomes a :class:`Problem` naming the file and the JSON Pointer (RFC 6901) of the
place at fault; the reader goes on with the next one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

#: The name that stands for standard input among the sources.
STDIN = "-"


@dataclass(frozen=True)
class Problem:
    """Something of a source that was not imported.

    :param source: the file (``-`` for standard input).
    :param pointer: the JSON Pointer of the place at fault, ``""`` for the whole document.
    :param message: what is wrong, in a few words.
    """

    source: str
    pointer: str
    message: str

    def __str__(self) -> str:
        """Write the problem as one line: ``FILE: POINTER: message``."""
        where = f"{self.source}: {self.pointer}" if self.pointer else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One version 2 study record, with the results section the importer needs.

    :param source: the file it was read from.
    :param base: the JSON Pointer of the record inside its file (``""``, or ``/N`` in an array).
    :param data: the record as parsed.
    """

    source: str
    base: str
    data: Mapping[str, Any]

    @property
    def nct_id(self) -> str:
        """The record's NCT number (checked by :func:`read_records`)."""
        return str(self.data["protocolSection"]["identificationModule"]["nctId"])


def pointer(*tokens: str | int) -> str:
    """Write the JSON Pointer of ``tokens`` (RFC 6901: ``~`` as ``~0``, ``/`` as ``~1``).

    Example:
        >>> pointer("resultsSection", "outcomeMeasuresModule", "outcomeMeasures", 0, "paramValue")
        '/resultsSection/outcomeMeasuresModule/outcomeMeasures/0/paramValue'
    """
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)


def resolve(document: Any, path: str) -> Any:
    """Follow the JSON Pointer ``path`` in ``document`` (RFC 6901).

    :raises KeyError: the pointer names no value of the document.
    """
    value = document
    for raw in path.split("/")[1:] if path else ():
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, list):
            if not token.isdigit() or int(token) >= len(value):
                raise KeyError(path)
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            raise KeyError(path)
    return value


def read_records(sources: Sequence[str | Path], stdin: IO[bytes] | None = None) -> Iterator[Record | Problem]:
    """Yield each study record of ``sources``, or the problem that keeps a document out, in order.

    :param sources: files, directories (their ``*.json`` files) and ``-`` for ``stdin``.
    :param stdin: the stream ``-`` reads; the process's standard input by default.
    """
    for name, load in _documents(sources, stdin):
        try:
            document = load()
        except OSError as exc:
            yield Problem(name, "", f"cannot read: {exc.strerror or exc}")
            continue
        except UnicodeDecodeError:
            yield Problem(name, "", "not UTF-8 text")
            continue
        except json.JSONDecodeError as exc:
            yield Problem(name, "", f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
            continue
        except RecursionError:
            yield Problem(name, "", "malformed JSON: nested too deeply")
            continue
        items = enumerate(document) if isinstance(document, list) else [(None, document)]
        for index, item in items:
            base = "" if index is None else pointer(index)
            problem = _shape_problem(item, base)
            yield Record(name, base, item) if problem is None else Problem(name, *problem)


def _documents(sources: Iterable[str | Path], stdin: IO[bytes] | None) -> Iterator[tuple[str, Any]]:
    """Name each JSON document of the sources, with a function that parses it when called."""
    for source in sources:
        name = str(source)
        if name == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield name, lambda stream=stream: json.loads(stream.read().decode("utf-8"))
            continue
        path = Path(name)
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        for file in files:
            yield str(file), lambda file=file: json.loads(file.read_bytes().decode("utf-8"))


def _shape_problem(document: Any, base: str) -> tuple[str, str] | None:
    """Tell why ``document`` is not a version 2 study record with results, as (pointer, message), or ``None``."""
    if not isinstance(document, dict):
        return base, "not a study record (a JSON object)"
    if "FullStudiesResponse" in document or "FullStudy" in document:
        return base + pointer(
            next(iter(document))
        ), "a legacy API version 1 response; only API version 2 study records are read"
    if "protocolSection" not in document:
        return base + pointer("protocolSection"), "missing; not an API version 2 study record"
    nct_id = document["protocolSection"].get("identificationModule", {}).get("nctId")
    if not isinstance(nct_id, str) or not nct_id.startswith("NCT"):
        return base + pointer("protocolSection", "identificationModule", "nctId"), "missing or not an NCT number"
    if not isinstance(document.get("resultsSection"), dict):
        return base + pointer("resultsSection"), f"missing: {nct_id} has no posted results to import"
    return None
