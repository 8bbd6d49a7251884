"""Run a piece of work with a time limit that holds even inside native code.

The embedded SPARQL engines cannot be interrupted: pyoxigraph evaluates a query in
Rust without looking at signals, and rdflib offers no cancellation. :func:`run_bounded`
therefore runs the work in a forked child process, which shares the parent's loaded
dataset without copying it, and kills the child when the time is up or when the
parent is interrupted (Ctrl-C): no query keeps a core busy after its caller left.
:func:`run_bounded_each` runs a series of such works in one child.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Generator, Sequence
from contextlib import closing
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
    with closing(run_bounded_each([(action, what)], timeout)) as results:
        return next(results)


def run_bounded_each(actions: Sequence[tuple[Callable[[], _T], str]], timeout: float) -> Generator[_T, None, None]:
    """Run each action in turn in one child process, yielding their results in order.

    Like :func:`run_bounded` for each ``(action, what)`` pair, with one fork for all of
    them: forking a process that holds a large store costs a tenth of a second or more.
    Each result is waited for at most ``timeout`` seconds. The first failure (an error
    raised by an action, or a wait that runs out) kills the child and is raised; so does
    closing the iterator early.

    Example:
        >>> list(run_bounded_each([(lambda: 6 * 7, "the answer"), (lambda: 2, "two")], 5.0))
        [42, 2]
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(actions, sender), daemon=True)
    child.start()
    sender.close()
    try:
        for _, what in actions:
            if not receiver.poll(timeout):
                raise LimitError(f"{what}: no answer within {timeout:g} s; stopped")
            try:
                succeeded, value = receiver.recv()
            except EOFError:
                child.join()
                raise Ember3kgError(f"{what}: the worker process died (exit {child.exitcode})") from None
            if not succeeded:
                raise value
            yield value
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()


def _child(actions: Sequence[tuple[Callable[[], object], str]], sender: Connection) -> None:
    """Run the actions in the child, sending ``(True, result)`` or ``(False, error)`` for each; stop at an error."""
    # Ctrl-C reaches the whole foreground process group: the child just dies, the parent reports.
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, signal.SIG_DFL)
    for action, what in actions:
        outcome = _outcome(action, what)
        sender.send(outcome)
        if not outcome[0]:
            break
    sender.close()


def _outcome(action: Callable[[], object], what: str) -> tuple[bool, object]:
    """Run ``action``: ``(True, result)``, or ``(False, error)`` as one picklable :class:`Ember3kgError`."""
    try:
        return (True, action())
    except Ember3kgError as exc:
        return (False, type(exc)(str(exc)))  # the message alone pickles for every subclass
    except Exception as exc:  # a fault inside an engine (rdflib sorting an unbound key): one line, not a traceback
        message = " ".join(str(exc).split())
        return (False, InputError(f"{what}: the engine cannot evaluate this query: {type(exc).__name__}: {message}"))
