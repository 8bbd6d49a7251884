"""Build the static evidence site: every number on it is the answer of a query, written as reports print it.

``build_site(DIR)`` writes a self-contained site (plain HTML and CSS, no script, no
network needed to view it):

- ``index.html``: the trials, the cross-trial plots, what the graph holds, how to query
  and load it, links to the dumps (``data/``, written by :func:`ember3kg.publish.export.build`);
- ``trials/<trial>.html``: the design (registry number, phase, masking, ratio, lines of
  therapy, eligibility, arms with dosing, populations, stratification, data analyses), a
  key results box (each primary comparison: estimate, interval, p-value, met or not met
  and who says so), then every result grouped by endpoint;
- ``id/<name>.html``: a page per result and per source document, with its provenance
  chain; ``<name>`` is the local name of the node's IRI (``kg:ember3-result-pfs-hr-all``
  -> ``id/ember3-result-pfs-hr-all.html``), so ``https://w3id.org/ember3kg/id/NAME``
  can redirect to ``id/NAME.html``; ``documents.html`` lists the documents;
- ``forest-<name>.html`` with ``.svg`` and ``.png``: the forest plots of
  :data:`ember3kg.evidence.cross_trial.FORESTS`, with the pooled estimates;
- ``questions/index.html`` and ``questions/<name>.html``: each packaged question, its
  SPARQL and its answer as ``ember3kg query`` prints it;
- ``ontology.html`` (pyLODE, reused from the previous build while the ontology is the
  same) and ``shapes.html`` (the SHACL rules).

What the pages show comes from packaged queries: the questions, and the queries of
``queries/site/`` (:func:`site_queries`), never from walking the graph in Python. Numbers
are written by :mod:`ember3kg.evidence.reporting`. The site is written into a staging folder
beside the output folder and swapped in whole: a failed build leaves the previous site
as it was. The same dataset gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

from markupsafe import Markup, escape
from rdflib import OWL, RDF, RDFS, SH, Dataset, Graph
from rdflib.compare import to_canonical_graph, to_isomorphic
from rdflib.term import Node

from ember3kg.errors import InputError, OutputError
from ember3kg.evidence import reporting
from ember3kg.evidence.cross_trial import FORESTS, RESULTS_QUESTION, Evidence, Row, Selection, forest_selection, text
from ember3kg.evidence.plots import forest_png, forest_svg
from ember3kg.io.inputs import RdfInput
from ember3kg.io.outputs import staged_folder, write_staged
from ember3kg.publish.export import DESCRIPTION_SUFFIX, build
from ember3kg.publish.stats import compute_stats
from ember3kg.query import Answer, Question, questions, render_term, run_questions
from ember3kg.query.catalogue import packaged_queries
from ember3kg.vocab.namespaces import GRAPH, KG

#: Package folder of the templates and the stylesheet.
TEMPLATES = "templates"
#: Folder of ``ember3kg.queries`` holding the site's own queries.
SITE_QUERIES = "site"
#: Packaged questions the pages are drawn from, beside :data:`RESULTS_QUESTION`.
POPULATIONS_QUESTION = "populations-by-trial"
OUTCOMES_QUESTION = "primary-endpoint-outcomes"
#: The part (named graph) documented on the ontology page.
ONTOLOGY_PART = "ontology"
#: What a page says of a fact the graph does not hold.
NOT_STATED = "not stated in the read documents"
#: What the ontology page shows for a nested class expression that pyLODE cannot render.
_ANONYMOUS_CLASS = '<span title="a nested class expression; see ontology/ember3kg.ttl">anonymous class</span>'
#: Marks, in the ontology page, the digest of the ontology it documents (reused while the digest is the same).
_ONTOLOGY_DIGEST = re.compile(rb'<meta name="ember3kg-ontology-digest" content="([0-9a-f]{64})">')
#: Bumped when the ontology page is made differently, so that an older page is not reused.
_ONTOLOGY_PAGE_VERSION = "3"
#: URL schemes a link on the ontology page may have; any other (``javascript:``) is removed.
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "urn"})
#: pyLODE's inline images (its icons) are kept; no other ``data:`` URL is.
_SAFE_DATA = ("data:image/png;", "data:image/gif;", "data:image/jpeg;")
#: Darker colours for pyLODE's term marks and side label, readable on white (WCAG AA, 4.5:1).
_ONTOLOGY_STYLE = """<style>
.sup-c, .sup-con { color: #8a4b00; } .sup-fp { color: #1f5f8b; } .sup-dp { color: #1a6b2f; }
#pylode { color: #595959; }
nav.ember3kg-back { padding: 0.4em 0; font-weight: 600; }
</style>
"""
#: A node name fit for a file name; other IRIs get a digest instead.
_LOCAL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,150}")


@dataclass(frozen=True)
class Aspect:
    """One line of a trial's design: the key of ``trial-facts.rq`` and how a page names it."""

    key: str
    heading: str


#: The design of a trial, in the order the page lists it (``queries/site/trial-facts.rq`` gives the facts).
DESIGN: tuple[Aspect, ...] = (
    Aspect("registry", "Registry number"),
    Aspect("phase", "Phase"),
    Aspect("allocation", "Allocation"),
    Aspect("ratio", "Randomization ratio"),
    Aspect("masking", "Masking"),
    Aspect("condition", "Condition"),
    Aspect("line", "Line of therapy"),
    Aspect("randomized", "Patients randomized"),
    Aspect("randomizationStart", "Randomization from"),
    Aspect("randomizationEnd", "Randomization until"),
    Aspect("stratification", "Stratified by"),
    Aspect("primaryEndpoint", "Primary endpoint"),
    Aspect("funder", "Funder"),
)


@dataclass(frozen=True)
class Page:
    """One page to write: its path in the site, its template and what the template is given."""

    path: str
    template: str
    context: Mapping[str, object]


@dataclass(frozen=True)
class SiteBuild:
    """What :func:`build_site` wrote.

    :param root: the site's folder.
    :param pages: the HTML pages, relative to ``root``, in writing order.
    :param files: every file written, relative to ``root``.
    :param seconds: wall-clock time of the build.
    :param ontology_reused: whether the ontology page was taken from the previous build.
    """

    root: Path
    pages: tuple[str, ...]
    files: tuple[str, ...]
    seconds: float
    ontology_reused: bool = False

    @property
    def index(self) -> Path:
        """The start page."""
        return self.root / "index.html"


def slug(name: str) -> str:
    """Make a file name from a trial acronym or question name: ``EMBER-3`` -> ``ember-3``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"


def node_page(node: Node | None) -> str:
    """Give the path of a node's page: ``kg:ember3-result-pfs-hr-all`` -> ``id/ember3-result-pfs-hr-all.html``.

    An IRI outside ``https://w3id.org/ember3kg/id/`` or with a name unfit for a file gets
    ``id/n-<digest>.html``, the start of the SHA-256 of the IRI.
    """
    iri = str(node)
    local = iri.removeprefix(str(KG))
    if local != iri and _LOCAL_NAME.fullmatch(local):
        return f"id/{local}.html"
    return f"id/n-{hashlib.sha256(iri.encode('utf-8')).hexdigest()[:16]}.html"


@lru_cache(maxsize=1)
def site_queries() -> Mapping[str, Question]:
    """Read the site's own queries (``queries/site/*.rq``), sorted by name."""
    return packaged_queries(SITE_QUERIES)


def _rows(answer: Answer) -> list[Row]:
    """Turn a SELECT answer into rows: variable name -> term."""
    return [MappingProxyType(dict(zip(answer.variables, row, strict=True))) for row in answer.rows]


def _html_parts(parts: Iterable[reporting.Part]) -> Markup:
    """Write formatted parts as HTML: each number in a ``<span data-var>`` naming the variable it shows."""
    return Markup("").join(
        Markup('<span data-var="{}">{}</span>').format(var, part) if var else escape(part) for var, part in parts
    )


def _words(name: str) -> str:
    """Write a class's local name in words: ``CauseSpecificHazardRatio`` -> ``cause specific hazard ratio``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _environment():  # -> jinja2.Environment
    """Make the Jinja2 environment over the packaged templates, with HTML autoescaping."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("ember3kg.evidence", TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["text"] = text
    environment.filters["slug"] = slug
    environment.filters["page"] = node_page
    environment.filters["words"] = _words
    environment.filters["result"] = lambda row: _html_parts(_result_parts(row))
    environment.filters["with_unit"] = lambda row, var, unit: _html_parts(
        reporting.with_unit_parts(text(row[var]), text(row[unit]), var)
    )
    environment.filters["forest_row"] = lambda row: str(
        reporting.Reported(
            "hazard ratio",
            row.printed("hazardRatio"),
            None,
            row["ciLevel"],
            row.printed("ciLower"),
            row.printed("ciUpper"),
        )
    )
    environment.filters["forest_interval"] = lambda row: _html_parts(
        reporting.interval_parts(row["ciLevel"], row.printed("ciLower"), row.printed("ciUpper"))
    )
    environment.filters["forest_p"] = lambda row: _html_parts(
        reporting.p_value_parts(row["pComparator"], row.printed("pValue"))
    )
    environment.filters["timepoint"] = lambda row, units: _html_parts(
        reporting.with_unit_parts(text(row["timepoint"]), units.get(str(row["result"])), "timepoint")
    )
    return environment


def _result_parts(row: Row) -> tuple[reporting.Part, ...]:
    """Format one row of :data:`RESULTS_QUESTION` (or a row with its variables) as a report prints it."""
    if row["value"] is None:
        return ((None, text(row["estimateState"]) or "no estimate stated"),)
    return reporting.Reported(
        text(row["kind"]),
        text(row["value"]),
        text(row["unit"]),
        text(row["ciLevel"]),
        text(row["ciLower"]),
        text(row["ciUpper"]),
        text(row["pComparator"]),
        text(row["pValue"]),
    ).parts()


# --- What the pages show ----------------------------------------------------------


class SiteData:
    """The answers the pages are drawn from, each asked once: the questions and :func:`site_queries`.

    :param evidence: the dataset's answers (the forest plots' too).
    """

    def __init__(self, evidence: Evidence):
        self.evidence = evidence
        names = list(site_queries())
        answers = run_questions([site_queries()[name] for name in names], evidence.data)
        self.site = {name: _rows(answer) for name, answer in zip(names, answers, strict=True)}
        self.results = evidence.rows(RESULTS_QUESTION)
        asked = [questions()[name] for name in (POPULATIONS_QUESTION, OUTCOMES_QUESTION)]
        self.populations, self.outcomes = (_rows(answer) for answer in run_questions(asked, evidence.data))

    def trials(self) -> dict[str, Node | None]:
        """Trial acronym -> trial IRI, for every trial with an acronym or a result, sorted by acronym."""
        found: dict[str, Node | None] = {text(row["trial"]): row["trialIri"] for row in self.site["trial-facts"]}
        for row in self.results:
            found.setdefault(text(row["trial"]), None)
        return dict(sorted(found.items()))

    def facts(self, acronym: str) -> dict[str, list[str]]:
        """Aspect -> the values ``trial-facts.rq`` gives for one trial."""
        found: dict[str, list[str]] = defaultdict(list)
        for row in _matching(self.site["trial-facts"], "trial", acronym):
            found[text(row["aspect"])].append(text(row["value"]))
        return found

    def timepoint_units(self) -> dict[str, str]:
        """Map each result IRI to the unit of its timepoint, where one is stated."""
        return {
            str(row["result"]): text(row["timepointUnit"])
            for row in self.site["result-provenance"]
            if row["timepointUnit"] is not None
        }

    def documents(self) -> dict[str, Row]:
        """Document IRI -> its first row of ``documents.rq``."""
        found: dict[str, Row] = {}
        for row in self.site["documents"]:
            found.setdefault(str(row["documentIri"]), row)
        return found

    def document_iris(self) -> dict[str, Node]:
        """Document label -> document IRI (the first, where two share a label)."""
        found: dict[str, Node] = {}
        for row in (*self.site["documents"], *self.site["result-provenance"]):
            if row["document"] is not None and row["documentIri"] is not None:
                found.setdefault(text(row["document"]), row["documentIri"])
        return found


def _matching(rows: Iterable[Row], variable: str, value: str) -> list[Row]:
    """Keep the rows whose ``variable`` reads ``value``."""
    return [row for row in rows if text(row[variable]) == value]


def _grouped(rows: Iterable[Row], key: Callable[[Row], str]) -> dict[str, list[Row]]:
    """Group rows by ``key``, in the order the groups first appear."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def _arms(rows: list[Row]) -> list[dict[str, object]]:
    """One entry per arm: its row (rank, size, regimen) and the dosings stated for it."""
    arms = _grouped(rows, lambda row: str(row["armIri"]))
    return [
        {"arm": dosings[0], "dosings": [row for row in dosings if row["drug"] is not None]} for dosings in arms.values()
    ]


def _trial_page(data: SiteData, acronym: str, forests: Mapping[str, Selection]) -> Page:
    """Make the page of one trial."""
    facts = data.facts(acronym)
    results = _matching(data.results, "trial", acronym)
    documents = data.document_iris()
    cited = list(
        dict.fromkeys(
            [
                *(text(row["document"]) for row in results),
                *(text(row["document"]) for row in data.site["documents"] if text(row["trial"]) == acronym),
            ]
        )
    )
    references = {label: number for number, label in enumerate(cited, start=1)}
    comparisons = facts.get("primaryComparison", [])
    endpoints = set(facts.get("primaryEndpoint", []))
    outcomes = _matching(data.outcomes, "trial", acronym)
    key_results = [
        {
            "comparison": comparison,
            "results": list(
                _grouped(
                    (
                        row
                        for row in results
                        if text(row["armOrComparison"]) == comparison and text(row["endpoint"]) in endpoints
                    ),
                    lambda row: str(row["result"]),
                ).values()
            ),
            "claims": _matching(outcomes, "comparison", comparison),
        }
        for comparison in sorted({*comparisons, *(text(row["comparison"]) for row in outcomes)})
    ]
    in_forests = [
        (selection, row) for selection in forests.values() for row in selection.rows if row["trial"] == acronym
    ]
    return Page(
        f"trials/{slug(acronym)}.html",
        "trial.html",
        {
            "title": f"{acronym}: design and results",
            "acronym": acronym,
            "name": next(iter(facts.get("name", [])), acronym),
            "description": facts.get("description", []),
            "design": [(aspect, facts.get(aspect.key, [])) for aspect in DESIGN],
            "arms": _arms(_matching(data.site["arms-and-dosing"], "trial", acronym)),
            "populations": _matching(data.populations, "trial", acronym),
            "eligibility": _matching(data.site["eligibility"], "trial", acronym),
            "analyses": _grouped(
                _matching(data.site["data-analyses"], "trial", acronym), lambda r: text(r["analysis"])
            ),
            "key_results": key_results,
            "results": {
                endpoint: list(_grouped(rows, lambda row: str(row["result"])).values())
                for endpoint, rows in _grouped(results, lambda row: text(row["endpoint"])).items()
            },
            "references": references,
            "documents": documents,
            "in_forests": in_forests,
        },
    )


def _listed_by(answers: Mapping[str, dict[str, object]]) -> dict[str, list[str]]:
    """Cell text -> the questions whose answer holds it (an IRI as its CURIE, or a label)."""
    found: dict[str, list[str]] = defaultdict(list)
    for name, answer in answers.items():
        cells = {cell for row in answer.get("rows", ()) for cell in row}  # type: ignore[attr-defined]
        for cell in cells:
            found[cell].append(name)
    return found


def _result_pages(data: SiteData, listed_by: Mapping[str, list[str]], forests: Mapping[str, Selection]) -> list[Page]:
    """Make one page per result: what it is, its numbers, and where it comes from."""
    provenance = _grouped(data.site["result-provenance"], lambda row: str(row["result"]))
    results = _grouped(data.results, lambda row: str(row["result"]))
    # A result the results question leaves out (one without an endpoint, such as a share of
    # patients) gets its page from its provenance rows, which carry its number too.
    variables = data.evidence.answer(RESULTS_QUESTION).variables
    for iri, chain in provenance.items():
        results.setdefault(iri, [MappingProxyType({var: chain[0].get(var) for var in variables})])
    pages = []
    for iri, rows in results.items():
        result = rows[0]["result"]
        chain = provenance.get(iri, [])
        label = text(chain[0]["resultLabel"]) if chain and chain[0]["resultLabel"] else render_term(result)
        names = sorted({*listed_by.get(render_term(result), ()), *listed_by.get(label, ())})
        plotted = [
            (selection, row)
            for selection in forests.values()
            for row in selection.rows
            if str(row.values.get("result")) == iri
        ]
        pages.append(
            Page(
                node_page(result),
                "result.html",
                {
                    "title": label,
                    "curie": render_term(result),
                    "iri": iri,
                    "rows": rows,
                    "chain": chain,
                    "caveats": sorted({text(row["caveat"]) for row in chain if row["caveat"] is not None}),
                    "notes": sorted({text(row["note"]) for row in chain if row["note"] is not None}),
                    "questions": names,
                    "plotted": plotted,
                },
            )
        )
    return pages


def _document_pages(data: SiteData) -> list[Page]:
    """Make one page per source document: what it is, whom it restates, and the results it gives."""
    rows = _grouped(data.site["documents"], lambda row: str(row["documentIri"]))
    restated_by = _grouped(
        (row for row in data.site["documents"] if row["restatesIri"] is not None), lambda row: str(row["restatesIri"])
    )
    results = _grouped(data.site["result-provenance"], lambda row: str(row["documentIri"]))
    pages = []
    for iri, document in rows.items():
        first = document[0]
        pages.append(
            Page(
                node_page(first["documentIri"]),
                "document.html",
                {
                    "title": text(first["document"]) or render_term(first["documentIri"]),
                    "curie": render_term(first["documentIri"]),
                    "iri": iri,
                    "document": first,
                    "trials": sorted({text(row["trial"]) for row in document if row["trial"] is not None}),
                    "restates": list({str(row["restatesIri"]): row for row in document if row["restatesIri"]}.values()),
                    "restated_by": list({str(row["documentIri"]): row for row in restated_by.get(iri, [])}.values()),
                    "results": list({str(row["result"]): row for row in results.get(iri, [])}.values()),
                    "pages": {str(row["documentIri"]) for row in data.site["documents"]},
                },
            )
        )
    return pages


def _answer_table(evidence: Evidence, name: str) -> dict[str, object]:
    """Give the answer of a question as ``ember3kg query`` prints it, ready for the question template."""
    answer = evidence.normalised_answer(name)
    if answer.graph is not None:
        # Canonical blank-node labels and sorted lines: the same graph gives the same text.
        canonical = to_canonical_graph(answer.graph)
        lines = sorted(" ".join(term.n3() for term in triple) + " ." for triple in canonical)
        return {"kind": "graph", "triples": lines}
    if answer.kind == "boolean":
        return {"kind": "boolean", "boolean": "true" if answer.boolean else "false"}
    return {"kind": "rows", "variables": answer.variables, "rows": answer.table()}


def _shape_rules(shapes: Graph) -> list[dict[str, object]]:
    """List the node shapes as readable entries: name, what it says, what it targets, its messages."""
    entries: list[dict[str, object]] = []
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        messages = {str(message) for message in shapes.objects(shape, SH.message)}
        for constraint in (*shapes.objects(shape, SH.property), *shapes.objects(shape, SH.sparql)):
            messages.update(str(message) for message in shapes.objects(constraint, SH.message))
        entries.append(
            {
                "id": render_term(shape),
                "name": str(shapes.value(shape, SH.name) or shapes.value(shape, RDFS.label) or render_term(shape)),
                "comment": str(shapes.value(shape, RDFS.comment) or ""),
                "targets": sorted(render_term(target) for target in shapes.objects(shape, SH.targetClass)),
                "messages": sorted(messages),
            }
        )
    return sorted(entries, key=lambda entry: (str(entry["name"]).lower(), str(entry["id"])))


# --- The ontology page ------------------------------------------------------------------


def _ontology_graph(dataset: Dataset) -> Graph:
    """Give the triples the ontology page documents: the ``ontology`` part, else all if the input has an ontology."""
    ontology = Graph()
    ontology += dataset.graph(GRAPH[ONTOLOGY_PART])
    if not len(ontology) and next(dataset.subjects(RDF.type, OWL.Ontology), None) is not None:
        for graph in dataset.graphs():
            ontology += graph
    return ontology


def _ontology_digest(ontology: Graph) -> str:
    """SHA-256 of the ontology, blank nodes included (their labels do not count), and of how its page is made."""
    from pylode import __version__ as pylode_version

    digest = hashlib.sha256(f"{_ONTOLOGY_PAGE_VERSION} {pylode_version}\n".encode())
    digest.update(to_isomorphic(ontology).graph_digest().to_bytes(64, "big", signed=False))
    return digest.hexdigest()


def _pylode_page(ontology: Graph) -> str:
    """Document the ontology with pyLODE (OntPub profile); list members in a fixed order.

    pyLODE 3 collects the members of an ``owl:unionOf``/``owl:intersectionOf`` in a
    ``set`` of HTML elements, so their order changes from run to run; its ``intersperse``
    helper is given a sorted list instead while the page is made.

    :raises InputError: pyLODE cannot document the ontology.
    """
    import logging
    from unittest import mock

    from pylode import OntPub, utils

    original = utils.intersperse

    def sorted_intersperse(items, separator):
        return original(sorted(items, key=lambda item: item.render()), separator)

    pylode_logger = logging.getLogger()
    level = pylode_logger.level
    pylode_logger.setLevel(logging.WARNING)  # pyLODE logs its progress at INFO on the root logger
    try:
        with mock.patch.object(utils, "intersperse", sorted_intersperse):
            return OntPub(ontology, sort_subjects=True).make_html()
    except Exception as exc:  # pyLODE raises bare Exceptions on input it cannot document
        raise InputError(f"ontology page: pyLODE cannot document the ontology: {str(exc).splitlines()[0]}") from None
    finally:
        pylode_logger.setLevel(level)


def _safe_link(match: re.Match[str]) -> str:
    """Keep a link whose URL is relative or has a safe scheme; point any other (``javascript:``) nowhere."""
    url = re.sub(r"[\x00-\x20]", "", html.unescape(match[2]))
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if scheme is None or scheme[1].lower() in _SAFE_SCHEMES or url.lower().startswith(_SAFE_DATA):
        return match[0]
    return f'{match[1]}="#unsafe-link-removed"'


def _ontology_page(dataset: Dataset, previous: Path) -> tuple[bytes, bool]:
    """Make ``ontology.html``, or take it from the previous build when the ontology is the same.

    :param previous: the previous build's ``ontology.html`` (it may not exist).
    :returns: the page and whether it was reused.
    """
    ontology = _ontology_graph(dataset)
    if next(ontology.subjects(RDF.type, OWL.Ontology), None) is None:
        page = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Ontology</title></head>\n'
        page += "<body><main><h1>Ontology</h1><p>The input declares no <code>owl:Ontology</code>, so there is no "
        page += "ontology to document.</p></main></body></html>\n"
        return _with_way_back(page).encode("utf-8"), False
    digest = _ontology_digest(ontology)
    try:
        old = previous.read_bytes()
    except OSError:
        old = b""
    found = _ONTOLOGY_DIGEST.search(old)
    if found and found[1].decode() == digest:
        return old, True
    page = _pylode_page(ontology)
    # pyLODE links a nested class expression (a restriction on an intersection) to its blank
    # node's label, a page that does not exist: show it as text instead.
    page = re.sub(rf'<a href="({ONTOLOGY_PART}-b\d+)">\1</a>', _ANONYMOUS_CLASS, page)
    page = re.sub(r'\b(href|src)="([^"]*)"', _safe_link, page)
    page = page.replace("<head>", f'<head>\n<meta name="ember3kg-ontology-digest" content="{digest}">', 1)
    page = page.replace("</head>", f"{_ONTOLOGY_STYLE}</head>", 1).replace("<html>", '<html lang="en">', 1)
    return _with_way_back(page).encode("utf-8"), False


def _with_way_back(page: str) -> str:
    """Put a link back to the site at the top of a page made by another tool."""
    back = '<nav class="ember3kg-back" aria-label="site">'
    back += '<a href="index.html">&larr; Back to the ember3kg evidence site</a>'
    back += ' &middot; <a href="questions/index.html">Example queries</a></nav>'
    return re.sub(r"(<body[^>]*>)", lambda match: match[1] + back, page, count=1)


# --- Writing ---------------------------------------------------------------------


def _inline_svg(svg: bytes) -> str:
    """Cut the ``<svg>`` element out of an SVG document, to put inline in a page."""
    document = svg.decode("utf-8")
    return document[document.index("<svg") :]


def _check_replaceable(root: Path) -> None:
    """Refuse to replace a folder that holds something other than a site.

    :raises OutputError: ``root`` is a file, or a non-empty folder without ``index.html``.
    """
    if root.exists() and not root.is_dir():
        raise OutputError(f"{root}: not a folder")
    if root.is_dir() and any(root.iterdir()) and not (root / "index.html").is_file():
        raise OutputError(f"{root}: holds files but no site (no index.html); not replaced")


def build_site(output_dir: str | Path, data: RdfInput) -> SiteBuild:
    """Write the evidence site into ``output_dir``, replacing the site there as a whole.

    The site is written into a staging folder beside ``output_dir`` and renamed into
    place when every file is written; on any failure the staging folder is removed and
    ``output_dir`` is left as it was.

    :param output_dir: the folder; created if missing; an earlier site there is replaced.
    :param data: what to show, e.g. the packaged dataset.
    :returns: what was written and how long it took.
    :raises OutputError: the folder cannot be written, or holds files that are not a site.
    :raises InputError: the ontology of ``data`` cannot be documented.

    Example:
        >>> build_site("build/site", RdfInput.packaged()).index  # doctest: +SKIP
        PosixPath('build/site/index.html')
    """
    started = time.perf_counter()
    root = Path(output_dir).absolute()
    _check_replaceable(root)
    with staged_folder(root) as staging:
        written, reused = _write_site(staging, data, root / "ontology.html")
    pages = tuple(path for path in written if path.endswith(".html"))
    return SiteBuild(Path(output_dir), pages, tuple(written), time.perf_counter() - started, reused)


def _write_site(root: Path, data: RdfInput, previous_ontology: Path) -> tuple[list[str], bool]:
    """Write every file of the site into ``root``; return their paths and whether the ontology page was reused."""
    from ember3kg.checks.validate import load_shapes

    evidence = Evidence(data)
    written: list[str] = []

    def write(path: str, content: bytes) -> None:
        write_staged(root / path, content)
        written.append(path)

    dumps = [path.name for path in build(root / "data", data)]
    written += [f"data/{name}" for name in dumps]
    forests = {name: forest_selection(evidence, name) for name in FORESTS}
    site = SiteData(evidence)
    trials = site.trials()
    answers = {name: _answer_table(evidence, name) for name in questions()}
    documents = site.documents()
    pages = [
        Page(
            "index.html",
            "index.html",
            {
                "title": "ember3kg: oral estrogen-receptor-degrader trials as a knowledge graph",
                "trials": {acronym: site.facts(acronym) for acronym in trials},
                "stats": compute_stats(data),
                "documents": documents,
                "results": site.results,
                "dumps": [name for name in dumps if not name.endswith(DESCRIPTION_SUFFIX)],
                "void": next(name for name in dumps if name.endswith(DESCRIPTION_SUFFIX)),
                "forests": forests,
                "questions": questions(),
            },
        ),
        *(_trial_page(site, acronym, forests) for acronym in trials),
        *_result_pages(site, _listed_by(answers), forests),
        *_document_pages(site),
        Page("documents.html", "documents.html", {"title": "Source documents", "documents": documents}),
    ]
    for name, selection in forests.items():
        svg = forest_svg(selection)
        write(f"forest-{name}.svg", svg)
        write(f"forest-{name}.png", forest_png(selection))
        pages.append(
            Page(
                f"forest-{name}.html",
                "forest.html",
                {"title": selection.spec.title, "name": name, "selection": selection, "svg": _inline_svg(svg)},
            )
        )
    pages.append(Page("questions/index.html", "questions.html", {"title": "Example queries", "questions": questions()}))
    pages += [
        Page(
            f"questions/{name}.html",
            "question.html",
            {"title": question.description, "question": question, "answer": answers[name]},
        )
        for name, question in questions().items()
    ]
    pages.append(Page("shapes.html", "shapes.html", {"title": "SHACL rules", "shapes": _shape_rules(load_shapes())}))

    linked = _linked_nodes(pages)
    paths = frozenset(linked.values())
    timepoint_units = site.timepoint_units()
    environment = _environment()
    for page in pages:
        depth = page.path.count("/")
        context = {"root": "../" * depth, "forest_specs": FORESTS, "trial_list": list(trials), "linked": linked}
        context["not_stated"] = NOT_STATED
        context["paths"] = paths
        context["timepoint_units"] = timepoint_units
        context["comparators"] = reporting.COMPARATORS
        write(page.path, environment.get_template(page.template).render({**context, **page.context}).encode("utf-8"))
    ontology, reused = _ontology_page(evidence.dataset, previous_ontology)
    write("ontology.html", ontology)
    write("style.css", files("ember3kg.evidence").joinpath(TEMPLATES, "style.css").read_bytes())
    return written, reused


def _linked_nodes(pages: Sequence[Page]) -> Mapping[str, str]:
    """CURIE -> page path, for every node with a page (question answers link their cells to them)."""
    return MappingProxyType(
        {str(page.context["curie"]): page.path for page in pages if page.template in ("result.html", "document.html")}
    )
