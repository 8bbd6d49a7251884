"""The benchmark's synthetic trials are valid ember3kg data, the same on every run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from rdflib import Graph, URIRef

from ember3kg.inputs import RdfInput
from ember3kg.namespaces import EKG, KG
from ember3kg.validate import validate

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "synthetic_trials.py"


def _generator():
    spec = importlib.util.spec_from_file_location("synthetic_trials", GENERATOR)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_two_synthetic_trials_validate_and_are_written_the_same_twice(tmp_path: Path) -> None:
    generator = _generator()
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    trials, triples = generator.write(first, trials=2)
    generator.write(second, trials=2)
    graph = Graph().parse(first, format="nt")
    report = validate(RdfInput.from_rdflib(graph), engine="pyshacl")
    packaged_warnings = len(validate(RdfInput.packaged(), engine="pyshacl").results)

    assert first.read_bytes() == second.read_bytes()
    assert (trials, triples) == (2, len(graph))
    assert report.conforms
    # Each copy repeats EMBER-3's results known only from a secondary source: the same warnings, three times.
    assert {result.severity for result in report.results} == {"Warning"}
    assert len(report.results) == 3 * packaged_warnings


def test_a_copy_renames_the_trial_and_keeps_shared_drugs(tmp_path: Path) -> None:
    path = tmp_path / "one.nt"
    _generator().write(path, trials=1)
    graph = Graph().parse(path, format="nt")
    trial = URIRef(f"{KG}synthetic00001-ember3")
    arms = set(graph.objects(trial, EKG.hasArm))

    assert len(arms) == 3
    assert all(str(arm).startswith(f"{KG}synthetic00001-ember3-arm-") for arm in arms)
    assert (trial, EKG.registryIdentifier, None) not in graph
    regimens = {graph.value(arm, EKG.receivesRegimen) for arm in arms}
    drugs = {drug for regimen in regimens for drug in graph.objects(regimen, EKG.hasComponent)}
    assert URIRef(f"{KG}drug-imlunestrant") in drugs
