"""Serialise the dataset in every RDF format of :data:`FORMATS`, deterministically.

Quad formats (TriG, N-Quads) keep one named graph per part; the other formats hold
the union of all parts. Every format gives the same bytes on every run and keeps
every literal as it is (see :mod:`ember3kg.serializers`). No file carries a timestamp.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Dataset

from ember3kg.dataset import load_dataset, sorted_dataset, union_graph
from ember3kg.errors import InputError, OutputError
from ember3kg.formats import FORMATS, RdfFormat
from ember3kg.outputs import staged_files, write_atomic
from ember3kg.void import write_description

__all__ = ["DESCRIPTION_SUFFIX", "FORMATS", "OUTPUT_STEM", "build", "serialize", "write_dataset"]

#: File name stem of the files written by :func:`build`.
OUTPUT_STEM = "ember3kg"
#: Suffix of the VoID/DCAT description written by :func:`build` after the dumps it describes.
DESCRIPTION_SUFFIX = ".void.ttl"


def _format(name: str) -> RdfFormat:
    """Look up a format by name.

    :raises InputError: no such format.
    """
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(f"unknown format {name!r}; formats: {', '.join(FORMATS)}") from None


def serialize(dataset: Dataset, format_name: str) -> bytes:
    """Serialise ``dataset`` in one format.

    :param dataset: the dataset to write.
    :param format_name: a key of :data:`FORMATS`.
    :returns: the UTF-8 encoded document.
    :raises InputError: unknown format.

    Example:
        >>> serialize(load_dataset(), "nt").startswith(b"<")
        True
    """
    spec = _format(format_name)
    graph = sorted_dataset(dataset) if spec.quads else union_graph(dataset)
    data = graph.serialize(format=spec.serializer, encoding="utf-8", **spec.options)
    return spec.normalise(data)


def write_dataset(format_name: str, dest: str | Path, dataset: Dataset | None = None) -> int:
    """Write the dataset to a file or to standard output.

    :param format_name: a key of :data:`FORMATS`.
    :param dest: a file path, or ``-`` for standard output.
    :param dataset: what to write; the packaged dataset by default.
    :returns: the number of bytes written.
    :raises InputError: unknown format, or the packaged data does not load.
    :raises OutputError: ``dest`` cannot be written.

    Example:
        >>> write_dataset("ttl", "ember3kg.ttl")  # doctest: +SKIP
    """
    data = serialize(load_dataset() if dataset is None else dataset, format_name)
    if str(dest) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(dest, data)
    return len(data)


def build(output_dir: str | Path, dataset: Dataset | None = None) -> list[Path]:
    """Write the dataset in every format of :data:`FORMATS` into ``output_dir``, then describe them.

    Files are named ``ember3kg<suffix>`` (``ember3kg.ttl``, ``ember3kg.nq``, ...); the
    last one, ``ember3kg.void.ttl``, is the VoID/DCAT description of the dataset and of
    those files (see :mod:`ember3kg.void`).
    The directory is created if needed. The build is all or nothing
    (:func:`ember3kg.outputs.staged_files`): interrupted or failed, it leaves the
    previous build as it was; a second build into the same directory at the same
    time fails at once.

    :param output_dir: the directory to write into.
    :param dataset: what to write; the packaged dataset by default.
    :returns: the files written, in :data:`FORMATS` order, then the description.
    :raises OutputError: the directory cannot be created, a file cannot be written, or another
        process is writing into the directory.

    Example:
        >>> build("build")  # doctest: +SKIP
        [PosixPath('build/ember3kg.ttl'), PosixPath('build/ember3kg.nt'), ...]
    """
    directory = Path(output_dir)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot create directory: {exc.strerror or exc}") from None
    dataset = load_dataset() if dataset is None else dataset
    names = [f"{OUTPUT_STEM}{spec.suffix}" for spec in FORMATS.values()]
    with staged_files(directory) as staging:
        for spec, name in zip(FORMATS.values(), names, strict=True):
            write_dataset(spec.name, staging / name, dataset)
        write_description(staging / f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}", dataset, [staging / name for name in names])
    return [directory / name for name in [*names, f"{OUTPUT_STEM}{DESCRIPTION_SUFFIX}"]]
