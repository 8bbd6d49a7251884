"""The rules engine of ``ember3kg reason`` gives HermiT's report, with HermiT on the ontology alone.

HermiT on ontology and data (:func:`ember3kg.reasoning.reason.reason`) is the reference: the rules
engine (:func:`ember3kg.reasoning.realise.realise`) must report the same memberships, subclass
links, unsatisfiable classes and number of individuals, on the packaged dataset and on
synthetic trials of the benchmark generator.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DATA, packaged_reasoning, synthetic_trials, with_fixture
from ember3kg.cli import main
from ember3kg.errors import InconsistentError, InputError
from ember3kg.io.inputs import RdfInput
from ember3kg.reasoning import realise as realise_module
from ember3kg.reasoning.realise import REASONERS, RULES_FROM_TRIPLES, realise, reason_with
from ember3kg.reasoning.reason import ReasoningReport, reason

pytestmark = pytest.mark.java

REASON_DATA = DATA / "reason"
#: Inconsistent fixtures whose culprits the quality checks name (the others need HermiT's proof).
FOUND_BY_CHECKS = ("arm-with-mechanism", "drug-typed-as-arm")


def _same_report(rules: ReasoningReport, hermit: ReasoningReport) -> None:
    assert rules.memberships == hermit.memberships
    assert rules.subclass_links == hermit.subclass_links
    assert rules.unsatisfiable == hermit.unsatisfiable
    assert rules.individuals == hermit.individuals


def test_rules_give_hermits_report_on_the_packaged_dataset() -> None:
    rules = realise(RdfInput.packaged())

    assert len(rules.memberships) > 0
    _same_report(rules, packaged_reasoning())


@pytest.mark.slow
def test_rules_give_hermits_report_on_synthetic_trials(tmp_path: Path) -> None:
    generator = synthetic_trials()
    path = tmp_path / "trials.nt"
    generator.write(path, trials=3)
    data = RdfInput.read([path])

    rules = realise(data)

    packaged = len(realise(RdfInput.packaged()).memberships)
    assert len(rules.memberships) > packaged  # each copy's ESR1-mutated populations are classified too
    _same_report(rules, reason(data))


def test_rules_report_an_unsatisfiable_class() -> None:
    rules = realise(with_fixture(REASON_DATA / "unsatisfiable.ttl"))

    assert [str(cls) for cls in rules.unsatisfiable] == ["https://w3id.org/ember3kg/ontology#DrugArm"]


@pytest.mark.parametrize("name", FOUND_BY_CHECKS)
def test_rules_name_the_culprits_of_an_inconsistency(name: str) -> None:
    path = REASON_DATA / "inconsistent" / f"{name}.ttl"
    expected = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert expected

    with pytest.raises(InconsistentError) as caught:
        realise(with_fixture(path))

    assert set(expected.group(1).split()) <= set(re.findall(r"\b(?:ekg|kg):[\w-]+", str(caught.value)))


def test_a_definition_the_rules_cannot_evaluate_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        realise(with_fixture(REASON_DATA / "rules" / "union-definition.ttl"))

    assert str(caught.value) == (
        "the definition of ekg:EndocrineAgent uses a form the rules engine does not evaluate "
        "(intersections, someValuesFrom and hasValue only): use the hermit engine"
    )


@pytest.mark.parametrize(("threshold", "chosen"), [(RULES_FROM_TRIPLES, "hermit"), (1, "rules")])
def test_auto_chooses_the_engine_by_size(threshold: int, chosen: str, monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr(realise_module, "RULES_FROM_TRIPLES", threshold)
    monkeypatch.setattr(
        realise_module, "REASONERS", {name: lambda data, name=name: called.append(name) for name in REASONERS}
    )

    reason_with(RdfInput.packaged(), "auto")

    assert called == [chosen]


def test_cli_reason_with_the_rules_engine_prints_hermits_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["reason", "--engine", "rules"])

    assert code == 0
    assert capsys.readouterr().out == packaged_reasoning().format_text() + "\n"
