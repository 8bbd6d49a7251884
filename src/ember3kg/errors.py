"""Exceptions of ember3kg, each carrying the exit code the command line uses.

The command line catches :class:`Ember3kgError` in one place, prints
``error: <message>`` on one line and exits with :attr:`Ember3kgError.exit_code`.
Library callers catch the same classes. Messages say what failed in the library's
terms, never which command-line option to change.

Data that fails a check (SHACL violations, quality errors, broken links, an
inconsistent ontology) is always a :class:`CheckFailedError`, raised by the report
after it has been printed (e.g. :meth:`ember3kg.checks.qc.QcReport.raise_for_errors`).
:data:`EXIT_CODES` is the one table of exit codes; ``ember3kg --help`` and the
README show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar


class Ember3kgError(Exception):
    """Base class of every error ember3kg reports to its user."""

    #: Process exit code of the command line for this error; a subclass names its own as a class keyword.
    exit_code: ClassVar[int] = 1

    def __init_subclass__(cls, exit_code: int | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if exit_code is not None:
            cls.exit_code = exit_code


class InputError(Ember3kgError, exit_code=2):
    """An input cannot be read: missing file, unknown format, unparseable RDF.

    For a syntax error the message starts with ``FILE:LINE:`` when the line is known.
    """


class OutputError(Ember3kgError, exit_code=2):
    """An output cannot be written: missing directory, unwritable path."""


class DataError(Ember3kgError, exit_code=3):
    """The packaged data is inconsistent, e.g. two files give the same part name."""


class CheckFailedError(Ember3kgError, exit_code=1):
    """The data failed a check; the report printed before says where."""


class ValidationFailedError(CheckFailedError):
    """The SHACL report has a violation (or, when warnings count, a warning)."""


class BrokenLinksError(CheckFailedError):
    """A mapped external term is missing, obsolete or relabelled in the ontology file checked."""


class InconsistentError(CheckFailedError):
    """The reasoner found the ontology and data inconsistent; the message names the entities involved."""


class ReasonerUnavailableError(Ember3kgError, exit_code=2):
    """The OWL reasoner cannot run, e.g. because Java is not installed."""


class QualityError(CheckFailedError):
    """The quality report has at least one error-level finding."""


class ServerError(Ember3kgError, exit_code=4):
    """A SPARQL server cannot be reached or answers with an error (refused, timeout, HTTP 4xx/5xx).

    :param message: what failed, with the server's own message when it gave one.
    :param retriable: whether trying again may help (timeouts, refused connections, 5xx).
    :param reached: whether the request may have reached the server (``False``: refused).
    """

    def __init__(self, message: str, *, retriable: bool = False, reached: bool = True):
        super().__init__(message)
        self.retriable = retriable
        self.reached = reached


class LimitError(Ember3kgError, exit_code=6):
    """A bounded piece of work went past its limit, e.g. a query past its ``--timeout``; it was stopped."""


class SkippedInputError(Ember3kgError, exit_code=7):
    """An import left out part of its input (each part was reported); the rest was imported and written."""


class VerificationError(Ember3kgError, exit_code=5):
    """A SPARQL server holds other triple counts than were sent to it."""


#: Exit code -> what it means; the one table (the command line's --help and the README show it).
EXIT_CODES: Mapping[int, str] = MappingProxyType(
    {
        0: "success",
        CheckFailedError.exit_code: "the data failed a check (SHACL, quality, links, consistency)",
        InputError.exit_code: "bad input, output or usage (missing file, syntax error, bad option), or no Java",
        DataError.exit_code: "ember3kg's own packaged data or configuration is broken",
        ServerError.exit_code: "a SPARQL server or endpoint cannot be reached or answers with an error",
        VerificationError.exit_code: "a SPARQL server holds other triple counts than were sent to it",
        LimitError.exit_code: "the work went past its time limit and was stopped",
        SkippedInputError.exit_code: "an import skipped part of its input (each part named); the rest was written",
    }
)
