"""What every engine shares: the protocol, the default timeout and one-line messages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Protocol

from rdflib.term import Node

from ember3kg.query.answer import Answer
from ember3kg.query.catalogue import Question

#: Seconds a query may take on any engine, unless told otherwise.
DEFAULT_TIMEOUT = 30.0


class Engine(Protocol):
    """Runs a question with bound parameters and returns its normalised answer."""

    def run(self, question: Question, bindings: Mapping[str, Node]) -> Answer:
        """Run ``question`` with ``bindings`` (variable name -> term)."""
        ...

    def run_each(self, asked: Sequence[tuple[Question, Mapping[str, Node]]]) -> Iterator[Answer]:
        """Run each question with its bindings in turn, yielding the answers in order; the first failure is raised."""
        ...


def one_line(exc: BaseException) -> str:
    """Write an exception's message on one line."""
    return " ".join(str(exc).split()) or type(exc).__name__
