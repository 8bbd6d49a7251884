"""Build the static evidence site: every number on it is the answer of a competency question.

``build_site(DIR)`` writes a self-contained site (plain HTML and CSS, no script, no
network needed to view it):

- ``index.html``: what the graph holds, how to query and load it, links to the dumps
  (``data/``, written by :func:`ember3kg.export.build`) and their VoID description;
- ``trials/<trial>.html``: design, arms, populations and every result with its source;
- ``forest-<name>.html`` with ``forest-<name>.svg`` and ``.png``: the cross-trial forest
  plots of :data:`ember3kg.evidence.FORESTS`, with the pooled estimates and which results
  were pooled and why;
- ``questions/index.html`` and ``questions/<name>.html``: each question, its SPARQL and
  its answer as ``ember3kg query`` prints it (numbers in canonical form: ``0.9`` for ``0.90``);
- ``ontology.html`` (pyLODE) and ``shapes.html`` (the SHACL rules as a list).

The trial pages, forest plots and pooled estimates show numbers in their lexical form,
as the sources print them (see :mod:`ember3kg.evidence`). Pages are
rendered from the Jinja2 templates in ``ember3kg/templates``; the same dataset gives
the same bytes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from rdflib import RDF, RDFS, SH, Dataset, Graph
from rdflib.compare import to_canonical_graph

from ember3kg.errors import OutputError
from ember3kg.evidence import FORESTS, RESULTS_QUESTION, Evidence, Row, Selection, forest_selection, text
from ember3kg.export import DESCRIPTION_SUFFIX, build
from ember3kg.inputs import RdfInput
from ember3kg.namespaces import GRAPH
from ember3kg.plots import forest_png, forest_svg
from ember3kg.query import questions, render_term
from ember3kg.stats import compute_stats

#: Package folder of the templates and the stylesheet.
TEMPLATES = "templates"
#: Questions the trial pages are drawn from.
DESIGN_QUESTION = "trial-design"
ARMS_QUESTION = "arms-regimens-and-sizes"
POPULATIONS_QUESTION = "populations-by-trial"
DOCUMENTS_QUESTION = "source-documents-by-kind"
#: The part (named graph) documented on the ontology page.
ONTOLOGY_PART = "ontology"
#: What the ontology page shows for a nested class expression that pyLODE cannot render.
_ANONYMOUS_CLASS = '<span title="a nested class expression; see ontology/ember3kg.ttl">anonymous class</span>'


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
    """

    root: Path
    pages: tuple[str, ...]
    files: tuple[str, ...]
    seconds: float

    @property
    def index(self) -> Path:
        """The start page."""
        return self.root / "index.html"


def slug(name: str) -> str:
    """Make a file name from a trial acronym or question name: ``EMBER-3`` -> ``ember-3``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "page"


def _environment():  # -> jinja2.Environment
    """Make the Jinja2 environment over the packaged templates, with HTML autoescaping."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("ember3kg", TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["text"] = text
    environment.filters["slug"] = slug
    return environment


# --- Page contents ---------------------------------------------------------------


def _trials(evidence: Evidence) -> dict[str, str]:
    """Trial acronym -> trial label, for every trial with populations or results, sorted by acronym."""
    found = {text(row["trial"]): text(row["trialLabel"]) for row in evidence.rows(POPULATIONS_QUESTION)}
    for row in evidence.rows(RESULTS_QUESTION):
        found.setdefault(text(row["trial"]), text(row["trial"]))
    return dict(sorted(found.items()))


def _matching(rows: Iterable[Row], variable: str, value: str) -> list[Row]:
    """Keep the rows whose ``variable`` reads ``value``."""
    return [row for row in rows if text(row[variable]) == value]


def _trial_page(evidence: Evidence, acronym: str, label: str, forests: Mapping[str, Selection]) -> Page:
    """Make the page of one trial."""
    in_forests = [
        (selection, row) for selection in forests.values() for row in selection.rows if row["trial"] == acronym
    ]
    return Page(
        f"trials/{slug(acronym)}.html",
        "trial.html",
        {
            "title": f"{acronym}: design and results",
            "acronym": acronym,
            "label": label,
            "design": _matching(evidence.rows(DESIGN_QUESTION), "trial", label),
            "arms": _matching(evidence.rows(ARMS_QUESTION), "trial", label),
            "populations": _matching(evidence.rows(POPULATIONS_QUESTION), "trial", acronym),
            "results": _matching(evidence.rows(RESULTS_QUESTION), "trial", acronym),
            "documents": _matching(evidence.rows(DOCUMENTS_QUESTION), "trial", acronym),
            "in_forests": in_forests,
        },
    )


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


def _ontology_html(dataset: Dataset) -> str:
    """Document the ontology with pyLODE (OntPub profile); list members in a fixed order.

    pyLODE 3 collects the members of an ``owl:unionOf``/``owl:intersectionOf`` in a
    ``set`` of HTML elements, so their order changes from run to run; its ``intersperse``
    helper is given a sorted list instead while the page is made.
    """
    import logging
    from unittest import mock

    from pylode import OntPub, utils

    ontology = Graph()
    ontology += dataset.graph(GRAPH[ONTOLOGY_PART])
    original = utils.intersperse

    def sorted_intersperse(items, separator):
        return original(sorted(items, key=lambda item: item.render()), separator)

    pylode_logger = logging.getLogger()
    level = pylode_logger.level
    pylode_logger.setLevel(logging.WARNING)  # pyLODE logs its progress at INFO on the root logger
    try:
        with mock.patch.object(utils, "intersperse", sorted_intersperse):
            page = OntPub(ontology, sort_subjects=True).make_html()
    finally:
        pylode_logger.setLevel(level)
    # pyLODE links a nested class expression (a restriction on an intersection) to its blank
    # node's label, a page that does not exist: show it as text instead.
    return re.sub(rf'<a href="({ONTOLOGY_PART}-b\d+)">\1</a>', _ANONYMOUS_CLASS, page)


# --- Writing ---------------------------------------------------------------------


def _inline_svg(svg: bytes) -> str:
    """Cut the ``<svg>`` element out of an SVG document, to put inline in a page."""
    document = svg.decode("utf-8")
    return document[document.index("<svg") :]


def build_site(output_dir: str | Path, data: RdfInput) -> SiteBuild:
    """Write the evidence site into ``output_dir``.

    :param output_dir: the folder; created if missing, files in it are overwritten.
    :param data: what to show, e.g. the packaged dataset.
    :returns: what was written and how long it took.
    :raises OutputError: the folder or a file cannot be written.

    Example:
        >>> build_site("build/site", RdfInput.packaged()).index  # doctest: +SKIP
        PosixPath('build/site/index.html')
    """
    from ember3kg.validate import load_shapes

    started = time.perf_counter()
    root = Path(output_dir)
    evidence = Evidence(data)
    written: list[str] = []

    def write(path: str, data: bytes) -> None:
        target = root / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror or exc}") from None
        written.append(path)

    dumps = [path.name for path in build(root / "data", data)]
    written += [f"data/{name}" for name in dumps]
    forests = {name: forest_selection(evidence, name) for name in FORESTS}
    trials = _trials(evidence)
    stats = compute_stats(data)
    pages = [
        Page(
            "index.html",
            "index.html",
            {
                "title": "ember3kg: oral estrogen-receptor-degrader trials as a knowledge graph",
                "trials": trials,
                "stats": stats,
                "documents": evidence.rows(DOCUMENTS_QUESTION),
                "dumps": [name for name in dumps if not name.endswith(DESCRIPTION_SUFFIX)],
                "void": next(name for name in dumps if name.endswith(DESCRIPTION_SUFFIX)),
                "forests": forests,
                "questions": questions(),
            },
        ),
        *(_trial_page(evidence, acronym, label, forests) for acronym, label in trials.items()),
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
    pages.append(
        Page("questions/index.html", "questions.html", {"title": "Competency questions", "questions": questions()})
    )
    pages += [
        Page(
            f"questions/{name}.html",
            "question.html",
            {"title": question.description, "question": question, "answer": _answer_table(evidence, name)},
        )
        for name, question in questions().items()
    ]
    pages.append(Page("shapes.html", "shapes.html", {"title": "SHACL rules", "shapes": _shape_rules(load_shapes())}))

    environment = _environment()
    for page in pages:
        depth = page.path.count("/")
        context = {"root": "../" * depth, "forest_specs": FORESTS, **page.context}
        write(page.path, environment.get_template(page.template).render(context).encode("utf-8"))
    write("ontology.html", _ontology_html(evidence.dataset).encode("utf-8"))
    write("style.css", files("ember3kg").joinpath(TEMPLATES, "style.css").read_bytes())
    html_pages = tuple(path for path in written if path.endswith(".html"))
    return SiteBuild(root, html_pages, tuple(written), time.perf_counter() - started)
