"""The ``ember3kg`` command line: parses options and calls one library function per command.

Errors are reported in one place, :func:`main`: an :class:`~ember3kg.errors.Ember3kgError`
or a usage error prints ``error: <message>`` on one line to standard error and exits
with the error's code (:data:`~ember3kg.errors.EXIT_CODES`), without a traceback.
Every command that reads RDF gets the same input options (:func:`_rdf_input`).
"""

from __future__ import annotations

import functools
import json
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

import click
from rdflib.term import Node

from ember3kg import __version__
from ember3kg.checks.qc import run_qc
from ember3kg.checks.validate import ENGINES as VALIDATION_ENGINES
from ember3kg.checks.validate import REPORT_FORMATS, validate
from ember3kg.ctgov import GRAPH_IRI as CTGOV_GRAPH
from ember3kg.ctgov import import_records
from ember3kg.errors import EXIT_CODES, Ember3kgError, InputError, SkippedInputError
from ember3kg.evidence.cross_trial import (
    COMBINATIONS,
    FORESTS,
    POOL_FORMATS,
    REPORTS,
    SOURCE_ROLES,
    SUBGROUPS,
    Choice,
    Evidence,
    forest_selection,
)
from ember3kg.evidence.plots import write_forest
from ember3kg.evidence.site import build_site
from ember3kg.io.formats import FORMAT_ALIASES, format_for_path
from ember3kg.io.inputs import RdfInput
from ember3kg.links.mappings import format_table, load_mapping_set, run_mappings
from ember3kg.links.release_check import TERM_READERS, check_links
from ember3kg.publish.export import EXPORTERS, FORMATS, build, write_dataset
from ember3kg.publish.stats import compute_stats
from ember3kg.query import (
    DEFAULT_ENGINE,
    DEFAULT_TIMEOUT,
    ENGINES,
    Question,
    find_question,
    format_answer,
    list_questions,
    parse_param,
    project_prefixes,
    run_questions,
)
from ember3kg.query import FORMATS as ANSWER_FORMATS
from ember3kg.reasoning.entailment import derived_input, with_entailment
from ember3kg.reasoning.realise import REASONERS, RULES_FROM_TRIPLES, reason_with
from ember3kg.reasoning.reason import write_inferred
from ember3kg.stores.push import push
from ember3kg.stores.serve import DEFAULT_PORT, DEFAULT_QUERY_TIMEOUT, serve
from ember3kg.stores.sparql_client import PASSWORD_VARIABLE, Connection, Credentials

_Command = Callable[..., Any]


class _Names(click.Choice):
    """A choice among names, matched whatever the case, that also takes an RDF format's other names (``turtle``).

    The vocabularies of the options (formats, engines, populations) are the project's own
    words, so ``CSV`` and ``csv`` mean the same; the aliases come from one registry,
    :data:`ember3kg.io.formats.FORMAT_ALIASES`.
    """

    def __init__(self, names: Iterable[str]):
        super().__init__(list(names), case_sensitive=False)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Resolve an alias to its format's name where that name is a choice, then match as click does."""
        alias = FORMAT_ALIASES.get(str(value).lower())
        return super().convert(alias if alias in self.choices else value, param, ctx)


def _rdf_input(*, positional: bool = True, endpoint: bool = False) -> Callable[[_Command], _Command]:
    """Give a command the common input options, resolved once into its ``data`` argument (an :class:`RdfInput`).

    The input is the packaged dataset, or the RDF files given (``-`` reads standard input,
    whose format --input-format names), or, for a command that only asks questions, a
    SPARQL endpoint. Files are FILE arguments, or ``--data FILE`` options for a command
    whose arguments say something else (``query NAME``, ``push URL``).
    """

    def decorate(command: _Command) -> _Command:
        @functools.wraps(command)
        def resolved(*args: Any, files: tuple[str, ...], input_format: str | None, **kwargs: Any) -> Any:
            url = kwargs.pop("endpoint_url", None)
            return command(*args, data=_resolve_input(files, input_format, url), **kwargs)

        file_type = click.Path(allow_dash=True)
        options = [
            click.argument("files", nargs=-1, type=file_type, metavar="[FILE]...")
            if positional
            else click.option(
                "--data", "files", multiple=True, type=file_type, metavar="FILE", help="RDF file to use (repeatable)."
            ),
            click.option(
                "--input-format",
                type=_Names(list(FORMATS)),
                help="RDF format of every input file, instead of its suffix; needed for - (standard input).",
            ),
        ]
        if endpoint:
            options.append(
                click.option("--endpoint", "endpoint_url", metavar="URL", help="SPARQL 1.1 endpoint to ask instead.")
            )
        for option in options:
            resolved = option(resolved)
        return resolved

    return decorate


def _resolve_input(files: tuple[str, ...], input_format: str | None, endpoint: str | None) -> RdfInput:
    """Turn the input options into one input: a remote endpoint, the files given, or the packaged dataset."""
    if endpoint is not None:
        if files:
            raise click.UsageError("give RDF files or --endpoint, not both")
        return RdfInput.remote(endpoint)
    if files:
        return RdfInput.read(
            files, input_format=input_format, notice=lambda line: click.echo(f"warning: {line}", err=True)
        )
    if input_format is not None:
        raise click.UsageError("--input-format names the format of input files; give a FILE or -")
    return RdfInput.packaged()


def _exit_code_table() -> str:
    """Write :data:`~ember3kg.errors.EXIT_CODES` as the end of ``ember3kg --help``."""
    rows = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
    return f"\b\nExit codes:\n{rows}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=_exit_code_table())
@click.version_option(__version__, "-V", "--version", prog_name="ember3kg")
def cli() -> None:
    """Build, check, query, reason over and publish the EMBER-3 knowledge graph.

    \b
    Example:
        ember3kg build --output-dir build/
        ember3kg validate
        ember3kg query median-pfs-by-arm-and-population
        ember3kg reason --output inferred.ttl
        ember3kg push http://127.0.0.1:7878/store
        ember3kg site --output-dir build/site
    """


def _output_dir_option(default: str, help_text: str) -> Callable[[Any], Any]:
    """Give the ``--output-dir``/``-o`` option of a command that writes a directory."""
    return click.option(
        "--output-dir",
        "-o",
        default=default,
        show_default=True,
        type=click.Path(path_type=Path, file_okay=False),
        help=help_text,
    )


def _format_option(formats: Iterable[str], default: str, help_text: str) -> Callable[[Any], Any]:
    """Give the ``--format``/``-f`` option of a command that writes one of ``formats``."""
    return click.option(
        "--format",
        "-f",
        "format_name",
        type=_Names(list(formats)),
        default=default,
        show_default=True,
        help=help_text,
    )


def _engine_option(engines: Iterable[str], help_text: str) -> Callable[[Any], Any]:
    """Give the ``--engine`` option of a command that runs on one of ``engines``, or picks one (``auto``)."""
    return click.option("--engine", type=_Names(["auto", *engines]), default="auto", show_default=True, help=help_text)


def _entailment_option(default: bool) -> Callable[[Any], Any]:
    """Give the ``--entailment`` option of a command that writes the dataset, on or off by default."""
    return click.option(
        "--entailment/--no-entailment",
        default=default,
        show_default=True,
        help="Add the entailed class memberships and links (RDFS closure and HermiT's classifications)"
        " as the named graph .../graph/entailment (in the triple formats, merged with the rest); the"
        " competency questions rely on it, so a store loaded with the files answers them as after push.",
    )


@cli.command("build")
@_output_dir_option("build", "Directory to write into; created if missing.")
@click.option(
    "--inferred", is_flag=True, help="Include what the HermiT reasoner infers, as the named graph .../graph/inferred."
)
@_entailment_option(default=True)
@_rdf_input()
def build_command(output_dir: Path, inferred: bool, entailment: bool, data: RdfInput) -> None:
    """Write the dataset in every RDF format.

    Writes one file ember3kg.<suffix> per format (ttl, nt, nq, trig, jsonld, rdf), then
    ember3kg.void.ttl, the VoID/DCAT description of the dataset and of those files
    (counts, checksums), and prints their paths. Building twice gives byte-identical files.
    The files hold the entailment graph unless --no-entailment, so that a store bulk-loaded
    with them answers every competency question as one filled by `ember3kg push`.

    \b
    Example:
        ember3kg build --output-dir build/
        ember3kg build --inferred --output-dir build/
        ember3kg build --no-entailment --output-dir asserted-only/
    """
    for path in build(output_dir, derived_input(data, inferred=inferred, entailment=entailment)):
        click.echo(path)


_OUTPUT_FILE = click.option(
    "--output", "-o", default="-", show_default=True, help="File to write, or - for standard output."
)


@cli.command("export")
@_format_option(
    EXPORTERS,
    "ttl",
    f"RDF format; {' and '.join(name for name, spec in FORMATS.items() if spec.quads)} keep one named graph"
    " per part, the other RDF formats hold the union of the parts; fhir writes the results as a FHIR R5 Bundle.",
)
@_OUTPUT_FILE
@click.option(
    "--inferred",
    is_flag=True,
    help="Add what the HermiT reasoner infers (drug classes, ...) as the named graph .../graph/inferred.",
)
@_entailment_option(default=False)
@_rdf_input()
def export_command(format_name: str, output: str, inferred: bool, entailment: bool, data: RdfInput) -> None:
    """Write the dataset, or the given RDF files, in one RDF format or as FHIR.

    Without FILEs, writes the packaged dataset. The format of each FILE is taken
    from its suffix (.ttl, .nt, .nq, .trig, .jsonld, .rdf, ...). --format fhir writes
    one FHIR R5 Bundle: an Evidence per statistical result, with the Citation, Group
    and EvidenceVariable resources it references (see docs/fhir.md).

    \b
    Example:
        ember3kg export --format nt --output ember3kg.nt
        ember3kg export --format trig --output -
        ember3kg export --format ttl --output merged.ttl a.nt b.jsonld
        ember3kg export --inferred --format trig --output materialised.trig
        ember3kg export --entailment --format nq --output with-entailment.nq
        ember3kg export --format fhir --output ember3kg.fhir.json
    """
    write_dataset(format_name, output, derived_input(data, inferred=inferred, entailment=entailment))


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@_rdf_input()
def stats_command(as_json: bool, data: RdfInput) -> None:
    """Count triples, classes, properties, individuals and results.

    Counts triples per part (per file, for FILEs), and results by kind: their most
    specific class under ekg:StatisticalResult. Without FILEs, counts the packaged
    dataset.

    \b
    Example:
        ember3kg stats
        ember3kg stats --json
    """
    stats = compute_stats(data)
    click.echo(json.dumps(stats.as_dict(), indent=2) if as_json else stats.format_text(), nl=as_json)


@cli.command("push")
@click.argument("url", required=False)
@click.option("--update-endpoint", metavar="URL", help="Push through this SPARQL Update endpoint instead of URL.")
@click.option("--query-endpoint", metavar="URL", help="Verify the counts here; derived from the upload URL if known.")
@click.option("--no-verify", is_flag=True, help="Do not check the triple counts after the upload.")
@click.option("--inferred", is_flag=True, help="Also push what the HermiT reasoner infers, as .../graph/inferred.")
@click.option(
    "--entailment/--no-entailment",
    default=True,
    show_default=True,
    help="Also push the entailed class memberships and links (.../graph/entailment), which the questions"
    " rely on when asked through --endpoint.",
)
@click.option("--graph-prefix", metavar="IRI", help="Replace https://w3id.org/ember3kg/graph/ in the graph names.")
@click.option("--user", help=f"HTTP user (Digest or Basic, as asked); the password is read from ${PASSWORD_VARIABLE}.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--retries", type=click.IntRange(0, 10), default=3, show_default=True, help="Retries of a failed request."
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Triples per INSERT operation (one request per graph).",
)
@_rdf_input(positional=False)
def push_command(
    url: str | None,
    update_endpoint: str | None,
    query_endpoint: str | None,
    no_verify: bool,
    inferred: bool,
    entailment: bool,
    graph_prefix: str | None,
    user: str | None,
    timeout: float,
    retries: int,
    batch_size: int,
    data: RdfInput,
) -> None:
    """Replace every named graph of the dataset on a SPARQL server, then check the counts.

    URL is a SPARQL 1.1 Graph Store Protocol endpoint; each graph is sent with one
    PUT, so pushing twice leaves one copy. Progress goes to standard error.

    \b
    Example:
        ember3kg push http://127.0.0.1:7878/store
        EMBER3KG_PASSWORD=... ember3kg push http://localhost:3030/ds/data --user admin
        ember3kg push --update-endpoint http://localhost:3030/ds/update
    """
    if (url is None) == (update_endpoint is None):
        raise click.UsageError("give either URL or --update-endpoint, not both or neither")
    result = push(
        derived_input(data, inferred=inferred, entailment=entailment).dataset(),
        url,
        update_endpoint=update_endpoint,
        query_endpoint=query_endpoint,
        verify=not no_verify,
        graph_prefix=graph_prefix,
        connection=Connection(Credentials.from_environment(user, os.environ), timeout, retries),
        batch_size=batch_size,
        progress=lambda line: click.echo(line, err=True),
    )
    checked = f", verified at {result.verified_with}" if result.verified_with else ", not verified"
    click.echo(f"pushed {result.triples} triples in {len(result.counts)} graphs in {result.seconds:.2f} s{checked}")


@cli.command("serve")
@click.option(
    "--port",
    "-p",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port on 127.0.0.1.",
)
@click.option(
    "--location",
    "-l",
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory of a persistent store; in memory if not given.",
)
@click.option("--no-inferred", is_flag=True, help="Leave out the graph of inferred triples (skips the reasoner).")
@click.option(
    "--writable",
    is_flag=True,
    help="Accept SPARQL updates and Graph Store writes. Unsafe on a shared machine or with a browser open:"
    " any local user or web page can then change or empty the store.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=DEFAULT_QUERY_TIMEOUT,
    show_default=True,
    help="Seconds a query may run on the server before it is stopped.",
)
@_rdf_input()
def serve_command(
    port: int, location: Path | None, no_inferred: bool, writable: bool, timeout: float, data: RdfInput
) -> None:
    """Serve the dataset, read-only, from a local Oxigraph SPARQL server until Ctrl-C.

    Loads every named graph, the inferred triples (when Java is there for the
    reasoner) and the VoID description, then prints the query, update and Graph
    Store URLs and the address of the query editor. Updates are refused unless
    --writable is given; the server stops with this command, however it ends.

    \b
    Example:
        ember3kg serve --port 7878
        ember3kg serve --location ember3kg-store/ --timeout 60
    """
    serve(
        port,
        location,
        data=data,
        inferred=not no_inferred,
        writable=writable,
        timeout=timeout,
        announce=click.echo,
    )


def _parsed_params(context: click.Context, option: click.Parameter, texts: tuple[str, ...]) -> dict[str, Node]:
    """Type each ``--param NAME=VALUE``; click names the option in the error."""
    try:
        return dict(parse_param(text) for text in texts)
    except InputError as exc:
        raise click.BadParameter(str(exc), context, option) from None


@cli.command("validate")
@_format_option(REPORT_FORMATS, "text", "Report format: a table per shape, or the SHACL report as Turtle or JSON.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on violations.")
@_engine_option(
    VALIDATION_ENGINES,
    "SHACL engine: pyshacl (the reference), jena (Debian's libapache-jena-java, set up on first use), or auto:"
    " Jena on large data where it is installed, else pySHACL with a notice.",
)
@_rdf_input()
def validate_command(format_name: str, strict: bool, engine: str, data: RdfInput) -> None:
    """Check the packaged dataset, or the union of the given RDF FILEs, against the SHACL shapes.

    FILE formats are taken from their suffixes; the packaged ontology gives the class
    hierarchy. Exits 0 when the data conforms, 1 on a violation (or a warning with
    --strict), 2 when a file is missing or does not parse.

    \b
    Example:
        ember3kg validate
        ember3kg validate --format json build/ember3kg.ttl
        ember3kg validate --strict edited.nt
        ember3kg validate --engine jena big.nt
    """
    report = validate(data, engine=engine, notice=lambda line: click.echo(line, err=True))
    click.echo(REPORT_FORMATS[format_name](report), nl=False)
    report.raise_for_failure(strict=strict)


@cli.group("import")
def import_group() -> None:
    """Import trial results from other sources into the model.

    \b
    Example:
        ember3kg import ctgov NCT02552212.json --output ctgov.ttl
    """


@import_group.command(
    "ctgov",
    epilog=f"Exit codes: 0 every record imported; {SkippedInputError.exit_code} a document or part of a record was"
    f" skipped (each named on standard error, the rest written); {InputError.exit_code} the output cannot be written.",
)
@click.argument("sources", nargs=-1, required=True, type=click.Path(allow_dash=True), metavar="FILE|DIR|-...")
@_OUTPUT_FILE
@_format_option(
    FORMATS,
    "ttl",
    f"RDF format; {' and '.join(name for name, spec in FORMATS.items() if spec.quads)} put the records in"
    f" the named graph {CTGOV_GRAPH}.",
)
def import_ctgov_command(sources: tuple[str, ...], output: str, format_name: str) -> None:
    """Import ClinicalTrials.gov study records (API v2 JSON) with their results and the JSON Pointer of each number.

    FILE holds one study record or a JSON array of them; DIR stands for its *.json files;
    - reads one document from standard input. Records are read and written one at a time.
    A document that is not a version 2 record with results (a version 1 response, a stub,
    a protocol-only record, malformed JSON), and a part of a record that cannot be read,
    is skipped with one line `error: FILE: POINTER: ...`; notes (a group matching no arm,
    a param type outside the mapping table, a comparison without direction) are
    `warning: ...` lines. The output is accepted as FILE or --data by every command
    (see docs/ctgov.md).

    \b
    Example:
        ember3kg import ctgov NCT02552212.json NCT02210780.json --output ctgov.ttl
        ember3kg import ctgov records/ --format trig --output ctgov.trig
        curl -s https://clinicaltrials.gov/api/v2/studies/NCT02552212 | ember3kg import ctgov - -o ctgov.ttl
        ember3kg validate build/ember3kg.nq ctgov.ttl
    """
    report = import_records(
        sources,
        output,
        format_name,
        problem=lambda item: click.echo(f"error: {item}", err=True),
        note=lambda line: click.echo(f"warning: {line}", err=True),
    )
    click.echo(f"imported {len(report.records)} record(s), {report.triples} triples", err=True)
    report.raise_for_skipped()


@cli.command("mappings")
@click.option("--sssom", type=click.Path(path_type=Path), help="SSSOM file to check instead of the packaged one.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Write the SKOS links as Turtle to this file.")
@click.option("--imports", type=click.Path(path_type=Path), help="Write the term imports (external labels) as Turtle.")
def mappings_command(sssom: Path | None, output: Path | None, imports: Path | None) -> None:
    """Validate the SSSOM mappings (sssom-py and CURIE patterns), write them as RDF, print a table.

    \b
    Example:
        ember3kg mappings
        ember3kg mappings --output mappings.ttl
        ember3kg mappings --imports ontology/imports/external-terms.ttl
    """
    click.echo(format_table(run_mappings(sssom, output, imports)), nl=False)


@cli.command("link")
@click.option(
    "--ontology",
    "ontology_file",
    required=True,
    type=click.Path(path_type=Path),
    help=f"Local copy of an external ontology or vocabulary ({', '.join(TERM_READERS)}).",
)
@click.option("--prefix", "prefixes", multiple=True, help="Check only mappings to this prefix (repeatable).")
@click.option("--sssom", type=click.Path(path_type=Path), help="SSSOM file to check instead of the packaged one.")
def link_command(ontology_file: Path, prefixes: tuple[str, ...], sssom: Path | None) -> None:
    """Check that mapped terms exist in a local ontology file, are not obsolete and keep their label.

    Exits 1 if a link is broken (missing, obsolete or relabelled term).

    \b
    Example:
        ember3kg link --ontology chebi.obo
        ember3kg link --ontology Thesaurus.owl --prefix NCIT
    """
    report = check_links(load_mapping_set(sssom), ontology_file, prefixes)
    click.echo(report.format_text(), nl=False)
    report.raise_for_broken()


@cli.command("query", epilog=f"Prefixes declared for every query: {', '.join(project_prefixes())}.")
@click.argument("names", nargs=-1, metavar="[NAME|FILE|-]...")
@click.option("--sparql", "sparql_text", help="Run this SPARQL text instead of questions or files.")
@_format_option(
    ANSWER_FORMATS,
    "table",
    "Output format: table (for reading), or the W3C SPARQL results formats json, xml, csv, tsv; "
    "a CONSTRUCT answer in any RDF syntax (table: ttl; json: jsonld; csv, tsv: nt).",
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parsed_params,
    help="Bind ?NAME; repeatable.",
)
@click.option(
    "--engine",
    "-e",
    type=_Names(list(ENGINES)),
    default=None,
    help=f"Query engine [default: {DEFAULT_ENGINE}, or endpoint when --endpoint is given].",
)
@click.option(
    "--graph-prefix",
    metavar="IRI",
    help="With --endpoint: the --graph-prefix the dataset was pushed with [default: https://w3id.org/ember3kg/graph/].",
)
@click.option(
    "--no-entailment",
    is_flag=True,
    help="Leave out the entailed class memberships and links (.../graph/entailment); embedded engines only.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds before the query is stopped, on every engine (Ctrl-C stops it at once).",
)
@_rdf_input(positional=False, endpoint=True)
def query_command(
    names: tuple[str, ...],
    sparql_text: str | None,
    format_name: str,
    params: dict[str, Node],
    engine: str | None,
    graph_prefix: str | None,
    timeout: float,
    no_entailment: bool,
    data: RdfInput,
) -> None:
    """Answer competency questions (NAME, see `ember3kg questions`), query FILEs, - (standard input) or --sparql TEXT.

    Every query may use the project's prefixes (listed below) without declaring them.
    VALUEs of --param are typed terms: <IRI>, CURIEs with the project's prefixes
    (kg:ember3, CHEBI:31638), numbers, true/false, or text.
    The embedded engines include the entailment graph (every result is also a member of
    the superclasses of its class, drugs of the classes HermiT infers); an endpoint answers
    from what it holds (push writes the entailment graph unless --no-entailment).
    Several questions are answered in one run, each table under a line `== NAME`
    (tables only: the other formats hold one answer per document).

    \b
    Example:
        ember3kg query median-pfs-by-arm-and-population
        ember3kg query trial-design pfs-hazard-ratios
        ember3kg query provenance-of-result --param result=kg:ember3-result-pfs-hr-all
        ember3kg query --sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --engine rdflib
        echo 'SELECT ?d WHERE { ?d a ekg:SelectiveEstrogenReceptorDegrader }' | ember3kg query -
        ember3kg query trial-design --endpoint http://127.0.0.1:7878/query --format json
    """
    if bool(names) == (sparql_text is not None):
        raise click.UsageError(
            "give either a question NAME or FILE (or several), - for standard input, or --sparql TEXT"
        )
    if len(names) > 1 and format_name != "table":
        raise click.UsageError(f"several questions are printed as tables only, not --format {format_name}")
    if data.endpoint and engine not in (None, "endpoint"):
        raise click.UsageError(f"--endpoint needs the endpoint engine, not --engine {engine}")
    if data.endpoint and no_entailment:
        raise click.UsageError("--no-entailment is for the embedded engines; an endpoint answers from what it holds")
    if not data.endpoint and not no_entailment:
        data = with_entailment(data)
    chosen = [_asked(name) for name in names] or [Question("sparql", sparql_text or "", "--sparql")]
    answers = run_questions(
        chosen,
        data,
        engine=engine or ("endpoint" if data.endpoint else DEFAULT_ENGINE),
        params=params,
        graph_prefix=graph_prefix,
        timeout=timeout,
    )
    for question, answer in zip(chosen, answers, strict=True):
        if len(chosen) > 1:
            click.echo(f"== {question.name}")
        click.echo(format_answer(answer, format_name), nl=False)


def _asked(name: str) -> Question:
    """Find the question a NAME, FILE or ``-`` (standard input) names."""
    if name == "-":
        with click.open_file("-") as stream:
            return Question("stdin", stream.read(), "<stdin>")
    return find_question(name)


@cli.command("questions")
def questions_command() -> None:
    """List the competency questions with their one-line descriptions and parameters.

    \b
    Example:
        ember3kg questions
    """
    for summary in list_questions():
        click.echo(f"{summary.name}\n    {summary.description}")
        for name, text in summary.params.items():
            click.echo(f"    --param {name}=...: {text}")


@cli.command("reason")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Write the inferred triples to this file, in the RDF format of its suffix.",
)
@_engine_option(
    REASONERS,
    "hermit: HermiT on ontology and data; rules: HermiT on the ontology, the individuals realised by the "
    f"class definitions (same answers, for large data; docs/reasoning.md); auto: rules from {RULES_FROM_TRIPLES:,} "
    "triples on.",
)
@_rdf_input()
def reason_command(output: Path | None, engine: str, data: RdfInput) -> None:
    """Classify ontology and data with the HermiT OWL reasoner (needs Java).

    Prints whether the input is consistent, its unsatisfiable classes, and the class
    memberships and subclass links HermiT infers that are not asserted. Reasons over the
    packaged dataset, or over the union of the given RDF FILEs (ontology included).
    Exits 1 when the input is inconsistent, naming the nodes involved; 2 without Java.

    \b
    Example:
        ember3kg reason
        ember3kg reason --output inferred.ttl
        ember3kg reason --engine rules big.nt
    """
    if output is not None:
        format_for_path(output)  # an unknown suffix fails before the reasoner runs
    report = reason_with(data, engine)
    click.echo(report.format_text())
    if output is not None:
        write_inferred(report, output)


@cli.command("qc")
@_rdf_input()
def qc_command(data: RdfInput) -> None:
    """Run the quality checks of queries/qc/ over ontology and data and print a report table.

    Checks: labels, definitions, duplicate labels, ontology metadata, undeclared terms,
    untyped nodes, dangling links, deprecated terms in use, disjoint types. Checks the
    packaged dataset, or the union of the given RDF FILEs. Exits 1 on an error-level finding.

    \b
    Example:
        ember3kg qc
        ember3kg qc ontology.ttl data.ttl
    """
    report = run_qc(data)
    click.echo(report.format_text())
    report.raise_for_errors()


_POPULATION = click.option(
    "--population",
    "-p",
    type=_Names(list(FORESTS)),
    default="esr1m",
    show_default=True,
    help="Which population kind: " + "; ".join(f"{name}: {spec.population}" for name, spec in FORESTS.items()) + ".",
)


@cli.command("site")
@_output_dir_option("build/site", "Directory to write the site into; created if missing.")
@_rdf_input()
def site_command(output_dir: Path, data: RdfInput) -> None:
    """Write the static evidence site: trials, forest plots, pooled estimates, questions, ontology, shapes.

    Plain HTML and CSS, viewable without a network or JavaScript; every number is the
    answer of a competency question. Prints the path of the start page.

    \b
    Example:
        ember3kg site --output-dir build/site
    """
    built = build_site(output_dir, data)
    click.echo(f"{built.index}")
    click.echo(f"{len(built.pages)} pages, {len(built.files)} files in {built.seconds:.1f} s", err=True)


@cli.group("plot")
def plot_group() -> None:
    """Draw plots from the graph.

    \b
    Example:
        ember3kg plot forest --population esr1m --output esr1m-forest
    """


def _selection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that choose what a pool holds (``ember3kg pool`` and ``plot forest``)."""
    options = (
        click.option("--trial", "trials", multiple=True, help="Pool only this trial (acronym); repeatable."),
        click.option("--exclude-trial", "exclude_trials", multiple=True, help="Leave this trial out; repeatable."),
        click.option(
            "--line",
            default="pretreated",
            show_default=True,
            help="pretreated (leave out trials whose only stated line is first line), any, or a line's label "
            "('second line').",
        ),
        click.option("--combination", type=click.Choice(COMBINATIONS), default="monotherapy", show_default=True,
                     help="Which experimental arms: monotherapy only, combination only, or any."),
        click.option("--assessor", default="any", show_default=True,
                     help="any, or an assessor's label ('investigator assessment', ...)."),
        click.option("--source-role", type=click.Choice(SOURCE_ROLES), default="any", show_default=True,
                     help="any (numbers known only from a secondary source are pooled and marked) or primary only."),
        click.option("--report", type=click.Choice(list(REPORTS)), default="primary", show_default=True,
                     help="Which report of a trial: " + "; ".join(f"{k}: {text}" for k, text in REPORTS.items()) + "."),
        click.option("--subgroup", type=click.Choice(list(SUBGROUPS)), default=None,
                     help="Pool each subgroup of this attribute and test the subgroup differences."),
    )  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


def _choice(options: Mapping[str, Any]) -> Choice:
    """Build the pool's choice from the selection options."""
    return Choice(
        trials=tuple(options["trials"]),
        exclude_trials=tuple(options["exclude_trials"]),
        line=options["line"],
        combination=options["combination"],
        assessor=options["assessor"],
        source_role=options["source_role"],
        report=options["report"],
    )


@plot_group.command("forest")
@_POPULATION
@_selection_options
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Path without suffix; writes OUTPUT.svg and OUTPUT.png [default: forest-POPULATION].",
)
@_rdf_input()
def forest_command(population: str, output: Path | None, data: RdfInput, subgroup: str | None, **options: Any) -> None:
    """Write a cross-trial forest plot of PFS hazard ratios, with the pooled estimates, as SVG and PNG.

    One row per pooled hazard ratio (the others listed under the plot with the reason),
    squares sized by weight, the pooled diamonds of every model, the prediction interval,
    heterogeneity and the test of the overall effect. Exits 2 when fewer than two trials qualify.

    \b
    Example:
        ember3kg plot forest --population all --output all-patients
        ember3kg plot forest --population esr1m --subgroup assessor
    """
    selection = forest_selection(Evidence(data), population, _choice(options), subgroup=subgroup or "")
    selection.require_pool()
    for path in write_forest(selection, output or Path(f"forest-{population}")):
        click.echo(path)


@cli.command("pool")
@_POPULATION
@_selection_options
@click.option("--leave-one-out", is_flag=True, help="Also pool without each trial in turn.")
@_format_option(POOL_FORMATS, "table", "Output format (csv: yi, sei, flags and comparability, for metafor and RevMan).")
@_rdf_input()
def pool_command(
    population: str, format_name: str, data: RdfInput, leave_one_out: bool, subgroup: str | None, **options: Any
) -> None:
    """Pool the PFS hazard ratios of the trials: fixed effect, DerSimonian-Laird, REML, Hartung-Knapp.

    Prints the rule, every input with its comparability (population, line, combination,
    assessor, source, report), what was not pooled and why, warnings, each model's pooled
    estimate with its 95% interval, test and prediction interval, Q, I-squared and tau-squared.
    An input that cannot be pooled (a ratio of 0, an estimate outside its interval, ...) is
    left out with its reason and a warning. Exits 2 when fewer than two trials qualify.

    \b
    Example:
        ember3kg pool --population all
        ember3kg pool --population esr1m --source-role primary --leave-one-out
        ember3kg pool --population all --line any --combination any --subgroup line
        ember3kg pool --population esr1m --format csv > esr1m.csv
    """
    selection = forest_selection(
        Evidence(data), population, _choice(options), leave_one_out=leave_one_out, subgroup=subgroup or ""
    )
    output = POOL_FORMATS[format_name](selection)
    selection.require_pool()
    click.echo(output, nl=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and turn every reported error into one line and an exit code.

    SIGTERM is handled like Ctrl-C, so that an interrupted command cleans up (a
    staged build, a query's worker process) and leaves no half-written output.

    :param argv: arguments without the program name; ``sys.argv[1:]`` by default.
    :returns: the process exit code.
    """
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        try:
            result = cli.main(args=argv, prog_name="ember3kg", standalone_mode=False)
        except Ember3kgError as exc:
            return _fail(str(exc), exc.exit_code)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # the help text, not an error line
            return exc.exit_code
        except click.ClickException as exc:
            return _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            return _fail("aborted", 1)
        except BrokenPipeError:
            # The reader of standard output went away (e.g. `| head`): stop quietly.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        return result if isinstance(result, int) else 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(number: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into the exception Ctrl-C raises."""
    raise KeyboardInterrupt


def _fail(message: str, exit_code: int) -> int:
    """Print ``error: <message>`` as one line to standard error and return ``exit_code``."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    return exit_code
