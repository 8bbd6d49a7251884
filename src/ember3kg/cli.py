"""The ``ember3kg`` command line: parses options and calls one library function per command.

Errors are reported in one place, :func:`main`: an :class:`~ember3kg.errors.Ember3kgError`
or a usage error prints ``error: <message>`` on one line to standard error and exits
with the error's code (2 for input, output and usage errors), without a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from ember3kg import __version__
from ember3kg.dataset import load_dataset, load_files
from ember3kg.errors import Ember3kgError
from ember3kg.export import FORMATS, build, write_dataset
from ember3kg.stats import compute_stats

_FILES = click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar="[FILE]...")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ember3kg")
def cli() -> None:
    """Build, export and describe the EMBER-3 knowledge graph.

    \b
    Example:
        ember3kg build --output-dir build/
        ember3kg export --format nt --output ember3kg.nt
        ember3kg stats
    """


@cli.command("build")
@click.option(
    "--output-dir",
    "-o",
    default="build",
    show_default=True,
    type=click.Path(path_type=Path),
    help="Directory to write into; created if missing.",
)
def build_command(output_dir: Path) -> None:
    """Write the dataset in every RDF format.

    Writes one file ember3kg.<suffix> per format (ttl, nt, nq, trig, jsonld, rdf) and
    prints their paths. Building twice gives byte-identical files.

    \b
    Example:
        ember3kg build --output-dir build/
    """
    for path in build(output_dir):
        click.echo(path)


@cli.command("export")
@click.option(
    "--format",
    "-f",
    "format_name",
    type=click.Choice(list(FORMATS)),
    default="ttl",
    show_default=True,
    help=f"RDF format; {' and '.join(name for name, spec in FORMATS.items() if spec.quads)} keep one named graph"
    " per part, the others hold the union of the parts.",
)
@click.option("--output", "-o", default="-", show_default=True, help="File to write, or - for standard output.")
@_FILES
def export_command(format_name: str, output: str, files: tuple[Path, ...]) -> None:
    """Write the dataset, or the given RDF files, in one RDF format.

    Without FILEs, writes the packaged dataset. The format of each FILE is taken
    from its suffix (.ttl, .nt, .nq, .trig, .jsonld, .rdf, ...).

    \b
    Example:
        ember3kg export --format nt --output ember3kg.nt
        ember3kg export --format trig --output -
        ember3kg export --format ttl --output merged.ttl a.nt b.jsonld
    """
    write_dataset(format_name, output, load_files(files) if files else load_dataset())


@cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@_FILES
def stats_command(as_json: bool, files: tuple[Path, ...]) -> None:
    """Count triples, classes, properties, individuals and results.

    Counts triples per part (per file, for FILEs), and results by kind: their most
    specific class under ekg:StatisticalResult. Without FILEs, counts the packaged
    dataset.

    \b
    Example:
        ember3kg stats
        ember3kg stats --json
    """
    stats = compute_stats(load_files(files) if files else load_dataset())
    click.echo(json.dumps(stats.as_dict(), indent=2) if as_json else stats.format_text(), nl=as_json)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and turn every reported error into one line and an exit code.

    :param argv: arguments without the program name; ``sys.argv[1:]`` by default.
    :returns: the process exit code.
    """
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


def _fail(message: str, exit_code: int) -> int:
    """Print ``error: <message>`` as one line to standard error and return ``exit_code``."""
    click.echo(f"error: {' '.join(message.split())}", err=True)
    return exit_code
