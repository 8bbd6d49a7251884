"""The benchmark's synthetic trials: valid ember3kg data, the same on every run, as varied as the packaged trials."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from conftest import synthetic_trials
from ember3kg.checks.validate import validate
from ember3kg.io.inputs import RdfInput
from ember3kg.vocab.namespaces import EKG, KG

#: The curated trials, each a design the generator copies.
DESIGNS = ["acelera", "ameera3", "ember3", "emerald", "persevera", "serena6", "veritac2"]


def test_the_designs_are_the_seven_curated_trials() -> None:
    found = synthetic_trials().designs(synthetic_trials().packaged_sources())

    assert [design.trial for design in found] == [f"{KG}{name}" for name in DESIGNS]
    assert [design.acronym for design in found] == [
        "acelERA BC",
        "AMEERA-3",
        "EMBER-3",
        "EMERALD",
        "persevERA BC",
        "SERENA-6",
        "VERITAC-2",
    ]


def test_one_block_of_synthetic_trials_validates_and_is_written_the_same_twice(tmp_path: Path) -> None:
    generator = synthetic_trials()
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    trials, triples = generator.write(first, trials=7)
    generator.write(second, trials=7)
    graph = Graph().parse(first, format="nt")
    report = validate(RdfInput.from_rdflib(graph), engine="pyshacl")
    packaged_warnings = len(validate(RdfInput.packaged(), engine="pyshacl").results)

    assert first.read_bytes() == second.read_bytes()
    assert (trials, triples) == (7, len(graph))
    assert report.conforms
    # Seven copies are each design once: the results known only from a secondary source warn twice as often.
    assert {result.severity for result in report.results} == {"Warning"}
    assert len(report.results) == 2 * packaged_warnings
    synthetic = [str(trial) for trial in graph.subjects(EKG.acronym, None) if str(trial).startswith(f"{KG}synthetic")]
    assert sorted(trial.removeprefix(f"{KG}synthetic")[6:] for trial in synthetic) == DESIGNS


def test_the_census_of_one_block_covers_every_class_and_property_of_the_designs_in_their_proportions(
    tmp_path: Path,
) -> None:
    generator = synthetic_trials()
    path = tmp_path / "block.nt"
    generator.write(path, trials=7)
    packaged, designed, synthetic = generator.census(path, len(generator.packaged_triples()))
    own = generator.Census.of(
        (t.subject.value, t.predicate.value, t.object.value)
        for design in generator.designs(generator.packaged_sources())
        for t in design.triples
        if t.subject.value in design.own
    )

    assert set(designed.classes) <= set(packaged.classes)
    assert set(own.classes) == set(designed.classes) == set(synthetic.classes)
    assert set(own.properties) == set(synthetic.properties)
    # The nodes a copy renames are repeated exactly; triples about shared nodes only once, in the packaged part.
    assert synthetic.classes == designed.classes
    assert all(synthetic.properties[p] >= own.properties[p] for p in own.properties)
    table = generator.census_table(packaged, designed, synthetic)
    assert "| ekg:DrugGroup | 2 | 1 | 0.24 % | 1 | 0.24 % |" in table.splitlines()


def test_a_copy_renames_the_trial_and_keeps_shared_drugs(tmp_path: Path) -> None:
    path = tmp_path / "block.nt"
    synthetic_trials().write(path, trials=7)
    graph = Graph().parse(path, format="nt")
    (trial,) = (s for s in graph.subjects(EKG.acronym, None) if str(s).endswith("-ember3"))
    number = str(trial).removeprefix(f"{KG}synthetic")[:5]
    arms = set(graph.objects(trial, EKG.hasArm))

    assert len(arms) == 3
    assert all(str(arm).startswith(f"{KG}synthetic{number}-ember3-arm-") for arm in arms)
    assert {str(v) for v in graph.objects(trial, EKG.registryIdentifier)} == {f"SYNTHETIC-{number}"}
    assert {str(v) for v in graph.objects(trial, EKG.acronym)} == {f"SYNTHETIC-{number}"}
    regimens = {graph.value(arm, EKG.receivesRegimen) for arm in arms}
    drugs = {drug for regimen in regimens for drug in graph.objects(regimen, EKG.hasComponent)}
    assert URIRef(f"{KG}drug-imlunestrant") in drugs


def test_a_changed_number_has_its_new_printed_form(tmp_path: Path) -> None:
    path = tmp_path / "block.nt"
    synthetic_trials().write(path, trials=7)
    graph = Graph().parse(path, format="nt")
    synthetic = [s for s in graph.subjects(EKG.value, None) if str(s).startswith(f"{KG}synthetic")]
    printed = [(s, graph.value(s, EKG.printedValue)) for s in synthetic if graph.value(s, EKG.printedValue)]

    assert len(printed) > 100
    assert all(str(graph.value(s, EKG.value)) == str(form) for s, form in printed)
