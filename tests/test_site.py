"""The evidence site: pages, links, numbers, safety, determinism, and rendering in headless Chromium.

Every page renders with its title, every internal link resolves, every page is reachable
from the start page, every number equals the answer of its question and is printed as in
the graph, hostile labels stay text, a failed build leaves the previous site as it was,
and two builds give the same bytes.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from markupsafe import escape
from rdflib import XSD, Literal, URIRef

import ember3kg.evidence.site
from conftest import CLI, DATA, site_fixture_input
from ember3kg.errors import OutputError
from ember3kg.evidence.cross_trial import FORESTS, RESULTS_QUESTION, Evidence, forest_selection
from ember3kg.evidence.pooling import MODELS
from ember3kg.evidence.reporting import percent_level
from ember3kg.evidence.site import NOT_STATED, SiteBuild, build_site, node_page, slug
from ember3kg.io.inputs import RdfInput
from ember3kg.publish.dataset import load_part
from ember3kg.query import questions, render_term, run_question
from ember3kg.reasoning.entailment import with_entailment
from ember3kg.vocab.namespaces import EKG, GRAPH

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("site")

#: The golden answer of the ESR1m hazard-ratio question: the trials the forest plot pools.
EXPECTED_ESR1M = Path(__file__).parent / "expected" / "esr1m-pfs-hazard-ratios-across-trials.csv"
HOSTILE = DATA / "site" / "hostile.ttl"
#: axe-core, installed from npm by `make axe` (pinned in the Makefile).
AXE = Path(__file__).parent.parent / "build" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
#: Pages every site has, whatever its trials (trial pages come on top).
FIXED_PAGES = [
    "index.html",
    "ontology.html",
    "shapes.html",
    "questions/index.html",
    "documents.html",
    *(f"forest-{name}.html" for name in FORESTS),
    *(f"questions/{name}.html" for name in questions()),
]


class _Page(HTMLParser):
    """Collects a page's title, links (href, src) and the text of elements with a ``data-var``."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.values: list[tuple[str, str, str]] = []  # (data-result of the row, data-var, text)
        self._in_title = False
        self._row = ""
        self._var: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self._in_title = tag == "title"
        self.links += [value for key, value in attrs if key in ("href", "src") and value]
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "tr":
            self._row = attributes.get("data-result") or attributes.get("data-trial") or ""
        if "data-var" in attributes:
            self._var, self._text = attributes["data-var"], ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self._var is not None and tag in ("span", "td", "dd"):
            self.values.append((self._row, self._var, self._text.strip()))
            self._var = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._var is not None:
            self._text += data


#: The variables of the results question that a trial page shows, each in a ``<span data-var>``.
SHOWN_VARIABLES = ("value", "ciLevel", "ciLower", "ciUpper", "pComparator", "pValue", "patients", "timepoint")


def _shown_form(var: str, answer: str) -> str:
    """How a page writes an answer's number: as printed, but a confidence level as a percentage (0.95 -> 95)."""
    return percent_level(answer) if var == "ciLevel" else answer


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    return page


@pytest.fixture(scope="module")
def packaged_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("site"), RdfInput.packaged())


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    return build_site(tmp_path_factory.mktemp("fixture-site"), site_fixture_input())


@pytest.fixture(scope="module", params=["packaged", "fixture"])
def site(request: pytest.FixtureRequest) -> SiteBuild:
    return request.getfixturevalue(f"{request.param}_site")


@pytest.mark.parametrize("page", FIXED_PAGES)
def test_page_exists_with_a_title(site: SiteBuild, page: str) -> None:
    assert page in site.pages
    assert _parse(site.root / page).title.strip()


def test_every_trial_has_a_page(fixture_site: SiteBuild) -> None:
    assert sorted(p for p in fixture_site.pages if p.startswith("trials/")) == [
        "trials/ember-3.html",
        "trials/emerald.html",
        "trials/veritac-2.html",
    ]


def test_every_internal_link_resolves(site: SiteBuild) -> None:
    broken = []
    for page in site.pages:
        parsed = _parse(site.root / page)
        for link in parsed.links:
            if urlsplit(link).scheme or link.startswith("//"):
                continue  # an external IRI: the ontology's terms, pyLODE's references
            target, fragment = urldefrag(link)
            path = (site.root / page).parent / unquote(target) if target else site.root / page
            if not path.resolve().is_file():
                broken.append(f"{page}: {link}")
            elif fragment and target.endswith(".html") and fragment not in _parse(path).ids:
                broken.append(f"{page}: {link} (no id {fragment})")
    assert broken == []


def test_site_loads_nothing_from_the_network(site: SiteBuild) -> None:
    own = [page for page in site.pages if page != "ontology.html"]  # pyLODE links to term IRIs, loads none
    loads = {link for page in own for link in _parse(site.root / page).links if urlsplit(link).scheme}
    assert loads == set()


def test_trial_page_numbers_equal_the_query_answer(fixture_site: SiteBuild) -> None:
    evidence = Evidence(site_fixture_input())
    expected = {
        (render_term(row["result"]), var): _shown_form(var, render_term(row[var]))
        for row in evidence.rows(RESULTS_QUESTION)
        for var in SHOWN_VARIABLES
        if row[var] is not None
    }
    shown = {
        (row, var): value
        for trial in ("ember-3", "emerald", "veritac-2")
        for row, var, value in _parse(fixture_site.root / f"trials/{trial}.html").values
        if row
    }
    assert shown == expected
    assert shown[("kg:fx-veritac2-pfs-hr-esr1m", "value")] == "0.570"  # printed precision kept


def test_packaged_trial_page_numbers_equal_ember3kg_query(packaged_site: SiteBuild) -> None:
    answer = run_question(questions()[RESULTS_QUESTION], with_entailment(RdfInput.packaged()))
    columns = answer.variables
    expected = {
        (row[columns.index("result")], var): _shown_form(var, row[columns.index(var)])
        for row in answer.table()
        for var in SHOWN_VARIABLES
        if row[columns.index(var)]
    }
    shown = {
        (row, var): value  # both print numbers as the sources do (0.90, not 0.9)
        for page in packaged_site.pages
        if page.startswith("trials/")
        for row, var, value in _parse(packaged_site.root / page).values
        if row
    }
    assert shown == expected


@pytest.mark.parametrize("name", FORESTS)
def test_forest_page_table_equals_the_question_answer(fixture_site: SiteBuild, name: str) -> None:
    selection = forest_selection(Evidence(site_fixture_input()), name)
    shown = [(row, var, value) for row, var, value in _parse(fixture_site.root / f"forest-{name}.html").values]
    expected = [
        (row["trial"], var, value)
        for row in selection.rows
        for var, value in (
            ("n", row.patients),
            ("hazardRatio", row.printed("hazardRatio")),
            *(
                (
                    ("ciLevel", percent_level(row["ciLevel"])),
                    ("ciLower", row.printed("ciLower")),
                    ("ciUpper", row.printed("ciUpper")),
                )
                if row.has_interval
                else ()
            ),
            *((("pComparator", row["pComparator"] or "="), ("pValue", row.printed("pValue"))) if row["pValue"] else ()),
        )
    ]
    assert shown == expected


def test_forest_page_names_what_was_pooled_and_why(fixture_site: SiteBuild) -> None:
    page = (fixture_site.root / "forest-all.html").read_text("utf-8")
    assert "0.81 (0.72\u20130.91)" in page  # the hand-checked pool, in the inline SVG
    assert "another report of the trial is pooled" in page
    assert "I&sup2; = 5.8%" in page
    assert "Rule of this pool:</strong> an oral ER degrader alone" in page


def test_packaged_forest_page_pools_one_result_per_trial(packaged_site: SiteBuild) -> None:
    page = (packaged_site.root / "forest-esr1m.html").read_text("utf-8")
    trials = {row["trial"] for row in csv.DictReader(io.StringIO(EXPECTED_ESR1M.read_text("utf-8")))}

    pooled = {row["trial"] for row in forest_selection(Evidence(RdfInput.packaged()), "esr1m").pooled}

    assert 'id="forest-pooled-fixed"' in page and 'id="forest-pooled-reml-hksj"' in page
    assert len(pooled) >= 2 and pooled <= trials
    assert page.count("<td>yes</td>") == len(pooled)


def test_two_builds_give_the_same_bytes(packaged_site: SiteBuild, tmp_path: Path) -> None:
    again = build_site(tmp_path, RdfInput.packaged())
    assert again.files == packaged_site.files
    differing = [f for f in again.files if (tmp_path / f).read_bytes() != (packaged_site.root / f).read_bytes()]
    assert differing == []


def test_index_links_every_dump_and_the_void_description(packaged_site: SiteBuild) -> None:
    links = set(_parse(packaged_site.index).links)
    dumps = {f for f in packaged_site.files if f.startswith("data/")}
    assert dumps <= links
    assert "data/ember3kg.void.ttl" in dumps


# --- In a real browser: Debian's chromium driven through its chromedriver --------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip("chromium or chromedriver is missing and could not be installed (make chromium installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1500"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass(frozen=True)
class PageVisit:
    """What Chromium showed of one page: its title, its console messages and failed loads, its broken images."""

    title: str
    messages: list[str]
    broken_images: list[str]


@pytest.fixture(scope="module")
def visits(site: SiteBuild, browser: Any) -> dict[str, PageVisit]:
    """Open every page of ``site`` once in Chromium (the page-by-page tests read these visits)."""
    browser.get_log("browser")  # what earlier tests left in the log (axe's requests)
    seen = {}
    for page in site.pages:
        browser.get((site.root / page).as_uri())
        seen[page] = PageVisit(
            title=browser.title,
            # The browser log holds console messages and failed loads (a missing stylesheet, image, ...).
            messages=[entry["message"] for entry in browser.get_log("browser")],
            broken_images=browser.execute_script(
                "return Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);"
            ),
        )
    return seen


@pytest.mark.browser
def test_every_page_renders_with_its_title_and_no_console_message(visits: dict[str, PageVisit]) -> None:
    problems = {
        page: visit.messages or "no title"
        for page, visit in visits.items()
        if visit.messages or not visit.title.strip()
    }

    assert problems == {}


@pytest.mark.browser
def test_every_page_shows_every_image(visits: dict[str, PageVisit]) -> None:
    assert {page: visit.broken_images for page, visit in visits.items() if visit.broken_images} == {}


def _axe_sample(site: SiteBuild) -> list[str]:
    """Every page but the repetitive ones: of the result, document and question pages, the first three of each.

    Pages of one template differ only in their text, and axe takes about a second a page.
    """
    kept, seen = [], defaultdict(int)
    for page in site.pages:
        kind = next(
            (k for k in ("id/n-", "id/", "questions/") if page.startswith(k) and page != "questions/index.html"), ""
        )
        seen[kind] += 1
        if not kind or seen[kind] <= 3:
            kept.append(page)
    return kept


@pytest.mark.browser
def test_pages_have_no_serious_accessibility_violation(site: SiteBuild, browser: Any) -> None:
    if not AXE.is_file():
        pytest.skip("axe-core is not installed (make axe installs it from npm)")
    script = AXE.read_text("utf-8")
    browser.set_script_timeout(60)
    found = {}
    for page in _axe_sample(site):
        browser.get((site.root / page).as_uri())
        browser.execute_script(script)
        report = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)));"
        )
        serious = [
            f"{violation['id']}: {violation['nodes'][0]['target']}"
            for violation in json.loads(report)
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            found[page] = serious
    assert found == {}


@pytest.mark.browser
def test_forest_page_screenshot_shows_the_plot(fixture_site: SiteBuild, browser: Any) -> None:
    browser.get((fixture_site.root / "forest-esr1m.html").as_uri())
    shot = fixture_site.root / "forest-esr1m-screenshot.png"
    assert browser.save_screenshot(str(shot))
    points = browser.find_elements("css selector", "svg g[id^='forest-point-']")
    diamonds = browser.find_elements("css selector", "svg g[id^='forest-pooled-']")
    assert [point.get_attribute("data-trial") for point in points] == ["EMBER-3", "EMERALD", "VERITAC-2"]
    assert [diamond.get_attribute("id") for diamond in diamonds] == [f"forest-pooled-{key}" for key in MODELS]
    assert all(element.is_displayed() for element in points + diamonds)


@pytest.mark.slow
def test_site_command_prints_the_start_page(tmp_path: Path) -> None:
    done = subprocess.run([CLI, "site", "--output-dir", tmp_path / "site"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "site" / "index.html")
    assert slug("EMBER-3") == "ember-3"


# --- What a clinician reads --------------------------------------------------------


#: Elements whose text a browser shows apart from what comes before.
_BLOCKS = frozenset({"p", "li", "dt", "dd", "td", "th", "tr", "div", "br", "h1", "h2", "h3", "section", "caption"})


def _visible_text(path: Path, *, skip_classes: frozenset[str] = frozenset()) -> str:
    """Give the text of a page's <main>, without <code>/<pre> and without elements of the given classes."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skipping: list[str] = []
            self.in_main = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "main":
                self.in_main = True
            if tag in _BLOCKS:
                self.parts.append(" ")
            classes = set((dict(attrs).get("class") or "").split())
            if self.skipping or tag in ("code", "pre") or classes & skip_classes:
                if tag not in ("br", "img", "meta", "link", "input"):
                    self.skipping.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag == "main":
                self.in_main = False
            if self.skipping and self.skipping[-1] == tag:
                self.skipping.pop()

        def handle_data(self, data: str) -> None:
            if self.in_main and not self.skipping:
                self.parts.append(data)

    parser = Text()
    parser.feed(path.read_text("utf-8"))
    return " ".join(html.unescape("".join(parser.parts)).split())


def test_every_trial_page_shows_registry_phase_and_arms(packaged_site: SiteBuild) -> None:
    """Registry number and arms on every page; the phase wherever the graph states it, else "not stated"."""
    site = ember3kg.evidence.site.SiteData(Evidence(RdfInput.packaged()))
    trials = [page for page in packaged_site.pages if page.startswith("trials/")]
    assert len(trials) == len(site.trials()) == 7
    for acronym in site.trials():
        page = f"trials/{slug(acronym)}.html"
        source = (packaged_site.root / page).read_text("utf-8")
        for aspect in ember3kg.evidence.site.DESIGN:
            shown = re.search(rf'<dd data-aspect="{aspect.key}">(.*?)</dd>', source)
            stated = site.facts(acronym).get(aspect.key, [])
            assert shown and (NOT_STATED in shown[1]) == (not stated), (page, aspect.key)
            assert aspect.key not in ("registry", "phase") or stated or acronym == "persevERA BC", (page, aspect.key)
        assert "<h2>Arms and dosing</h2>\n<table>" in source, page
        assert "no complete design" not in source


def test_veritac2_page_states_what_the_graph_holds(packaged_site: SiteBuild) -> None:
    text = _visible_text(packaged_site.root / "trials/veritac-2.html")
    assert "Registry number NCT05654623" in " ".join(text.split())
    assert "phase 3" in text
    assert "HR 0.83 (95% CI 0.69\u20131.01); P = 0.07" in text
    assert "3.6 months (95% CI 2.6\u20134.0)" in text
    assert "17.6%" in text


def test_key_results_box_shows_each_primary_comparison_with_its_source(packaged_site: SiteBuild) -> None:
    facts = ember3kg.evidence.site.SiteData(Evidence(RdfInput.packaged()))
    for acronym in facts.trials():
        comparisons = facts.facts(acronym).get("primaryComparison", [])
        source = (packaged_site.root / f"trials/{slug(acronym)}.html").read_text("utf-8")
        box = source[source.index('<section class="key-results"') : source.index("</section>")]
        for comparison in comparisons:
            assert f"<h3>{escape(comparison)}</h3>" in box, (acronym, comparison)
        assert box.count("Source: ") >= 1 or not comparisons, acronym


def test_numbers_read_as_reports_print_them(packaged_site: SiteBuild) -> None:
    # The question pages print answers as queried.
    own = ("trials/", "id/", "forest-", "index.html", "documents.html", "shapes.html")
    pages = [page for page in packaged_site.pages if page.startswith(own)]
    text = {page: _visible_text(packaged_site.root / page) for page in pages}
    assert [page for page, words in text.items() if "unitless" in words] == []
    assert [page for page, words in text.items() if re.search(r"\b0\.\d+: ", words)] == []  # no bare "0.95: 0.69-1.01"
    assert [
        page for page, words in text.items() if re.search(r"(?<![\d.])1 months|\b(?!1\b)\d+(\.\d+)? month\b", words)
    ] == []


def _graph_literals(data: RdfInput) -> tuple[set[str], list[str]]:
    """Give the lexical forms of the numbers and dates of a dataset, and its other literals that hold a digit."""
    numbers: set[str] = set()
    texts: set[str] = set()
    levels: set[str] = set()
    for _, _, value, _ in data.dataset().quads((None, None, None, None)):
        if not isinstance(value, Literal):
            continue
        if value.datatype in (XSD.decimal, XSD.integer, XSD.double, XSD.date, XSD.gYear):
            numbers.add(str(value))
        elif any(character.isdigit() for character in value):
            texts.add(str(value))
    for _, _, level, _ in data.dataset().quads((None, EKG.confidenceLevel, None, None)):
        levels.add(percent_level(str(level)))
    # Longest first, so that a label is removed before a shorter one it contains; a short one ("1:1")
    # would cut numbers apart, and its digits are numbers of the graph anyway.
    return numbers | levels | texts, sorted((t for t in texts if len(t) > 4), key=len, reverse=True)


def test_every_number_on_the_pages_is_printed_as_in_the_graph(packaged_site: SiteBuild) -> None:
    """Numbers on the trial, result, document and start pages: each a number of the graph, in its printed form.

    Counts (``class="count"``: how many results, triples) and reference numbers
    (``class="ref"``) are computed, not stated; labels are removed first (``EMBER-3``,
    ``CDK4/6``), and a confidence level is written as a percentage (0.95 -> 95).
    """
    known, labels = _graph_literals(RdfInput.packaged())
    pages = [
        p for p in packaged_site.pages if p.startswith(("trials/", "id/")) or p in ("index.html", "documents.html")
    ]
    strange = set()
    for page in pages:
        words = _visible_text(packaged_site.root / page, skip_classes=frozenset({"count", "ref", "iri"}))
        for label in labels:
            if label in words:
                words = words.replace(label, " ")
        for number in re.findall(r"(?<![\w.])(?:\d{4}-\d\d-\d\d|\d+(?:\.\d+)?)(?![\w.])", words):
            if number not in known:
                strange.add((page, number))
    assert strange == set()


def test_every_result_and_document_has_its_page(packaged_site: SiteBuild) -> None:
    site = ember3kg.evidence.site.SiteData(Evidence(RdfInput.packaged()))
    results = {node_page(row["result"]) for row in (*site.results, *site.site["result-provenance"])}
    documents = {node_page(row["documentIri"]) for row in site.site["documents"]}
    assert len(results) == 113  # every result of the graph (ember3kg stats)
    assert results | documents <= set(packaged_site.pages)
    assert node_page(ember3kg.evidence.site.KG["ember3-result-pfs-hr-all"]) == "id/ember3-result-pfs-hr-all.html"


def test_result_page_gives_its_provenance_chain(packaged_site: SiteBuild) -> None:
    page = packaged_site.root / "id/veritac2-result-pfs-hr-all.html"
    words = " ".join(_visible_text(page).split())
    assert "HR 0.83 (95% CI 0.69\u20131.01); P = 0.07" in words
    assert "VERITAC-2 NEJM abstract (Synapse copy): Results" in words
    links = _parse(page).links
    assert "../trials/veritac-2.html" in links
    assert "../questions/results-with-estimates-and-sources.html" in links
    assert "../id/veritac2-nejm-abstract.html" in links


def test_every_page_is_reachable_from_the_start_page(site: SiteBuild) -> None:
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        page = todo.pop()
        for link in _parse(site.root / page).links:
            target = urldefrag(link)[0]
            if not target or urlsplit(link).scheme or not target.endswith(".html"):
                continue
            path = ((site.root / page).parent / unquote(target)).resolve().relative_to(site.root.resolve()).as_posix()
            if path not in seen:
                seen.add(path)
                todo.append(path)
    assert set(site.pages) - seen == set()


def test_ontology_page_links_back_to_the_site(packaged_site: SiteBuild) -> None:
    assert "index.html" in _parse(packaged_site.root / "ontology.html").links


# --- Safe and whole ----------------------------------------------------------------


def _hostile_input() -> RdfInput:
    """Load the packaged ontology plus tests/data/site/hostile.ttl, with its hostile class in the ontology part too."""
    dataset = RdfInput.read([HOSTILE]).dataset()
    ontology = dataset.graph(GRAPH["ontology"])
    ontology += load_part("ontology")
    ontology += RdfInput.read([HOSTILE]).union().triples((URIRef("javascript:alert('class')"), None, None))
    return RdfInput.from_rdflib(dataset, str(HOSTILE))


class _Unsafe(HTMLParser):
    """Collects what would run in a browser: script elements, event-handler attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data_block = tag == "script" and dict(attrs).get("type") == "application/ld+json"  # pyLODE's, not run
        if tag in ("script", "iframe", "object", "embed") and not data_block:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}")
            url = re.sub(r"[\x00-\x20]", "", value or "").lower()
            icon = tag == "link" and url.startswith("data:image/png;")  # pyLODE's icons
            unsafe = url.startswith(("javascript:", "vbscript:", "data:")) and not icon
            if name in ("href", "src", "action", "xlink:href") and unsafe:
                self.found.append(f"{tag} {name}={value}")


def test_hostile_labels_and_iris_stay_text_on_every_page(tmp_path: Path) -> None:
    built = build_site(tmp_path / "site", _hostile_input())
    assert "trials/script-alert-acronym-script.html" in built.pages
    unsafe = {}
    for page in built.pages:
        parser = _Unsafe()
        parser.feed((built.root / page).read_text("utf-8"))
        if parser.found:
            unsafe[page] = parser.found
    assert unsafe == {}
    trial = (built.root / "trials/script-alert-acronym-script.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&#39;result&#39;)&lt;/script&gt;" in trial or "&lt;script&gt;alert(" in trial
    result_pages = [page for page in built.pages if page.startswith("id/n-")]
    assert result_pages  # the javascript: document got a page named by a digest, not by its IRI


@pytest.mark.slow
def test_site_of_the_exported_dataset_is_built(tmp_path: Path) -> None:
    exported = tmp_path / "export.ttl"
    done = subprocess.run([CLI, "export", "-f", "ttl", "-o", exported], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    built = build_site(tmp_path / "site", RdfInput.read([exported]))
    assert "ontology.html" in built.pages
    assert "pyLODE" in (built.root / "ontology.html").read_text("utf-8") or len(built.pages) > 100
    assert len([page for page in built.pages if page.startswith("trials/")]) == 7


def test_site_of_a_file_without_ontology_says_so(tmp_path: Path) -> None:
    built = build_site(tmp_path / "site", RdfInput.read([HOSTILE]))
    assert "declares no <code>owl:Ontology</code>" in (built.root / "ontology.html").read_text("utf-8")


def test_failure_mid_build_leaves_the_previous_site_byte_identical(
    packaged_site: SiteBuild, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "site"
    shutil.copytree(packaged_site.root, target)
    before = {path.relative_to(target): path.read_bytes() for path in target.rglob("*") if path.is_file()}

    def fail(*args: object) -> None:
        raise OutputError("injected failure")

    monkeypatch.setattr(ember3kg.evidence.site, "_shape_rules", fail)
    with pytest.raises(OutputError, match="injected failure"):
        build_site(target, RdfInput.packaged())
    after = {path.relative_to(target): path.read_bytes() for path in target.rglob("*") if path.is_file()}
    assert after == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]  # no staging folder left


def test_a_folder_that_is_not_a_site_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"holds files but no site \(no index.html\); not replaced"):
        build_site(tmp_path, RdfInput.packaged())
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_rebuild_reuses_the_ontology_page(packaged_site: SiteBuild, tmp_path: Path) -> None:
    target = tmp_path / "site"
    shutil.copytree(packaged_site.root, target)
    again = build_site(target, RdfInput.packaged())
    assert again.ontology_reused
    assert (target / "ontology.html").read_bytes() == (packaged_site.root / "ontology.html").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "@prefix : <http://x/#> .\n:a :b :c :d .\n",
            "bad.ttl:2: Parser error at line 2 between columns 10 and 12: A dot is expected at the end of statements",
        ),
        ("", None),
    ],
    ids=["syntax-error", "empty-file"],
)
def test_site_command_on_a_user_file_exits_0_or_with_one_line(
    tmp_path: Path, content: str, message: str | None
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(content)
    done = subprocess.run(
        [CLI, "site", bad, "--output-dir", tmp_path / "site"], capture_output=True, text=True, check=False
    )
    if message is None:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: ") and message in done.stderr
        assert not (tmp_path / "site").exists()
