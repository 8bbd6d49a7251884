"""Import trial results from ClinicalTrials.gov study records (data API version 2 JSON) into the ember3kg model.

:func:`import_records` reads the records one at a time (:mod:`ember3kg.ctgov.records`),
maps each onto the model (:mod:`ember3kg.ctgov.mapping`) and writes its triples at
once, so memory stays bounded by one record, not by the import. Every record goes
into one named graph, ``https://w3id.org/ember3kg/graph/ctgov`` (in the formats that
carry graphs); inside it, each node is derived from its own record. The output file
is written atomically: it appears, whole, when the import ends.

Turtle, TriG, N-Triples and N-Quads are written record by record; JSON-LD and
RDF/XML cannot be written in pieces, so for them the triples are collected first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, TypeVar

from rdflib import Graph

from ember3kg.ctgov.mapping import GRAPH_NAME, map_record
from ember3kg.ctgov.records import Problem, read_records
from ember3kg.errors import SkippedInputError
from ember3kg.io.formats import FORMATS, RdfFormat
from ember3kg.io.outputs import atomic_stream
from ember3kg.publish.dataset import new_dataset, new_graph
from ember3kg.vocab.namespaces import GRAPH

__all__ = ["GRAPH_IRI", "ImportReport", "import_records"]

#: The named graph of every imported record.
GRAPH_IRI = GRAPH[GRAPH_NAME]
#: Formats whose documents can be written in pieces and joined (each piece a valid document).
_PIECEWISE = frozenset({"ttl", "trig", "nt", "nq"})
T = TypeVar("T")


@dataclass
class ImportReport:
    """What an import did.

    :param records: the NCT numbers of the records imported, in order.
    :param triples: how many triples were written (counted per record).
    :param problems: what was left out, one entry each (whole documents or parts of a record).
    :param notes: what was imported in a way the reader should know (unmatched groups, ...).
    """

    records: list[str] = field(default_factory=list)
    triples: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def raise_for_skipped(self) -> None:
        """Fail when anything was left out.

        :raises SkippedInputError: at least one document or part of a record was not imported.
        """
        if self.problems:
            raise SkippedInputError(
                f"{len(self.problems)} part(s) of the input skipped (listed above);"
                f" {len(self.records)} record(s) imported"
            )


def import_records(
    sources: Sequence[str | Path],
    output: str | Path,
    format_name: str = "ttl",
    *,
    stdin: IO[bytes] | None = None,
    problem: Callable[[Problem], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import the study records of ``sources`` into one RDF file.

    :param sources: files, directories (their ``*.json`` files) and ``-`` for standard input.
    :param output: the file to write, or ``-`` for standard output.
    :param format_name: a key of :data:`ember3kg.io.formats.FORMATS`.
    :param stdin: the stream ``-`` reads; the process's standard input by default.
    :param problem: called with each part left out, as it is found.
    :param note: called with each note, as it is found.
    :returns: the report; call :meth:`ImportReport.raise_for_skipped` to fail on what was left out.
    :raises OutputError: the output cannot be written.

    Example:
        >>> import_records(["NCT02552212.json"], "ctgov.ttl")  # doctest: +SKIP
    """
    spec = FORMATS[format_name]
    report = ImportReport()
    with _output(output) as stream:
        pending = new_graph()
        for item in read_records(sources, stdin):
            if isinstance(item, Problem):
                _tell(report.problems, item, problem)
                continue
            mapped = map_record(item)
            for part_problem in mapped.problems:
                _tell(report.problems, part_problem, problem)
            for line in mapped.notes:
                _tell(report.notes, line, note)
            report.records.append(item.nct_id)
            report.triples += len(mapped.graph)
            if spec.name in _PIECEWISE:
                stream.write(_serialise(mapped.graph, spec))
            else:
                pending += mapped.graph
        if spec.name not in _PIECEWISE:
            stream.write(_serialise(pending, spec))
    return report


def _tell(found: list[T], item: T, callback: Callable[[T], None] | None) -> None:
    """Keep ``item`` in ``found`` and pass it on to ``callback`` at once."""
    found.append(item)
    if callback is not None:
        callback(item)


def _serialise(graph: Graph, spec: RdfFormat) -> bytes:
    """Write one record's graph (or all of them) in ``spec``, in the import's named graph if the format has graphs."""
    if spec.quads:
        dataset = new_dataset()
        dataset.graph(GRAPH_IRI).__iadd__(graph)
        target: Graph = dataset
    else:
        target = graph
    data = target.serialize(format=spec.serializer, encoding="utf-8", **spec.options)
    return spec.normalise(data)


@contextmanager
def _output(output: str | Path) -> Iterator[BinaryIO]:
    """Open the output: standard output as it is, a file atomically."""
    if str(output) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_stream(output) as stream:
        yield stream
