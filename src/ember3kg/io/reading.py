"""Reading a named input file: one wrapping of its errors into a one-line :class:`~ember3kg.errors.InputError`.

:func:`reading` guards the block that opens and reads the file, so a missing file,
a permission error or bytes that are not UTF-8 all read the same in every command:
``PATH: no such file``, ``PATH: cannot read: REASON``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from ember3kg.errors import InputError


@contextlib.contextmanager
def reading(path: str | Path, missing: Callable[[], str] = lambda: "no such file") -> Iterator[None]:
    """Turn a failure to read ``path`` inside the block into an :class:`InputError` naming it.

    :param path: the file the block reads, as the message names it.
    :param missing: what the message says after ``PATH:`` when the file does not exist.
    :raises InputError: the block raised :class:`OSError` or :class:`UnicodeDecodeError`.

    Example:
        >>> with reading("no-such.ttl"):
        ...     Path("no-such.ttl").read_bytes()
        Traceback (most recent call last):
        ember3kg.errors.InputError: no-such.ttl: no such file
    """
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: {missing()}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
