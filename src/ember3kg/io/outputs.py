"""Write output files so that an interruption never leaves a broken or mixed result.

- :func:`write_atomic`: one file goes to a temporary file in the same directory, is
  flushed to disk (``fsync``) and renamed over the old one: a full disk, SIGTERM or
  SIGINT leaves the old file whole.
- :func:`staged_files`: several files (a build) are staged in a temporary folder
  inside the output directory, all of them written and flushed, then renamed into
  place with SIGINT, SIGTERM and SIGHUP held back until the last rename: the
  directory holds either the previous build or the new one, never a mixture.
- :func:`staged_folder`: a folder tree (the site) is written into a staging folder
  beside it (:func:`write_staged`), which replaces the old folder whole with two renames.
- :func:`directory_lock`: one writer at a time per output directory (``flock`` on
  the directory itself); a second one fails at once instead of mixing its files in.
- :func:`make_directory`: the output directory, created with its parents if missing.

Every file ember3kg writes goes through this module (``tests/test_atomic_writes.py`` checks
the package for writes elsewhere).

A file that is a symbolic link pointing outside its directory is never written
through (:func:`write_atomic` refuses it); a link inside the directory is followed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from ember3kg.errors import OutputError

#: Prefix of the staging folders :func:`write_together` makes inside the output directory.
STAGING_PREFIX = ".ember3kg-staging-"
#: Suffix of the temporary file :func:`write_atomic` writes before renaming it.
_PART_SUFFIX = ".part"
#: Signals held back while a staged build is swapped into place.
_DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def write_atomic(path: str | Path, data: bytes) -> Path:
    """Replace the file ``path`` by ``data`` in one step (temporary file, ``fsync``, rename).

    :returns: the file written (the link's target when ``path`` is a link inside its directory).
    :raises OutputError: ``path`` cannot be written, or is a link to outside its directory.
    """
    with atomic_stream(path) as stream:
        stream.write(data)
    return _checked_target(Path(path))


@contextlib.contextmanager
def atomic_stream(path: str | Path) -> Iterator[BinaryIO]:
    """Write the file ``path`` piece by piece, replacing it in one step when the block ends without an error.

    The block writes into a temporary file of the same directory, which is flushed to
    disk and renamed over ``path`` at the end; an error or interruption removes it and
    leaves ``path`` as it was.

    :raises OutputError: ``path`` cannot be written, or is a link to outside its directory.

    Example:
        >>> with atomic_stream("out.nt") as stream:  # doctest: +SKIP
        ...     stream.write(b"...")
    """
    target = _checked_target(Path(path))
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=_PART_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as exc:  # interrupted too: leave no temporary file behind
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    _fsync_directory(target.parent)


@contextlib.contextmanager
def staged_files(directory: str | Path) -> Iterator[Path]:
    """Write several files into ``directory`` all or nothing: the block writes them into a staging folder.

    Holds :func:`directory_lock` on ``directory`` for the whole block. When the block
    ends without an error, every file of the staging folder is flushed to disk and
    renamed into ``directory``, with SIGINT, SIGTERM and SIGHUP held back until the
    last rename; when it fails, nothing in ``directory`` has changed.

    :param directory: the output directory; it must exist.
    :raises OutputError: another process writes into ``directory``, or a file cannot be written.

    Example:
        >>> with staged_files("build") as staging:  # doctest: +SKIP
        ...     (staging / "a.ttl").write_bytes(data)
    """
    directory = Path(directory)
    with directory_lock(directory):
        remove_stale_staging(directory)
        try:
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=directory))
        except OSError as exc:
            raise OutputError(f"{directory}: cannot write: {exc.strerror or exc}") from None
        try:
            yield staging
            names = sorted(path.name for path in staging.iterdir() if not path.name.endswith(_PART_SUFFIX))
            targets = {name: _checked_target(directory / name) for name in names}
            for name in names:
                _fsync_file(staging / name)
            with _signals_held():
                for name in names:
                    os.replace(staging / name, targets[name])
                _fsync_directory(directory)
        except OSError as exc:
            raise OutputError(f"{directory}: cannot write: {exc.strerror or exc}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(root: str | Path) -> Iterator[Path]:
    """Replace the folder ``root`` as a whole by what the block writes into the staging folder it is given.

    The staging folder is made beside ``root`` (its parents are created if missing) and
    renamed into place when the block ends without an error; on any failure it is
    removed and ``root`` is left as it was. Staging folders of a killed build are removed first.

    :raises OutputError: the folder cannot be written, or a rename fails (the old folder is put back).

    Example:
        >>> with staged_folder("build/site") as staging:  # doctest: +SKIP
        ...     write_staged(staging / "index.html", page)
    """
    root = Path(root).absolute()
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        for stale in root.parent.glob(f".{root.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.staging-", dir=root.parent))
    except OSError as exc:
        raise OutputError(f"{root}: cannot write: {exc.strerror or exc}") from None
    try:
        yield staging
        _swap_in(staging, root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_staged(path: Path, data: bytes) -> None:
    """Write one file inside a :func:`staged_folder`, creating its folders.

    No reader sees the staging folder before it is swapped in whole, so the file is
    written directly: the swap is what makes it atomic.

    :raises OutputError: the file cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _swap_in(staging: Path, root: Path) -> None:
    """Replace ``root`` by ``staging`` with two renames; the old folder is removed afterwards.

    :raises OutputError: a rename fails (the old folder is put back).
    """
    old = root.with_name(f".{root.name}.old-{os.getpid()}")
    try:
        if root.exists():
            os.replace(root, old)
        try:
            os.replace(staging, root)
        except OSError:
            if old.exists():
                os.replace(old, root)
            raise
    except OSError as exc:
        raise OutputError(f"{root}: cannot write: {exc.strerror or exc}") from None
    shutil.rmtree(old, ignore_errors=True)


def make_directory(directory: str | Path) -> Path:
    """Create the output directory ``directory`` and its parents if missing; return it.

    :raises OutputError: it cannot be created (e.g. a file is in the way).
    """
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{directory}: cannot create directory: {exc.strerror or exc}") from None
    return directory


def remove_stale_staging(directory: str | Path) -> None:
    """Remove staging folders a killed build (SIGKILL, power loss) left in ``directory``; call under the lock."""
    for stale in Path(directory).glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def directory_lock(directory: str | Path) -> Iterator[None]:
    """Hold an exclusive lock on ``directory`` for the ``with`` block.

    :raises OutputError: another process holds it (e.g. a second ``build`` into the same directory).
    """
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(
                f"{directory}: another ember3kg process is writing into it; try again when it is done"
            ) from None
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _checked_target(path: Path) -> Path:
    """Follow ``path`` if it is a link inside its own directory; refuse a link to elsewhere."""
    if not path.is_symlink():
        return path
    target = path.resolve()
    if target.parent != path.parent.resolve():
        raise OutputError(f"{path}: a symbolic link to {target}, outside {path.parent}; refusing to write through it")
    return target


def _umask() -> int:
    """Read the process's umask (which can only be read by setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_file(path: Path) -> None:
    """Flush a file's content to disk."""
    _fsync(path, os.O_RDONLY)


def _fsync_directory(directory: Path) -> None:
    """Flush a directory's entries (the renames) to disk."""
    _fsync(directory, os.O_RDONLY | os.O_DIRECTORY)


def _fsync(path: Path, flags: int) -> None:
    """Open ``path`` with ``flags`` and flush it to disk."""
    descriptor = os.open(path, flags)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP during the block, then act on the first one that came.

    Only the main thread can set signal handlers; elsewhere the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def hold(number: int, frame: FrameType | None) -> None:
        received.append(number)

    previous = {number: signal.signal(number, hold) for number in _DEFERRED_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received:
            signal.raise_signal(received[0])
