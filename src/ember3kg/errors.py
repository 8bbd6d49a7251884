"""Exceptions of ember3kg, each carrying the exit code the command line uses.

The command line catches :class:`Ember3kgError` in one place, prints
``error: <message>`` on one line and exits with :attr:`Ember3kgError.exit_code`.
Library callers catch the same classes.
"""

from __future__ import annotations


class Ember3kgError(Exception):
    """Base class of every error ember3kg reports to its user."""

    #: Process exit code of the command line for this error.
    exit_code: int = 1


class InputError(Ember3kgError):
    """An input cannot be read: missing file, unknown format, unparseable RDF.

    For a syntax error the message starts with ``FILE:LINE:`` when the line is known.
    """

    exit_code = 2


class OutputError(Ember3kgError):
    """An output cannot be written: missing directory, unwritable path."""

    exit_code = 2


class DataError(Ember3kgError):
    """The packaged data is inconsistent, e.g. two files give the same part name."""

    exit_code = 3


class InconsistentError(Ember3kgError):
    """The reasoner found the ontology and data inconsistent; the message names the entities involved."""

    exit_code = 1


class ReasonerUnavailableError(Ember3kgError):
    """The OWL reasoner cannot run, e.g. because Java is not installed."""

    exit_code = 2


class QualityError(Ember3kgError):
    """The quality report has at least one error-level finding."""

    exit_code = 1


class ServerError(Ember3kgError):
    """A SPARQL server cannot be reached or answers with an error (refused, timeout, HTTP 4xx/5xx).

    :param message: what failed, with the server's own message when it gave one.
    :param retriable: whether trying again may help (timeouts, refused connections, 5xx).
    :param reached: whether the request may have reached the server (``False``: refused).
    """

    exit_code = 4

    def __init__(self, message: str, *, retriable: bool = False, reached: bool = True):
        super().__init__(message)
        self.retriable = retriable
        self.reached = reached


class LimitError(Ember3kgError):
    """A bounded piece of work went past its limit, e.g. a query past its ``--timeout``; it was stopped."""

    exit_code = 6


class VerificationError(Ember3kgError):
    """A SPARQL server holds other triple counts than were sent to it."""

    exit_code = 5
