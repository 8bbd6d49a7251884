"""Serialise the dataset in every RDF format of :data:`FORMATS`, or as FHIR, deterministically.

:data:`EXPORTERS` lists what ``export --format`` can write: every RDF format, plus
``fhir``, the results as a FHIR R5 Bundle of Evidence resources (:mod:`ember3kg.evidence.fhir`).
Quad formats (TriG, N-Quads) keep one named graph per part; the other formats hold
the union of all parts. Every format gives the same bytes on every run and keeps
every literal as it is (see :mod:`ember3kg.io.serializers`). No file carries a timestamp.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from types import MappingProxyType

from rdflib import Dataset

from ember3kg.errors import InputError
from ember3kg.evidence.fhir import serialize_bundle
from ember3kg.io.formats import FORMATS, RdfFormat
from ember3kg.io.inputs import RdfInput
from ember3kg.io.outputs import make_directory, staged_files, write_atomic
from ember3kg.publish.dataset import sorted_dataset
from ember3kg.publish.void import write_description

__all__ = ["DESCRIPTION_SUFFIX", "EXPORTERS", "FORMATS", "OUTPUT_STEM", "build", "serialize", "write_dataset"]

#: File name stem of the files written by :func:`build`.
OUTPUT_STEM = "ember3kg"
#: Suffix of the VoID/DCAT description written by :func:`build` after the dumps it describes.
DESCRIPTION_SUFFIX = ".void.ttl"


def _serialize_rdf(data: RdfInput, spec: RdfFormat) -> bytes:
    """Serialise ``data`` in one RDF format: graph by graph for a quad format, else their union.

    The line-based formats are written as sorted distinct lines straight from the input
    (:meth:`RdfInput.lines`), without an rdflib dataset; the others by rdflib's writers.
    """
    if spec.line_based:
        return "".join(sorted(set(data.lines(quads=spec.quads)))).encode()
    graph = sorted_dataset(data.dataset()) if spec.quads else data.union()
    return spec.normalise(graph.serialize(format=spec.serializer, encoding="utf-8", **spec.options))


#: Export format name -> writer of an input: the RDF formats of :data:`FORMATS`, then FHIR.
EXPORTERS: Mapping[str, Callable[[RdfInput], bytes]] = MappingProxyType(
    {
        **{name: partial(_serialize_rdf, spec=spec) for name, spec in FORMATS.items()},
        "fhir": lambda data: serialize_bundle(data.dataset()),
    }
)


def serialize(data: RdfInput | Dataset, format_name: str) -> bytes:
    """Serialise ``data`` in one export format.

    :param data: what to write: an input, or a dataset built in memory.
    :param format_name: a key of :data:`EXPORTERS`.
    :returns: the UTF-8 encoded document.
    :raises InputError: unknown format.
    :raises DataError: the FHIR bundle cannot be built or does not validate.

    Example:
        >>> serialize(RdfInput.packaged().dataset(), "nt").startswith(b"<")
        True
    """
    try:
        writer = EXPORTERS[format_name]
    except KeyError:
        raise InputError(f"unknown format {format_name!r}; formats: {', '.join(EXPORTERS)}") from None
    return writer(data if isinstance(data, RdfInput) else RdfInput.from_rdflib(data))


def write_dataset(format_name: str, dest: str | Path, data: RdfInput) -> int:
    """Write RDF to a file or to standard output.

    :param format_name: a key of :data:`EXPORTERS`.
    :param dest: a file path, or ``-`` for standard output.
    :param data: what to write.
    :returns: the number of bytes written.
    :raises InputError: unknown format.
    :raises OutputError: ``dest`` cannot be written.

    Example:
        >>> write_dataset("ttl", "ember3kg.ttl", RdfInput.packaged())  # doctest: +SKIP
    """
    serialised = serialize(data, format_name)
    if str(dest) == "-":
        sys.stdout.buffer.write(serialised)
        sys.stdout.buffer.flush()
    else:
        write_atomic(dest, serialised)
    return len(serialised)


def build(output_dir: str | Path, data: RdfInput) -> list[Path]:
    """Write the dataset in every format of :data:`FORMATS` into ``output_dir``, then describe them.

    Files are named ``ember3kg<suffix>`` (``ember3kg.ttl``, ``ember3kg.nq``, ...); the
    last one, ``ember3kg.void.ttl``, is the VoID/DCAT description of the dataset and of
    those files (see :mod:`ember3kg.publish.void`).
    The directory is created if needed. The build is all or nothing
    (:func:`ember3kg.io.outputs.staged_files`): interrupted or failed, it leaves the
    previous build as it was; a second build into the same directory at the same
    time fails at once.

    :param output_dir: the directory to write into.
    :param data: what to write, e.g. :meth:`RdfInput.packaged`.
    :returns: the files written, in :data:`FORMATS` order, then the description.
    :raises OutputError: the directory cannot be created, a file cannot be written, or another
        process is writing into the directory.

    Example:
        >>> build("build", RdfInput.packaged())  # doctest: +SKIP
        [PosixPath('build/ember3kg.ttl'), PosixPath('build/ember3kg.nt'), ...]
    """
    directory = make_directory(output_dir)
    names = [f"{OUTPUT_STEM}{spec.suffix}" for spec in FORMATS.values()]
    with staged_files(directory) as staging:
        for spec, name in zip(FORMATS.values(), names, strict=True):
            write_dataset(spec.name, staging / name, data)
        write_description(
            staging / f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}", data.dataset(), [staging / name for name in names]
        )
    return [directory / name for name in [*names, f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}"]]
