"""Run a piece of work with a time limit that holds even inside native code.

The embedded SPARQL engines cannot be interrupted: pyoxigraph evaluates a query in
Rust without looking at signals, and rdflib offers no cancellation. :func:`run_bounded`
therefore runs the work in a forked child process, which shares the parent's loaded
dataset without copying it, and kills the child when the time is up or when the
parent is interrupted (Ctrl-C): no query keeps a core busy after its caller left.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TypeVar

from ember3kg.errors import Ember3kgError, InputError, LimitError

_T = TypeVar("_T")


def run_bounded(action: Callable[[], _T], timeout: float, what: str) -> _T:
    """Run ``action`` in a child process and return its result, or stop it after ``timeout`` seconds.

    :param action: the work; its result must be picklable. An :class:`Ember3kgError` it
        raises is raised here; any other exception (a library's own fault) becomes one
        :class:`InputError` naming ``what`` and the exception: the engine cannot evaluate that input.
    :param timeout: seconds to wait.
    :param what: names the work in the error message.
    :raises LimitError: no result within ``timeout`` seconds; the child is killed.
    :raises KeyboardInterrupt: the parent was interrupted; the child is killed first.

    Example:
        >>> run_bounded(lambda: 6 * 7, 5.0, "the answer")
        42
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(action, sender, what), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise LimitError(f"{what}: no answer within {timeout:g} s; stopped")
        try:
            succeeded, value = receiver.recv()
        except EOFError:
            child.join()
            raise Ember3kgError(f"{what}: the worker process died (exit {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if succeeded:
        return value
    raise value


def _child(action: Callable[[], object], sender: Connection, what: str) -> None:
    """Run ``action`` in the child and send ``(True, result)`` or ``(False, error)`` to the parent."""
    # Ctrl-C reaches the whole foreground process group: the child just dies, the parent reports.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    try:
        outcome: tuple[bool, object] = (True, action())
    except Ember3kgError as exc:
        outcome = (False, type(exc)(str(exc)))  # the message alone pickles for every subclass
    except Exception as exc:  # a fault inside an engine (rdflib sorting an unbound key): one line, not a traceback
        message = " ".join(str(exc).split())
        outcome = (False, InputError(f"{what}: the engine cannot evaluate this query: {type(exc).__name__}: {message}"))
    sender.send(outcome)
    sender.close()
