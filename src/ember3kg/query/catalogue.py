"""The question catalogue: the packaged ``queries/*.rq`` files and ad hoc queries.

A *question* is a packaged ``queries/*.rq`` file (the ``qc/`` checks are not
questions): its leading ``#`` lines state it in plain words, the first of them being
the one-line description that ``ember3kg questions`` lists, and ``# param NAME: ...``
lines declare the variables a user may bind with ``--param NAME=VALUE``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cache
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

from ember3kg.io.reading import reading

#: Package holding the questions (``*.rq``, sub-folders excluded).
QUESTIONS_PACKAGE = "ember3kg.queries"

_PARAM_LINE = re.compile(r"#\s*param\s+(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<text>.*)")


@dataclass(frozen=True)
class Question:
    """One SPARQL query with the plain-words statement of what it asks.

    :param name: the file stem (or the label of an ad hoc query).
    :param sparql: the query text.
    :param source: names the query in error messages: a file path or ``--sparql``.
    """

    name: str
    sparql: str
    source: str

    @property
    def comments(self) -> list[str]:
        """The text of the leading ``#`` lines, without the ``#``."""
        lines = []
        for line in self.sparql.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
        return lines

    @property
    def description(self) -> str:
        """The first comment line: the question in plain words."""
        return next(iter(self.comments), "")

    @property
    def params(self) -> dict[str, str]:
        """Declared parameters: variable name -> description."""
        found = (_PARAM_LINE.fullmatch(f"# {line}") for line in self.comments)
        return {match["name"]: match["text"] for match in found if match}


@cache
def packaged_queries(folder: str = "") -> Mapping[str, Question]:
    """Read the packaged queries of one folder of ``queries/``, sorted by name.

    :param folder: ``""`` for the competency questions; ``"site"``, ``"evidence"``, ``"fhir"``,
        ``"qc"`` and ``"federated"`` for the queries of the site, the pooled evidence, the
        FHIR export, the quality checks and the federated questions.
    """
    directory = files(QUESTIONS_PACKAGE).joinpath(folder) if folder else files(QUESTIONS_PACKAGE)
    found = sorted(
        (item for item in directory.iterdir() if item.is_file() and item.name.endswith(".rq")),
        key=lambda item: item.name,
    )
    return MappingProxyType(
        {
            item.name.removesuffix(".rq"): Question(item.name.removesuffix(".rq"), item.read_text("utf-8"), str(item))
            for item in found
        }
    )


def questions() -> Mapping[str, Question]:
    """Read the packaged competency questions, sorted by name.

    Example:
        >>> "trial-design" in questions()
        True
    """
    return packaged_queries()


def find_question(reference: str) -> Question:
    """Find a question by name, or read a query from a file.

    :param reference: a packaged question's name (``trial-design``) or a path to a ``.rq`` file.
    :raises InputError: neither a question nor a readable file; the message names the
        questions whose names are close to a mistyped one (:mod:`difflib`).
    """
    if reference in questions():
        return questions()[reference]
    path = Path(reference)
    with reading(reference, missing=lambda: _no_question(reference)):
        return Question(path.stem, path.read_text("utf-8"), str(path))


def _no_question(reference: str) -> str:
    """Say that ``reference`` is neither a question nor a file, naming the questions close to it."""
    close = get_close_matches(reference.lower(), questions(), n=3)
    hint = f"; did you mean {' or '.join(close)}?" if close else " (see `ember3kg questions`)"
    return f"no such question or file{hint}"


@dataclass(frozen=True)
class QuestionSummary:
    """One line of ``ember3kg questions``: name, description and declared parameters."""

    name: str
    description: str
    params: Mapping[str, str] = field(default_factory=dict)


def list_questions() -> list[QuestionSummary]:
    """Summarise the packaged questions, sorted by name."""
    return [QuestionSummary(q.name, q.description, q.params) for q in questions().values()]
