"""Read-only SPARQL 1.1 query execution for the ``/sparql`` endpoint.

Queries are checked before they run, in two steps. In the server, a linear scan bounds the
text (``MAX_QUERY_CHARS``) and its nesting (``MAX_NESTING``) and refuses updates by their first
keyword; in a query process, the query is parsed with rdflib's SPARQL 1.1 grammar and refused if
its parse tree has a ``SERVICE`` (:func:`check_query`). A query process also runs in an empty
network namespace (:func:`isolate_network`), so the engine cannot reach any address even if a
``SERVICE`` got past the check. Refusals raise :class:`~core.errors.QueryRefusedError`.

Queries run in a pool of worker processes with a time limit, a memory cap and admission
control; results are capped at ``EndpointOptions.endpoint_limit`` rows (or triples) and a cut result
says so (``QueryAnswer.truncated``, and ``"truncated": true`` in JSON). With ``store="sparql"``
queries are forwarded to ``EndpointOptions.sparql_query_url`` with the same checks and time limit.

One module per concern:

=================================  =======================================================
:mod:`graph.endpoint.check`        pre-check (size, nesting, update keywords) and full parse
:mod:`graph.endpoint.results`      content negotiation, evaluation, serialisation, row limit
:mod:`graph.endpoint.pool`         worker processes, admission, time limit, one pool per settings
:mod:`graph.endpoint.sandbox`      the query process: network namespace, memory cap, request loop
:mod:`graph.endpoint.forward`      ``store="sparql"``: forwarding to the SPARQL server
=================================  =======================================================

>>> check_query("SELECT * WHERE { ?s ?p 'INSERT DATA' } # DROP ALL")
'SELECT'
>>> check_query("INSERT DATA { <http://a> <http://b> <http://c> }")
Traceback (most recent call last):
...
core.errors.QueryRefusedError: The SPARQL endpoint is read-only: this request is a SPARQL Update (INSERT) ...
>>> negotiate("text/csv", "SELECT")
('csv', 'text/csv; charset=utf-8')
>>> negotiate(None, "CONSTRUCT")
('turtle', 'text/turtle')
"""

from __future__ import annotations

from graph.endpoint.check import (
    MAX_NESTING,
    MAX_QUERY_CHARS,
    MAX_TREE_DEPTH,
    QUERY_FORMS,
    UPDATE_KEYWORDS,
    QuerySyntaxError,
    check_query,
    precheck,
    scan,
    unescape_codepoints,
)
from graph.endpoint.pool import (
    WORKER_QUEUE_GRACE,
    WORKER_START_TIMEOUT,
    EndpointBusyError,
    QueryWorkerError,
    SparqlEndpoint,
    endpoint_for,
    run_query,
    shutdown,
)
from graph.endpoint.results import GRAPH_FORMATS, RESULT_FORMATS, QueryAnswer, evaluate, negotiate, serialise
from graph.endpoint.sandbox import WORKER_STACK_BYTES, isolate_network, limit_memory, worker_main

__all__ = [
    "GRAPH_FORMATS", "MAX_NESTING", "MAX_QUERY_CHARS", "MAX_TREE_DEPTH", "QUERY_FORMS", "RESULT_FORMATS",
    "UPDATE_KEYWORDS", "WORKER_QUEUE_GRACE", "WORKER_STACK_BYTES", "WORKER_START_TIMEOUT", "EndpointBusyError",
    "QueryAnswer", "QuerySyntaxError", "QueryWorkerError", "SparqlEndpoint", "check_query", "endpoint_for",
    "evaluate", "isolate_network", "limit_memory", "negotiate", "precheck", "run_query", "scan", "serialise",
    "shutdown", "unescape_codepoints", "worker_main",
]
