"""One base exception for the project; the CLI and API turn these into one clear line.

Messages name the bad value, the choices and the fix.
"""

from __future__ import annotations


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""

    #: HTTP status the API answers with for this kind of error.
    status = 500


class BadInputError(PolicyKGError):
    """A file, query or parameter that cannot be used (empty, binary, wrong encoding, malformed)."""

    status = 400


class NotATaskListError(BadInputError):
    """A table file (spreadsheet, CSV) with no task-list header: named explicitly it fails; found in a
    folder walk it is skipped and reported (a folder may hold other tables, e.g. an index of files)."""


class NotFoundError(PolicyKGError):
    """A document, measure, entity or path that does not exist."""

    status = 404


class MissingDependencyError(PolicyKGError):
    """An optional package or model that is not installed."""

    status = 500


class IndexCorruptError(PolicyKGError):
    """An index file that fails its checks; the message says how to rebuild."""

    status = 500


class QueryRefusedError(PolicyKGError):
    """A SPARQL query the read-only endpoint will not run (update, SERVICE)."""

    status = 400


class QueryTimeoutError(PolicyKGError):
    """A query that ran past its time limit."""

    status = 503
    #: seconds after which a retry may succeed (sent as ``Retry-After``)
    retry_after = 1


class ConflictError(PolicyKGError):
    """The request conflicts with work in progress (an ingest holds the data folder); retry later."""

    status = 409
    #: seconds after which a retry may succeed (sent as ``Retry-After``)
    retry_after = 5
