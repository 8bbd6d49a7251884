"""Quality control of the ontology and the graph, in the style of a ROBOT report.

Each check is one SPARQL file in ``queries/qc/`` (read by :func:`~ember3kg.query.catalogue.packaged_queries`).
A check file starts with a header comment giving its severity and what it finds::

    # severity: error
    # description: A class or property of the ekg namespace has no rdfs:label.

and selects ``?entity`` (the node at fault) and ``?detail`` (why). Adding a check is
adding a file. The checks run with Oxigraph over the union of all graphs; a finding of
severity ``error`` makes the report fail (:meth:`QcReport.raise_for_errors`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import pyoxigraph
from rdflib import BNode
from rdflib.term import Node

from ember3kg.errors import DataError, QualityError
from ember3kg.io.inputs import RdfInput
from ember3kg.query import Question, store_answer
from ember3kg.query.catalogue import packaged_queries
from ember3kg.vocab.identifiers import compress_iris

#: Folder of ``queries/`` holding the check files.
QC_FOLDER = "qc"

#: Severity -> rank; a higher rank is worse. ``error`` fails the report.
SEVERITIES: Mapping[str, int] = MappingProxyType({"info": 0, "warning": 1, "error": 2})

_HEADER = re.compile(r"^#\s*(severity|description):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Check:
    """One quality check: a SPARQL SELECT of ``?entity ?detail`` rows.

    :param name: the file stem, e.g. ``missing-label``.
    :param severity: a key of :data:`SEVERITIES`.
    :param description: what a finding means, from the header comment.
    :param query: the SPARQL text.
    """

    name: str
    severity: str
    description: str
    query: str


@dataclass(frozen=True, order=True)
class Finding:
    """One row of a check: the node at fault and why."""

    check: str
    severity: str
    entity: str
    detail: str


@dataclass(frozen=True)
class QcReport:
    """The findings of all checks, sorted by check then entity."""

    checks: tuple[Check, ...]
    findings: tuple[Finding, ...]

    def count(self, severity: str) -> int:
        """Count the findings of one severity."""
        return sum(finding.severity == severity for finding in self.findings)

    def format_text(self) -> str:
        """Render the report as a table (severity, check, entity, detail) and a summary line."""
        rows = [("SEVERITY", "CHECK", "ENTITY", "DETAIL")] + [
            (finding.severity, finding.check, compress_iris(finding.entity), compress_iris(finding.detail))
            for finding in self.findings
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]
            for row in rows
        ]
        counts = ", ".join(f"{self.count(severity)} {severity}" for severity in reversed(list(SEVERITIES)))
        summary = f"{len(self.checks)} checks, {len(self.findings)} findings ({counts})"
        return "\n".join([*lines, summary]) if self.findings else summary

    def raise_for_errors(self) -> None:
        """Raise :class:`~ember3kg.errors.QualityError` if any finding has severity ``error``."""
        errors = [finding for finding in self.findings if finding.severity == "error"]
        if errors:
            failed = sorted({finding.check for finding in errors})
            raise QualityError(f"{len(errors)} error-level finding(s) in: {', '.join(failed)}")


def parse_check(name: str, text: str) -> Check:
    """Read one check file: its header comment and its query.

    :param name: the check name (file stem).
    :param text: the file content.
    :raises DataError: the header lacks a severity or a description, or the severity is unknown.
    """
    header = {key: value for key, value in _HEADER.findall(text)}
    missing = [key for key in ("severity", "description") if key not in header]
    if missing:
        raise DataError(f"qc check {name}: header comment lacks {' and '.join(missing)}")
    if header["severity"] not in SEVERITIES:
        raise DataError(f"qc check {name}: unknown severity {header['severity']!r}; known: {', '.join(SEVERITIES)}")
    return Check(name, header["severity"], header["description"], text)


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    """Load the packaged checks, sorted by name."""
    return tuple(parse_check(name, question.sparql) for name, question in packaged_queries(QC_FOLDER).items())


def check_named(name: str) -> Check:
    """Look up a packaged check by name.

    :raises KeyError: no such check.
    """
    return next(check for check in checks() if check.name == name)


def run_check(check: Check, store: pyoxigraph.Store) -> list[Finding]:
    """Run one check and turn its rows into findings."""
    answer = store_answer(Question(check.name, check.query, f"qc check {check.name}"), store)
    entity, detail = answer.variables.index("entity"), answer.variables.index("detail")
    return [Finding(check.name, check.severity, _text(row[entity]), _text(row[detail])) for row in answer.rows]


def run_qc(data: RdfInput, selected: Iterable[Check] | None = None) -> QcReport:
    """Run the quality checks over the union of the graphs of ``data``.

    :param data: what to check.
    :param selected: the checks to run; all packaged checks by default.
    :returns: the report; call :meth:`QcReport.raise_for_errors` to fail on errors.

    Example:
        >>> run_qc(RdfInput.packaged()).count("error")
        0
    """
    store = data.store()
    chosen = tuple(checks() if selected is None else selected)
    findings = sorted(finding for check in chosen for finding in run_check(check, store))
    return QcReport(chosen, tuple(findings))


def _text(term: Node | None) -> str:
    """Give the plain text of an answer's term: an IRI, ``_:label`` or a literal's value."""
    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)
