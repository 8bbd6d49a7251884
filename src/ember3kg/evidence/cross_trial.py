"""The cross-trial evidence shown by the site, the forest plots and ``ember3kg pool``, read from packaged questions.

Every number comes from the answer of a packaged question, run with rdflib over a
dataset (:class:`Evidence`, :func:`~ember3kg.query.embedded.lexical_answer`). Unlike
:func:`ember3kg.query.run_question`, the answers are *not* normalised: a literal keeps
its lexical form, so ``0.90`` is shown as the source printed it (Oxigraph would give
back ``0.9``).

A forest plot (:data:`FORESTS`) draws the PFS hazard ratios of one population kind,
read from the questions of ``queries/evidence/``: one row per reported hazard ratio
(``pfs-hazard-ratios``), with the trial's lines of therapy (``trial-lines-of-therapy``)
and the arms' regimens (``comparison-regimens``). Every comparability attribute
(:meth:`ForestRow.comparability`) is read from the graph, ``not stated`` with the reason
where it holds nothing. Which rows are pooled is decided by :func:`select_for_pooling`
under a :class:`Choice`; the default one is the rule :data:`DEFAULT_RULE`
(docs/pooling.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from rdflib.term import Node

from ember3kg.errors import InputError
from ember3kg.evidence.pooling import (
    MINIMUM_STUDIES,
    MODELS,
    HazardRatioInput,
    Pool,
    PooledEstimate,
    SubgroupTest,
    pool_hazard_ratios,
    subgroup_difference,
)
from ember3kg.evidence.reporting import format_number, format_p
from ember3kg.io.inputs import RdfInput
from ember3kg.query import Answer, Question, lexical_answer, questions, render_term, store_answer
from ember3kg.query.catalogue import packaged_queries
from ember3kg.reasoning.entailment import with_entailment

#: The question giving every result of every trial with its source (the trial pages, population sizes).
RESULTS_QUESTION = "results-with-estimates-and-sources"
#: Label of the source role that marks a number only a news report or other retelling gives.
SECONDARY_ROLE = "secondary source"

#: A row of an answer: variable name -> term (``None`` when unbound).
Row = Mapping[str, Node | None]


def text(term: Node | None) -> str:
    """Write a term as shown on a page: a literal's lexical form, an IRI as a CURIE, ``""`` when unbound."""
    return render_term(term)


class Evidence:
    """The answers of the packaged questions over one dataset, each computed once.

    :param data: the RDF to ask, e.g. :meth:`RdfInput.packaged() <ember3kg.io.inputs.RdfInput.packaged>`;
        the questions ask by class, so its entailment graph is added
        (:func:`~ember3kg.reasoning.entailment.with_entailment`).
    """

    def __init__(self, data: RdfInput):
        self.data = with_entailment(data)
        self.dataset = self.data.dataset()
        self._answers: dict[str, Answer] = {}
        self._evidence: dict[str, list[Row]] = {}

    def normalised_answer(self, name: str) -> Answer:
        """Answer like ``ember3kg query NAME``: numbers in canonical form, as the golden answers hold them.

        Asked on an Oxigraph store loaded with the dataset, like ``ember3kg query``'s default
        engine: some questions take minutes on rdflib. The answer is normalised like every
        engine's answer, printed forms included.
        """
        return store_answer(questions()[name], self.data.store())

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
        return _rows(self.answer(name))

    def evidence_rows(self, name: str) -> list[Row]:
        """Return the rows of the packaged question ``queries/evidence/NAME.rq``, lexical forms kept."""
        if name not in self._evidence:
            self._evidence[name] = _rows(lexical_answer(evidence_question(name), self.dataset))
        return self._evidence[name]


def _rows(answer: Answer) -> list[Row]:
    """Return the rows of a SELECT answer as mappings from variable name to term."""
    return [MappingProxyType(dict(zip(answer.variables, row, strict=True))) for row in answer.rows]


#: Folder of ``queries/`` holding the questions the pools are read from (not listed by ``ember3kg questions``).
EVIDENCE_QUERIES = "evidence"
#: One row per PFS hazard ratio with its population, endpoint, document and analysis.
HAZARD_RATIOS = "pfs-hazard-ratios"
#: One row per trial and stated line of therapy.
LINES = "trial-lines-of-therapy"
#: One row per comparison, arm role and drug, with the regimen's kind.
REGIMENS = "comparison-regimens"
#: What a comparability column says when the graph holds nothing for it.
NOT_STATED = "not stated"
#: Label of the line of therapy whose trials the default rule leaves out (untreated advanced disease).
FIRST_LINE = "first line"
#: Label of the regimen kind that makes an arm a combination.
COMBINATION_KIND = "combination regimen"


@cache
def evidence_question(name: str) -> Question:
    """Read the packaged question ``queries/evidence/NAME.rq``."""
    return packaged_queries(EVIDENCE_QUERIES)[name]


def _interval(estimate: PooledEstimate) -> str:
    """``0.84 (0.76-0.93)``: a pooled hazard ratio with its 95 % interval, two decimals."""
    low, high = format_number(estimate.lower, 2), format_number(estimate.upper, 2)
    return f"{format_number(estimate.estimate, 2)} ({low}\u2013{high})"


@dataclass(frozen=True)
class ForestSpec:
    """A forest plot and its pools: the population kind whose hazard ratios it draws.

    :param name: short name, used in file names and ``--population``.
    :param population: the population in words, for titles.
    :param biomarker: CURIE of the biomarker that defines the population, ``None`` for all randomized patients.
    :param question: the competency question that lists the same population's hazard ratios (for links).
    """

    name: str
    population: str
    biomarker: str | None
    question: str

    @property
    def title(self) -> str:
        """Title of the plot and of its page."""
        return f"Progression-free survival hazard ratio, {self.population}"

    def admits(self, row: ForestRow) -> bool:
        """Whether a hazard ratio is about this population kind.

        A trial's whole randomized population that a biomarker defines counts as that
        biomarker's subgroup, never as "all randomized patients".
        """
        if self.biomarker is None:
            return row["randomized"] == "yes" and not row["biomarkerNode"] and not row["absentNode"]
        return row["biomarkerNode"] == self.biomarker


#: Forest plots by name: ``--population`` of ``ember3kg plot forest`` and ``ember3kg pool``.
FORESTS: Mapping[str, ForestSpec] = MappingProxyType(
    {
        "esr1m": ForestSpec(
            "esr1m",
            "patients with ESR1 mutations",
            "kg:biomarker-esr1-mutation",
            "esr1m-pfs-hazard-ratios-across-trials",
        ),
        "all": ForestSpec("all", "all randomized patients", None, "all-patient-pfs-hazard-ratios-across-trials"),
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
class Arm:
    """What one arm of a comparison receives: the regimen's kind and its drugs (``not stated`` when unknown)."""

    kind: str = NOT_STATED
    drugs: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForestRow:
    """One hazard ratio with everything that decides whether it may be pooled with others.

    :param values: the row of ``queries/evidence/pfs-hazard-ratios.rq`` (lexical forms kept).
    :param lines: the lines of therapy stated for the trial (empty: not stated).
    :param experimental: the experimental arm's regimen kind and drugs.
    :param reference: the reference arm's.
    :param located: where in the document the number is stated.
    """

    values: Row
    lines: tuple[str, ...] = ()
    experimental: Arm = field(default_factory=Arm)
    reference: Arm = field(default_factory=Arm)
    located: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> str:
        """Return the text of one variable of the row (``""`` when unbound)."""
        return text(self.values.get(name))

    def printed(self, name: str) -> str:
        """Return a number as the source prints it: its printed form where the graph holds one, else its lexical."""
        return self[f"{name}_printed"] or self[name]

    @property
    def key(self) -> str:
        """The result node, as a CURIE: names the row in messages."""
        return self["result"]

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
        """Size of the population, as stated (``""`` when not stated)."""
        return self["patients"]

    @property
    def events(self) -> str:
        """Number of progression or death events in both arms, as stated (``""`` when not stated)."""
        return self["events"]

    @property
    def label(self) -> str:
        """Trial and regimens: ``EMBER-3: imlunestrant monotherapy vs investigator's choice ...``."""
        return f"{self['trial']}: {self['experimental']} vs {self['comparator']}"

    @property
    def interval(self) -> str:
        """The estimate with its interval as printed: ``0.87 (0.72-1.04)``; a level other than 95 % is named."""
        if not self.has_interval:
            return self.printed("hazardRatio")
        level = "" if self.level == 0.95 else f", {format_number(100 * self.level, 0)}% CI"
        return f"{self.printed('hazardRatio')} ({self.printed('ciLower')}\u2013{self.printed('ciUpper')}{level})"

    @property
    def level(self) -> float:
        """The interval's confidence level (0.95 when the graph states none)."""
        return float(self["ciLevel"] or 0.95)

    def as_input(self) -> HazardRatioInput:
        """Return the estimate as an input of :func:`~ember3kg.evidence.pooling.pool_hazard_ratios`, by trial."""
        return HazardRatioInput(
            self["trial"], float(self["hazardRatio"]), float(self["ciLower"]), float(self["ciUpper"]), self.level
        )

    # --- comparability, each a sentence of its own, "not stated (why)" where the graph holds nothing ---

    @property
    def population_kind(self) -> str:
        """Name the population kind: ``all randomized``, the biomarker (``ESR1 mutation``), its absence, or other."""
        if self["biomarker"]:
            return self["biomarker"]
        if self["absentBiomarker"]:
            return f"{self['absentBiomarker']} not detected"
        return "all randomized" if self["randomized"] == "yes" else f"other subgroup: {self['populationLabel']}"

    @property
    def whole_population_selected(self) -> bool:
        """Whether the trial randomized only patients selected by the population's biomarker."""
        return self["randomized"] == "yes" and bool(self["biomarker"])

    @property
    def population_note(self) -> str:
        """Whether the population is the trial's whole randomized one, and selected by a biomarker."""
        if self.whole_population_selected:
            return f"the whole randomized population is selected by {self['biomarker']}"
        return (
            "the whole randomized population"
            if self["randomized"] == "yes"
            else "a subgroup of the randomized population"
        )

    @property
    def line(self) -> str:
        """The lines of therapy the trial's sources state, or ``not stated (...)``."""
        return "; ".join(self.lines) if self.lines else f"{NOT_STATED} (no source read names the line of therapy)"

    @property
    def first_line_only(self) -> bool:
        """Whether the only stated line of therapy is the first (untreated advanced disease)."""
        return self.lines == (FIRST_LINE,)

    @property
    def is_combination(self) -> bool | None:
        """Whether the experimental arm is a combination regimen (``None``: its kind is not stated)."""
        return None if self.experimental.kind == NOT_STATED else self.experimental.kind == COMBINATION_KIND

    @property
    def combination(self) -> str:
        """``monotherapy``, ``combination with X`` (X: the drugs both arms receive), or ``not stated (...)``."""
        if self.is_combination is None:
            return f"{NOT_STATED} (the experimental regimen's kind is not in the graph)"
        if not self.is_combination:
            return "monotherapy" if self.experimental.kind == "monotherapy regimen" else self.experimental.kind
        shared = [drug for drug in self.experimental.drugs if drug in self.reference.drugs and drug != NOT_STATED]
        drugs = [drug for drug in self.experimental.drugs if drug != NOT_STATED]
        if shared:
            return f"combination with {', '.join(shared)}"
        return f"combination of {' + '.join(drugs)}" if drugs else "combination (its drugs not stated)"

    @property
    def comparator_kind(self) -> str:
        """The reference regimen's kind (``investigator's choice regimen``, ...), or ``not stated``."""
        return self.reference.kind

    def comparability(self) -> dict[str, str]:
        """Every comparability attribute by column name (the CSV export's and the table's columns).

        A value the graph does not hold is ``not stated (why)``.
        """
        return {
            "population_kind": self.population_kind,
            "population_note": self.population_note,
            "line": self.line,
            "combination": self.combination,
            "comparator_kind": _stated(self.comparator_kind, "the comparator regimen's kind is not in the graph"),
            "endpoint": self["endpoint"],
            "assessor": _stated(self["assessor"], "the endpoint names no assessor"),
            "source_role": self["sourceRole"],
            "source_kind": self["sourceKind"],
            "report": self["report"],
            "restates": self["restates"]
            or (_stated("", "the secondary source names no work it retells") if self.secondary else "none (primary)"),
            "report_date": _stated(self["reportDate"], "no publication date was read for the document"),
            "analysis": _stated(self["analysisKind"], "the result names no analysis kind"),
            "data_cutoff": _stated(self["dataCutoff"], "no data cut-off is linked to the result"),
            "stated_in": _stated("; ".join(self.located), "no location in the document is recorded"),
            "n": _stated(self.patients, "the sources read give no size for this population"),
            "events": _stated(self.events, "no event count was read for this comparison"),
        }


def _stated(value: str, reason: str) -> str:
    """Return a value, or ``not stated (reason)`` when it is empty or a bare ``not stated``."""
    return value if value and value != NOT_STATED else f"{NOT_STATED} ({reason})"


def _arms(evidence: Evidence) -> dict[tuple[str, str], Arm]:
    """(comparison, role) -> the arm's regimen kind and drugs, from :data:`REGIMENS`."""
    kinds: dict[tuple[str, str], str] = {}
    drugs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in evidence.evidence_rows(REGIMENS):
        key = (text(row["comparison"]), text(row["role"]))
        kinds[key] = text(row["regimenKind"])
        if text(row["drug"]) not in drugs[key]:
            drugs[key].append(text(row["drug"]))
    return {key: Arm(kind, tuple(drugs[key])) for key, kind in kinds.items()}


def forest_rows(evidence: Evidence, spec: ForestSpec) -> list[ForestRow]:
    """Read every PFS hazard ratio about the plot's population kind, each with its comparability attributes.

    A result stated in several places of its document is one row, with every place.
    """
    lines: dict[str, list[str]] = defaultdict(list)
    for stated in evidence.evidence_rows(LINES):
        if text(stated["line"]) != NOT_STATED:
            lines[text(stated["trial"])].append(text(stated["line"]))
    arms = _arms(evidence)
    located: dict[str, list[str]] = defaultdict(list)
    first: dict[str, Row] = {}
    for values in evidence.evidence_rows(HAZARD_RATIOS):
        key = text(values["result"])
        first.setdefault(key, values)
        if text(values["statedIn"]) and text(values["statedIn"]) not in located[key]:
            located[key].append(text(values["statedIn"]))
    found = []
    for key, values in first.items():
        comparison = text(values["comparison"])
        row = ForestRow(
            values,
            tuple(lines.get(text(values["trial"]), ())),
            arms.get((comparison, "experimental"), Arm()),
            arms.get((comparison, "reference"), Arm()),
            tuple(sorted(located[key])),
        )
        if spec.admits(row):
            found.append(row)
    return found


# --- Choosing what to pool ---


#: ``--report`` values: how one input per trial is chosen among its reports.
REPORTS: Mapping[str, str] = MappingProxyType(
    {
        "primary": "the primary analysis (analysis kind primary, else not stated) from a primary source, "
        "of its reports "
        "the latest published (the full paper after its abstract)",
        "first": "the first report: the earliest data cut-off, then the earliest published document",
        "latest": "the latest report: the latest data cut-off, then the latest published document",
    }
)
#: ``--combination`` values.
COMBINATIONS = ("monotherapy", "combination", "any")
#: ``--source-role`` values.
SOURCE_ROLES = ("any", "primary")


@dataclass(frozen=True)
class Choice:
    """What a pool selects; the defaults are the rule of :data:`DEFAULT_RULE`.

    :param trials: pool only these trials (acronyms; empty: every trial).
    :param exclude_trials: leave these trials out.
    :param line: ``pretreated`` (leave out trials whose only stated line is first line), ``any``, or a line's label.
    :param combination: ``monotherapy`` (leave out combination arms), ``combination`` (only those) or ``any``.
    :param assessor: ``any`` or an assessor's label (``investigator assessment``, ...).
    :param source_role: ``any`` (secondary-only numbers pooled and marked) or ``primary``.
    :param report: a key of :data:`REPORTS`.
    """

    trials: tuple[str, ...] = ()
    exclude_trials: tuple[str, ...] = ()
    line: str = "pretreated"
    combination: str = "monotherapy"
    assessor: str = "any"
    source_role: str = "any"
    report: str = "primary"

    def describe(self) -> str:
        """Say in words what this choice pools (the rule printed with every pool)."""
        parts = [
            {
                "monotherapy": "an oral ER degrader alone (a combination arm is left out)",
                "combination": "combination arms only",
                "any": "monotherapy and combination arms",
            }[self.combination]
            + " against its trial's comparator",
            {
                "pretreated": "patients treated before for advanced disease (a trial whose only stated line is first "
                "line is left out; one whose line is not stated is kept and marked)",
                "any": "every line of therapy",
            }.get(self.line, f"trials that state the line {self.line!r}"),
            "one population kind (a trial that randomized only biomarker-selected patients counts in that subgroup)",
            "PFS by any assessor" if self.assessor == "any" else f"PFS by {self.assessor} only",
            "numbers known only from a secondary source pooled and marked"
            if self.source_role == "any"
            else "primary sources only",
            f"one input per trial: {REPORTS[self.report]}",
        ]
        if self.trials:
            parts.append(f"only {', '.join(self.trials)}")
        if self.exclude_trials:
            parts.append(f"without {', '.join(self.exclude_trials)}")
        return "; ".join(parts) + "."


#: The default rule, in words (docs/pooling.md shows it too).
DEFAULT_RULE = Choice().describe()


def _reason(row: ForestRow, choice: Choice) -> str:
    """Why the choice leaves a row out of the pool before one input per trial is picked (``""``: it stays)."""
    checks: tuple[tuple[bool, str], ...] = (
        (bool(choice.trials) and row["trial"] not in choice.trials, "trial not chosen"),
        (row["trial"] in choice.exclude_trials, "trial left out by choice"),
        (choice.combination == "monotherapy" and row.is_combination is True, f"{row.combination}: not monotherapy"),
        (
            choice.combination == "combination" and row.is_combination is not True,
            f"{row.combination}: not a combination",
        ),
        (
            choice.combination == "monotherapy" and row.reference.kind == COMBINATION_KIND,
            "the comparator is a combination regimen",
        ),
        (choice.line == "pretreated" and row.first_line_only, "first line only: not pretreated disease"),
        (
            choice.line not in ("pretreated", "any") and choice.line not in row.lines,
            f"line {choice.line!r} not stated for the trial (lines: {row.line})",
        ),
        (choice.assessor != "any" and row["assessor"] != choice.assessor, f"assessed by {row['assessor']}"),
        (choice.source_role == "primary" and row.secondary, "known only from a secondary source"),
        (not row.has_interval, "no confidence interval stated"),
    )
    reasons = [reason for failed, reason in checks if failed]
    if not reasons and (problem := row.as_input().problem()):
        reasons.append(f"cannot be pooled: {problem}")
    return "; ".join(reasons)


def _report_order(choice: Choice) -> Callable[[ForestRow], tuple[Any, ...]]:
    """Sort key putting a trial's preferred report first, for ``choice.report``."""

    def primary(row: ForestRow) -> tuple[Any, ...]:
        analysis = {"primary analysis": 0, NOT_STATED: 1}.get(row["analysisKind"], 2)
        return (row.secondary, analysis, _descending(row["reportDate"]), row["report"])

    def first(row: ForestRow) -> tuple[Any, ...]:
        return (row.secondary, row["dataCutoff"] or "9999", row["reportDate"] or "9999", row["report"])

    def latest(row: ForestRow) -> tuple[Any, ...]:
        return (row.secondary, _descending(row["dataCutoff"]), _descending(row["reportDate"]), row["report"])

    return {"primary": primary, "first": first, "latest": latest}[choice.report]


def _descending(date: str) -> tuple[int, ...]:
    """Sort key of an ISO date putting later dates first and an unknown date last."""
    return tuple(-ord(character) for character in date) if date else (1,)


@dataclass(frozen=True)
class Subgroup:
    """One subgroup of a pool: its value, its inputs, and its pool (``None`` with one input)."""

    value: str
    rows: tuple[ForestRow, ...]
    pool: Pool | None


#: ``--subgroup`` values: name -> the attribute of a row that makes its subgroup.
SUBGROUPS: Mapping[str, Callable[[ForestRow], str]] = MappingProxyType(
    {
        "line": lambda row: row.line,
        "assessor": lambda row: row["assessor"],
        "combination": lambda row: row.combination,
        "source-role": lambda row: row["sourceRole"],
        "analysis": lambda row: row["analysisKind"],
        "comparator": lambda row: row.comparator_kind,
    }
)


@dataclass(frozen=True)
class Selection:
    """Which rows of a forest plot were pooled, which not and why, the pool and its sensitivity analyses.

    :param spec: the plot.
    :param choice: what was asked to be pooled.
    :param rows: every row of the population kind, in question order.
    :param pooled: the rows pooled, one per trial.
    :param excluded: (row, reason) for each row not pooled.
    :param pool: the pooled estimates, ``None`` when fewer than two trials qualify.
    :param no_pool_reason: why there is no pool.
    :param warnings: what a reader of the pool must know (secondary-only inputs, mixed assessors, gaps).
    :param leave_one_out: (left-out row, pool of the others or ``None``), when asked for.
    :param subgroup: the attribute the subgroups are made by (a key of :data:`SUBGROUPS`), ``""`` for none.
    :param subgroups: the subgroups, in order of first appearance.
    :param subgroup_tests: the tests for subgroup differences, one per model compared.
    """

    spec: ForestSpec
    choice: Choice
    rows: tuple[ForestRow, ...]
    pooled: tuple[ForestRow, ...]
    excluded: tuple[tuple[ForestRow, str], ...]
    pool: Pool | None
    no_pool_reason: str = ""
    warnings: tuple[str, ...] = ()
    leave_one_out: tuple[tuple[ForestRow, Pool | None], ...] = ()
    subgroup: str = ""
    subgroups: tuple[Subgroup, ...] = ()
    subgroup_tests: tuple[SubgroupTest, ...] = ()

    @property
    def rule(self) -> str:
        """The rule of this pool, in words."""
        return self.choice.describe()

    @property
    def assessors(self) -> tuple[str, ...]:
        """The assessors of the pooled inputs, sorted."""
        return tuple(sorted({row["assessor"] for row in self.pooled}))

    def is_pooled(self, row: ForestRow) -> bool:
        """Whether a row is one of the pooled inputs."""
        return any(row is kept for kept in self.pooled)

    def weight(self, row: ForestRow, model: str = "reml") -> float | None:
        """Return a pooled row's relative weight (0 to 1) under a model; ``None`` for a row not pooled."""
        if self.pool is None or not self.is_pooled(row):
            return None
        return self.pool.models[model].weights[[id(kept) for kept in self.pooled].index(id(row))]

    def require_pool(self) -> Pool:
        """Return the pool, or refuse a selection that gives none.

        :raises InputError: one line: how many trials qualify and why there is no pool.
        """
        if self.pool is None:
            raise InputError(f"{self.spec.name}: {self.no_pool_reason}")
        return self.pool


def _warnings(pooled: tuple[ForestRow, ...], excluded: Sequence[tuple[ForestRow, str]]) -> tuple[str, ...]:
    """List what a reader must know about the inputs of a pool."""
    found = [
        f"{row['trial']} {row.interval} is known only from a secondary source ({row['report']}"
        + (f", restating {row['restates']}" if row["restates"] else "")
        + ")"
        for row in pooled
        if row.secondary
    ]
    assessors = sorted({row["assessor"] for row in pooled})
    if len(assessors) > 1:
        found.append(f"assessors differ between the pooled trials: {', '.join(assessors)}")
    gaps = {
        "line of therapy": [row["trial"] for row in pooled if not row.lines],
        "regimen kind": [row["trial"] for row in pooled if row.is_combination is None],
        "population size": [row["trial"] for row in pooled if not row.patients],
    }
    found += [f"{what} not stated for: {', '.join(trials)}" for what, trials in gaps.items() if trials]
    found += [f"{row['trial']}: {row.population_note}" for row in pooled if row.whole_population_selected]
    found += [f"{row['trial']} {row.interval}: {why}" for row, why in excluded if "cannot be pooled" in why]
    return tuple(found)


def _pool_or_none(rows: Sequence[ForestRow]) -> Pool | None:
    """Pool rows, or ``None`` when there are too few."""
    return pool_hazard_ratios([row.as_input() for row in rows]) if len(rows) >= MINIMUM_STUDIES else None


def _subgroups(name: str, pooled: tuple[ForestRow, ...]) -> tuple[tuple[Subgroup, ...], tuple[SubgroupTest, ...]]:
    """Split the pooled rows by an attribute; test the differences with the fixed-effect and REML estimates."""
    values: dict[str, list[ForestRow]] = defaultdict(list)
    for row in pooled:
        values[SUBGROUPS[name](row)].append(row)
    groups = tuple(Subgroup(value, tuple(rows), _pool_or_none(rows)) for value, rows in values.items())
    if len(groups) < MINIMUM_STUDIES:
        return groups, ()

    def estimate(group: Subgroup, model: str) -> tuple[float, float]:
        if group.pool is None:
            only = group.rows[0].as_input()
            return only.log_estimate, only.standard_error
        chosen = group.pool.models[model]
        return chosen.log_estimate, chosen.standard_error

    tests = tuple(
        subgroup_difference(MODELS[model], [estimate(group, model) for group in groups]) for model in ("fixed", "reml")
    )
    return groups, tests


def select_for_pooling(
    spec: ForestSpec,
    rows: list[ForestRow],
    choice: Choice | None = None,
    *,
    leave_one_out: bool = False,
    subgroup: str = "",
) -> Selection:
    """Choose the rows to pool by ``choice`` (the default rule when ``None``), one per trial, and pool them.

    Every row has the same endpoint kind (progression-free survival) and population kind
    (``spec``). A row the choice leaves out is listed with its reason; of a trial's
    remaining rows the first by :func:`_report_order` is pooled and the others are listed.

    :param leave_one_out: also pool without each input in turn.
    :param subgroup: a key of :data:`SUBGROUPS`: pool each subgroup and test their differences.
    :returns: the selection, with the pool when at least two trials qualify.
    :raises InputError: an unknown subgroup, report, combination or source-role value.
    """
    choice = choice or Choice()
    _check_choice(choice, rows, subgroup)
    excluded: list[tuple[ForestRow, str]] = []
    candidates: dict[str, list[ForestRow]] = defaultdict(list)
    for row in rows:
        if reason := _reason(row, choice):
            excluded.append((row, reason))
        else:
            candidates[row["trial"]].append(row)
    chosen = []
    for trial_rows in candidates.values():
        ordered = sorted(trial_rows, key=_report_order(choice))
        chosen.append(ordered[0])
        excluded += [(row, f"another report of the trial is pooled: {ordered[0]['report']}") for row in ordered[1:]]
    position = {id(row): number for number, row in enumerate(rows)}
    pooled = tuple(sorted(chosen, key=lambda row: position[id(row)]))
    kept = tuple(sorted(excluded, key=lambda item: position[id(item[0])]))
    warnings = _warnings(pooled, kept)
    if len(pooled) < MINIMUM_STUDIES:
        names = f" ({', '.join(row['trial'] for row in pooled)})" if pooled else ""
        reason = f"no pooled estimate: {len(pooled)} trial(s) qualify{names}, pooling needs at least {MINIMUM_STUDIES}"
        return Selection(spec, choice, tuple(rows), pooled, kept, None, reason, warnings)
    pool = pool_hazard_ratios([row.as_input() for row in pooled])
    omitted = (
        tuple((row, _pool_or_none([r for r in pooled if r is not row])) for row in pooled) if leave_one_out else ()
    )
    groups, tests = _subgroups(subgroup, pooled) if subgroup else ((), ())
    return Selection(spec, choice, tuple(rows), pooled, kept, pool, "", warnings, omitted, subgroup, groups, tests)


def _check_choice(choice: Choice, rows: list[ForestRow], subgroup: str) -> None:
    """Refuse a choice naming a value that no row can have.

    :raises InputError: one line naming the value and the values there are.
    """
    trials = sorted({row["trial"] for row in rows})
    lines = sorted({line for row in rows for line in row.lines})
    assessors = sorted({row["assessor"] for row in rows})
    checks = (
        ("trial", [t for t in (*choice.trials, *choice.exclude_trials) if t not in trials], trials),
        ("line", [] if choice.line in ("pretreated", "any", *lines) else [choice.line], ["pretreated", "any", *lines]),
        ("assessor", [] if choice.assessor in ("any", *assessors) else [choice.assessor], ["any", *assessors]),
        ("report", [] if choice.report in REPORTS else [choice.report], list(REPORTS)),
        ("combination", [] if choice.combination in COMBINATIONS else [choice.combination], list(COMBINATIONS)),
        ("source role", [] if choice.source_role in SOURCE_ROLES else [choice.source_role], list(SOURCE_ROLES)),
        ("subgroup", [] if subgroup in ("", *SUBGROUPS) else [subgroup], list(SUBGROUPS)),
    )
    for what, unknown, known in checks:
        if unknown:
            raise InputError(
                f"no {what} {unknown[0]!r} in this population's hazard ratios; {what}s: {', '.join(known) or 'none'}"
            )


def forest_selection(
    evidence: Evidence, name: str, choice: Choice | None = None, *, leave_one_out: bool = False, subgroup: str = ""
) -> Selection:
    """Read one forest plot and choose what to pool (see :func:`select_for_pooling`).

    :param name: a key of :data:`FORESTS`.
    :raises InputError: no such plot, or a choice naming what the data does not hold.
    """
    spec = forest_spec(name)
    return select_for_pooling(spec, forest_rows(evidence, spec), choice, leave_one_out=leave_one_out, subgroup=subgroup)


# --- Output of ``ember3kg pool`` ---


def _model_line(estimate: PooledEstimate) -> str:
    """One model's pooled estimate, test, tau-squared and prediction interval."""
    test = f"t({estimate.df})" if estimate.df is not None else "z"
    statistic = format_number(estimate.statistic, 2)
    line = f"  {estimate.method}: HR {_interval(estimate)}, {test} = {statistic}, {format_p(estimate.p)}"
    if estimate.prediction is not None:
        low, high = estimate.prediction
        predicted = f"{format_number(low, 2)}\u2013{format_number(high, 2)}"
        line += f"; tau2 = {format_number(estimate.tau2, 4)}; 95% prediction interval {predicted}"
    return line


def _heterogeneity(pool: Pool) -> str:
    """Q, its p-value and I-squared on one line."""
    return (
        f"Q = {format_number(pool.q, 2)} (df {pool.df}, {format_p(pool.q_p)}), I2 = {format_number(100 * pool.i2, 1)}%"
    )


def _brief(pool: Pool) -> str:
    """Write a pool on one line: every model's estimate, I-squared and the REML tau-squared."""
    models = ", ".join(f"{key} {_interval(pool.models[key])}" for key in MODELS)
    return (
        f"{models}; I2 = {format_number(100 * pool.i2, 1)}%, tau2 (REML) = {format_number(pool.models['reml'].tau2, 4)}"
    )


def _pool_table(selection: Selection) -> str:
    """Write the rule, the inputs with their comparability, what was not pooled and why, and the pool."""
    lines = [selection.spec.title, f"Rule: {selection.rule}", "Pooled:"]
    for row in selection.pooled:
        weight = selection.weight(row)
        share = f", weight (REML) {format_number(100 * weight, 1)}%" if weight is not None else ""
        lines.append(f"  {row.label}: HR {row.interval}{share}")
        columns = row.comparability()
        lines.append(
            "    " + "; ".join(f"{name.replace('_', ' ')}: {value}" for name, value in columns.items() if value)
        )
    lines.append("Not pooled:" if selection.excluded else "Not pooled: none")
    lines += [f"  {row['trial']} {row.interval} ({row['report']}): {reason}" for row, reason in selection.excluded]
    lines += ["Warnings:", *(f"  {warning}" for warning in selection.warnings)] if selection.warnings else []
    if selection.pool is None:
        return "\n".join([*lines, selection.no_pool_reason]) + "\n"
    pool = selection.pool
    lines += ["Models (95% CI):", *(_model_line(estimate) for estimate in pool.estimates)]
    lines.append(f"Heterogeneity: {_heterogeneity(pool)}")
    if selection.leave_one_out:
        lines.append("Leave one out:")
        for row, rest in selection.leave_one_out:
            lines.append(f"  without {row['trial']}: " + (_brief(rest) if rest else "fewer than two trials remain"))
    if selection.subgroup:
        lines.append(f"Subgroups by {selection.subgroup}:")
        for group in selection.subgroups:
            trials = ", ".join(row["trial"] for row in group.rows)
            if group.pool is None:
                lines.append(f"  {group.value} ({trials}): HR {group.rows[0].interval}")
            else:
                lines.append(f"  {group.value} ({trials}): {_brief(group.pool)}; {_heterogeneity(group.pool)}")
        for test in selection.subgroup_tests:
            lines.append(
                f"  test for subgroup differences ({test.model.label}): Q = {format_number(test.q, 2)} "
                f"(df {test.df}, {format_p(test.p)}), I2 = {format_number(100 * test.i2, 1)}%"
            )
        if not selection.subgroup_tests:
            lines.append("  one subgroup only: no test for subgroup differences")
    return "\n".join(lines) + "\n"


def _pool_json(selection: Selection) -> str:
    """Write the selection, the pool and its sensitivity analyses as JSON."""
    document = {
        "population": selection.spec.name,
        "rule": selection.rule,
        "pooled": [_row_dict(row, selection) for row in selection.pooled],
        "excluded": [dict(_row_dict(row, selection), reason=why) for row, why in selection.excluded],
        "warnings": list(selection.warnings),
        "pool": selection.pool.as_dict() if selection.pool is not None else None,
        "reason": selection.no_pool_reason,
        "leave_one_out": [
            {"omitted": row["trial"], "pool": rest.as_dict() if rest else None} for row, rest in selection.leave_one_out
        ],
        "subgroup": selection.subgroup,
        "subgroups": [
            {
                "value": group.value,
                "trials": [row["trial"] for row in group.rows],
                "pool": group.pool.as_dict() if group.pool else None,
            }
            for group in selection.subgroups
        ],
        "subgroup_tests": [
            {"model": test.model.key, "q": test.q, "df": test.df, "p": test.p, "i2": test.i2}
            for test in selection.subgroup_tests
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _row_dict(row: ForestRow, selection: Selection) -> dict[str, object]:
    """One row as plain data: the numbers as printed, yi/sei where they can be computed, the comparability."""
    poolable = row.has_interval and not row.as_input().problem()
    return {
        "trial": row["trial"],
        "result": row.key,
        "comparison": row.label,
        "hr": row.printed("hazardRatio"),
        "ci_lower": row.printed("ciLower"),
        "ci_upper": row.printed("ciUpper"),
        "ci_level": row["ciLevel"],
        "yi": row.as_input().log_estimate if poolable else None,
        "sei": row.as_input().standard_error if poolable else None,
        "pooled": selection.is_pooled(row),
        "secondary": row.secondary,
        **row.comparability(),
    }


#: Columns of the CSV export, in order (metafor reads ``yi`` and ``sei``; RevMan's generic inverse variance too).
CSV_COLUMNS = (
    "study", "yi", "sei", "hr", "ci_lower", "ci_upper", "ci_level", "pooled", "secondary", "reason",
    "population_kind", "population_note", "line", "combination", "comparator_kind", "endpoint", "assessor",
    "source_role", "source_kind", "report", "restates", "report_date", "analysis", "data_cutoff", "stated_in",
    "n", "events", "comparison", "result",
)  # fmt: skip


def _pool_csv(selection: Selection) -> str:
    """Write every row of the population as CSV: ``yi`` (log HR), ``sei``, the selection flags and the comparability.

    Pooled rows first; ``pooled`` is 1 or 0, ``secondary`` 1 for a number known only from a
    secondary source, ``reason`` why a row was not pooled. ``yi`` and ``sei`` have 6 decimals
    and are empty where no interval is stated.
    """
    reasons = {id(row): why for row, why in selection.excluded}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in (*selection.pooled, *(row for row, _ in selection.excluded)):
        data = _row_dict(row, selection)
        writer.writerow(
            {
                **{key: value for key, value in data.items() if key in CSV_COLUMNS},
                "study": row["trial"],
                "yi": "" if data["yi"] is None else format_number(float(data["yi"]), 6),  # type: ignore[arg-type]
                "sei": "" if data["sei"] is None else format_number(float(data["sei"]), 6),  # type: ignore[arg-type]
                "pooled": int(selection.is_pooled(row)),
                "secondary": int(row.secondary),
                "reason": reasons.get(id(row), ""),
            }
        )
    return buffer.getvalue()


#: Output formats of ``ember3kg pool``: name -> writer.
POOL_FORMATS: Mapping[str, Callable[[Selection], str]] = MappingProxyType(
    {"table": _pool_table, "json": _pool_json, "csv": _pool_csv}
)
