"""The evidence site: pages, links, numbers, determinism, and rendering in headless Chromium.

Every page renders with its title, every internal link resolves, every number equals the
answer of its question, and two builds give the same bytes.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from conftest import CLI, site_fixture_input
from ember3kg.entailment import with_entailment
from ember3kg.evidence import FORESTS, RESULTS_QUESTION, Evidence, forest_selection
from ember3kg.inputs import RdfInput
from ember3kg.pooling import MODELS
from ember3kg.query import questions, render_term, run_question
from ember3kg.site import SiteBuild, build_site, slug

# With pytest -n N --dist loadgroup, one worker runs the module: its module fixtures are made once.
pytestmark = pytest.mark.xdist_group("site")

#: The golden answer of the ESR1m hazard-ratio question: the trials the forest plot pools.
EXPECTED_ESR1M = Path(__file__).parent / "expected" / "esr1m-pfs-hazard-ratios-across-trials.csv"
CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
#: Pages every site has, whatever its trials (trial pages come on top).
FIXED_PAGES = [
    "index.html",
    "ontology.html",
    "shapes.html",
    "questions/index.html",
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
        (render_term(row["result"]), var): render_term(row[var])
        for row in evidence.rows(RESULTS_QUESTION)
        for var in ("value", "ciLower", "ciUpper", "pComparator", "pValue", "patients")
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
        (row[columns.index("result")], var): row[columns.index(var)]
        for row in answer.table()
        for var in ("value", "ciLower", "ciUpper", "pComparator", "pValue", "patients")
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
            ("hazardRatio", row["hazardRatio"]),
            ("ciLower", row["ciLower"]),
            ("ciUpper", row["ciUpper"]),
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


@pytest.mark.browser
def test_every_page_renders_with_its_title_and_no_console_message(site: SiteBuild, browser: Any) -> None:
    problems = {}
    for page in site.pages:
        browser.get((site.root / page).as_uri())
        # The browser log holds console messages and failed loads (a missing stylesheet, image, ...).
        messages = [entry["message"] for entry in browser.get_log("browser")]
        if messages or not browser.title.strip():
            problems[page] = messages or "no title"
    assert problems == {}


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
