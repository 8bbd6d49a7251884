"""The cross-trial evidence shown by the site, the forest plots and ``ember3kg pool``, read from competency questions.

Every number comes from the answer of a packaged question, run with rdflib over a
dataset (:class:`Evidence`). Unlike :func:`ember3kg.query.run_question`, the answers
are *not* normalised: a literal keeps its lexical form, so ``0.90`` is shown as the
source printed it (Oxigraph would give back ``0.9``). Terms are compared through
:func:`~ember3kg.query.normalise_term`, so ``0.90`` and ``0.9`` still match.

A forest plot (:data:`FORESTS`) is one cross-trial question: one row per reported PFS
hazard ratio. Each row is matched to its result in ``results-with-estimates-and-sources``
(for the population size) and to ``latest-result-per-quantity`` (is it the latest
report of that quantity?). Which rows are pooled is decided by :func:`select_for_pooling`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from rdflib import Dataset, Literal
from rdflib.term import Node

from ember3kg.dataset import new_graph
from ember3kg.entailment import with_entailment
from ember3kg.errors import InputError
from ember3kg.inputs import RdfInput
from ember3kg.pooling import MINIMUM_STUDIES, HazardRatioInput, Pool, pool_hazard_ratios
from ember3kg.query import Answer, Question, normalise_term, prepare_rdflib_query, questions, render_term
from ember3kg.query.answer import rows_answer

#: The question giving every result of every trial with its source (the trial pages, population sizes).
RESULTS_QUESTION = "results-with-estimates-and-sources"
#: The question naming the latest report of each quantity (primary sources first).
LATEST_QUESTION = "latest-result-per-quantity"
#: Label of the source role that marks a number only a news report or other retelling gives.
SECONDARY_ROLE = "secondary source"

#: A row of an answer: variable name -> term (``None`` when unbound).
Row = Mapping[str, Node | None]


def lexical_answer(question: Question, dataset: Dataset) -> Answer:
    """Answer a question with rdflib over ``dataset`` (its union as default graph), keeping lexical forms.

    :param question: a SELECT, ASK or CONSTRUCT question.
    :param dataset: the dataset to query; its ``default_union`` is switched on.
    :raises InputError: the query does not parse.
    """
    prepared = prepare_rdflib_query(question)
    dataset.default_union = True
    result = dataset.query(prepared)
    if result.type == "ASK":
        return Answer(boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return Answer(graph=result.graph)
    variables = tuple(str(var) for var in result.vars or ())
    return Answer(variables, tuple(tuple(row.get(var) for var in result.vars or ()) for row in result.bindings))


def text(term: Node | None) -> str:
    """Write a term as shown on a page: a literal's lexical form, an IRI as a CURIE, ``""`` when unbound."""
    return render_term(term)


def same_value(left: Node | None, right: Node | None) -> bool:
    """Compare two terms by value (``0.90`` equals ``0.9``); a plain string equals a number of that text."""
    if left is None or right is None:
        return left is right
    return str(normalise_term(_as_number(left))) == str(normalise_term(_as_number(right)))


def _as_number(term: Node) -> Node:
    """Read a plain literal holding a decimal (as ``STR(?value)`` gives) as an ``xsd:decimal``."""
    if isinstance(term, Literal) and term.datatype is None and not term.language:
        from rdflib import XSD

        candidate = Literal(str(term), datatype=XSD.decimal)
        return candidate if candidate.ill_typed is False else term
    return term


class Evidence:
    """The answers of the packaged questions over one dataset, each computed once.

    :param data: the RDF to ask, e.g. :meth:`RdfInput.packaged() <ember3kg.inputs.RdfInput.packaged>`;
        the questions ask by class, so its entailment graph is added (:func:`~ember3kg.entailment.with_entailment`).
    """

    def __init__(self, data: RdfInput):
        self.data = with_entailment(data)
        self.dataset = self.data.dataset()
        self._answers: dict[str, Answer] = {}

    def normalised_answer(self, name: str) -> Answer:
        """Answer like ``ember3kg query NAME``: numbers in canonical form, as the golden answers hold them.

        Asked on an Oxigraph store loaded with the dataset, like ``ember3kg query``'s default
        engine: some questions take minutes on rdflib. The answer travels as SPARQL JSON
        results (or N-Triples) and is normalised like every engine's answer, printed forms included.
        """
        import pyoxigraph
        from rdflib.query import Result

        result = self._store.query(questions()[name].sparql, use_default_graph_as_union=True)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Answer(boolean=bool(result))
        if isinstance(result, pyoxigraph.QueryTriples):
            graph = new_graph()
            graph.parse(data=result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
            return Answer(graph=graph)
        parsed = Result.parse(io.BytesIO(result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)), format="json")
        variables = [str(var) for var in parsed.vars or ()]
        return rows_answer(variables, ([row.get(var) for var in parsed.vars or ()] for row in parsed.bindings))

    @property
    def _store(self) -> Any:
        """The input's Oxigraph store."""
        return self.data.store()

    def answer(self, name: str) -> Answer:
        """Answer the packaged question ``name``, keeping lexical forms.

        :raises InputError: no such question.
        """
        if name not in self._answers:
            try:
                question = questions()[name]
            except KeyError:
                raise InputError(f"{name}: no such question (see `ember3kg questions`)") from None
            self._answers[name] = lexical_answer(question, self.dataset)
        return self._answers[name]

    def rows(self, name: str) -> list[Row]:
        """Return the rows of a SELECT question as mappings from variable name to term."""
        answer = self.answer(name)
        return [MappingProxyType(dict(zip(answer.variables, row, strict=True))) for row in answer.rows]

    @cached_property
    def _latest(self) -> list[Row]:
        return self.rows(LATEST_QUESTION)

    def is_latest(self, result: Row) -> bool:
        """Whether a row of :data:`RESULTS_QUESTION` is the latest report of its quantity."""
        keys: tuple[tuple[str, str], ...] = (("trial", "trial"), ("kind", "kind"), ("endpoint", "endpoint"))
        keys += (("population", "population"), ("subject", "armOrComparison"), ("report", "document"))
        return any(
            all(text(latest[a]) == text(result[b]) for a, b in keys) and same_value(latest["value"], result["value"])
            for latest in self._latest
        )


@dataclass(frozen=True)
class ForestSpec:
    """A forest plot: the cross-trial question it draws and the population it is about.

    :param name: short name, used in file names and ``--population``.
    :param question: the packaged question, one row per hazard ratio (``?trial ?hazardRatio ?ciLower ...``).
    :param population: the population in words, for titles.
    """

    name: str
    question: str
    population: str

    @property
    def title(self) -> str:
        """Title of the plot and of its page."""
        return f"Progression-free survival hazard ratio, {self.population}"


#: Forest plots by name: ``--population`` of ``ember3kg plot forest`` and ``ember3kg pool``.
FORESTS: Mapping[str, ForestSpec] = MappingProxyType(
    {
        "esr1m": ForestSpec("esr1m", "esr1m-pfs-hazard-ratios-across-trials", "patients with ESR1 mutations"),
        "all": ForestSpec("all", "all-patient-pfs-hazard-ratios-across-trials", "all randomized patients"),
    }
)


def forest_spec(name: str) -> ForestSpec:
    """Look up a forest plot by name.

    :raises InputError: no such plot.
    """
    try:
        return FORESTS[name]
    except KeyError:
        raise InputError(f"unknown forest plot {name!r}; plots: {', '.join(FORESTS)}") from None


@dataclass(frozen=True)
class ForestRow:
    """One hazard ratio of a forest plot: a row of its question, with what was matched to it.

    :param values: the question's row (lexical forms kept).
    :param result: the matching row of :data:`RESULTS_QUESTION`, if exactly one matches.
    :param latest: whether that result is the latest report of its quantity.
    """

    values: Row
    result: Row | None = None
    latest: bool = False

    def __getitem__(self, name: str) -> str:
        """Return the text of one variable of the question's row (``""`` when unbound)."""
        return text(self.values.get(name))

    @property
    def secondary(self) -> bool:
        """Whether the number comes from a secondary source only (a news report retelling a result)."""
        return self["sourceRole"] == SECONDARY_ROLE

    @property
    def has_interval(self) -> bool:
        """Whether both confidence limits are stated."""
        return bool(self["ciLower"] and self["ciUpper"])

    @property
    def patients(self) -> str:
        """Size of the population, as stated (``""`` when unknown)."""
        return text(self.result.get("patients")) if self.result else ""

    @property
    def label(self) -> str:
        """Trial and drugs: ``EMBER-3: imlunestrant monotherapy vs investigator's choice ...``."""
        return f"{self['trial']}: {self['experimental']} vs {self['comparator']}"

    @property
    def interval(self) -> str:
        """The estimate with its interval as printed: ``0.87 (0.72-1.04)``."""
        if not self.has_interval:
            return self["hazardRatio"]
        return f"{self['hazardRatio']} ({self['ciLower']}\u2013{self['ciUpper']})"

    def as_input(self) -> HazardRatioInput:
        """Return the estimate as an input of :func:`~ember3kg.pooling.pool_hazard_ratios`."""
        level = self["ciLevel"] or "0.95"
        return HazardRatioInput(
            self["trial"], float(self["hazardRatio"]), float(self["ciLower"]), float(self["ciUpper"]), float(level)
        )


@dataclass(frozen=True)
class Selection:
    """Which rows of a forest plot were pooled, which not and why, and the pool.

    :param spec: the plot.
    :param rows: every row, in question order.
    :param pooled: the rows pooled, one per trial.
    :param excluded: (row, reason) for each row not pooled.
    :param pool: the pooled estimates, ``None`` when fewer than two trials qualify.
    :param no_pool_reason: why there is no pool.
    """

    spec: ForestSpec
    rows: tuple[ForestRow, ...]
    pooled: tuple[ForestRow, ...]
    excluded: tuple[tuple[ForestRow, str], ...]
    pool: Pool | None
    no_pool_reason: str = ""
    assessors: tuple[str, ...] = field(default=())


def forest_rows(evidence: Evidence, spec: ForestSpec) -> list[ForestRow]:
    """Read the rows of a forest plot, each matched to its result and its latest-report flag.

    A row matches the results of its trial and report that have the same estimate and limits.
    """
    results = evidence.rows(RESULTS_QUESTION)
    found = []
    for values in evidence.rows(spec.question):
        matches = [
            result
            for result in results
            if text(result["trial"]) == text(values["trial"])
            and text(result["document"]) == text(values["report"])
            and all(same_value(result[a], values[b]) for a, b in _MATCHED_NUMBERS)
        ]
        result = matches[0] if len(matches) == 1 else None
        found.append(ForestRow(values, result, result is not None and evidence.is_latest(result)))
    return found


#: Result variable -> forest-question variable that must hold the same number.
_MATCHED_NUMBERS = (("value", "hazardRatio"), ("ciLower", "ciLower"), ("ciUpper", "ciUpper"))


def select_for_pooling(spec: ForestSpec, rows: list[ForestRow]) -> Selection:
    """Choose the rows to pool: one per trial, from its latest report, with a confidence interval.

    Every row of a plot has the same endpoint kind (progression-free survival); assessors
    may differ between trials. Within a trial, among several latest results, the first
    by assessor, experimental regimen, comparator and report is taken (never by value).

    :returns: the selection, with the pool when at least two trials qualify.
    """
    excluded: list[tuple[ForestRow, str]] = []
    chosen: dict[str, ForestRow] = {}
    order = sorted(rows, key=lambda r: (r["trial"], r["assessor"], r["experimental"], r["comparator"], r["report"]))
    for row in order:
        if not row.has_interval:
            excluded.append((row, "no confidence interval stated"))
        elif row.result is None:
            excluded.append((row, f"not matched to exactly one result of {RESULTS_QUESTION}"))
        elif not row.latest:
            excluded.append((row, f"a later report of the same quantity exists ({LATEST_QUESTION})"))
        elif row["trial"] in chosen:
            excluded.append((row, f"one result per trial: {chosen[row['trial']].interval} is pooled instead"))
        else:
            chosen[row["trial"]] = row
    position = {id(row): number for number, row in enumerate(rows)}
    pooled = tuple(sorted(chosen.values(), key=lambda row: position[id(row)]))
    kept = tuple(sorted(excluded, key=lambda item: position[id(item[0])]))
    assessors = tuple(sorted({row["assessor"] for row in pooled}))
    if len(pooled) < MINIMUM_STUDIES:
        reason = f"no pooled estimate: {len(pooled)} trial(s) qualify, pooling needs at least {MINIMUM_STUDIES}"
        return Selection(spec, tuple(rows), pooled, kept, None, reason, assessors)
    pool = pool_hazard_ratios([row.as_input() for row in pooled])
    return Selection(spec, tuple(rows), pooled, kept, pool, "", assessors)


def forest_selection(evidence: Evidence, name: str) -> Selection:
    """Read one forest plot and choose what to pool (see :func:`select_for_pooling`).

    :param name: a key of :data:`FORESTS`.
    :raises InputError: no such plot.
    """
    spec = forest_spec(name)
    return select_for_pooling(spec, forest_rows(evidence, spec))


def _pool_table(selection: Selection) -> str:
    """Write the rows, what was pooled, and the pooled estimates as plain text."""
    lines = [f"{selection.spec.title} ({selection.spec.question})"]
    for row in selection.rows:
        status = "selected" if any(row is kept for kept in selection.pooled) else "not selected"
        mark = ", secondary source" if row.secondary else ""
        lines.append(f"  {row.label}: {row.interval}, n={row.patients or '?'}, {row['report']}{mark} [{status}]")
    for row, reason in selection.excluded:
        lines.append(f"  not pooled: {row['trial']} {row.interval}: {reason}")
    if selection.pool is None:
        lines.append(selection.no_pool_reason)
        return "\n".join(lines) + "\n"
    pool = selection.pool
    for estimate in pool.estimates:
        lines.append(
            f"{estimate.method}: HR {estimate.estimate:.2f} (95% CI {estimate.lower:.2f}-{estimate.upper:.2f})"
        )
    lines.append(f"Q = {pool.q:.2f} (df {pool.df}), I2 = {100 * pool.i2:.1f}%, tau2 = {pool.tau2:.5f}")
    return "\n".join(lines) + "\n"


def _pool_json(selection: Selection) -> str:
    """Write the selection and the pool as JSON."""
    document = {
        "population": selection.spec.name,
        "question": selection.spec.question,
        "pooled": [dict(row.as_input().__dict__, report=row["report"]) for row in selection.pooled],
        "excluded": [
            {"trial": row["trial"], "estimate": row.interval, "reason": why} for row, why in selection.excluded
        ],
        "pool": selection.pool.as_dict() if selection.pool is not None else None,
        "reason": selection.no_pool_reason,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


#: Output formats of ``ember3kg pool``: name -> writer.
POOL_FORMATS: Mapping[str, Callable[[Selection], str]] = MappingProxyType({"table": _pool_table, "json": _pool_json})
