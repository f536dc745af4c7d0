"""Queries for ``store="sparql"``: checked in a query process, then forwarded to the SPARQL server.

The server is asked in a format policykg reads back (SPARQL JSON results, N-Triples), so the
row limit and the client's format apply as for the embedded store.
"""

from __future__ import annotations

from core.errors import BadInputError, PolicyKGError, QueryTimeoutError
from graph.endpoint.results import QueryAnswer, serialise


def forward(url: str | None, query: str, accept: str | None, form: str, *, timeout: float,
            limit: int) -> QueryAnswer:
    """Ask the SPARQL server at ``url`` in a format we can read back, then apply the row limit and the client's format.

    Raises:
        BadInputError: no ``url``, or the server refused the query (4xx).
        QueryTimeoutError: no answer within ``timeout`` seconds.
        PolicyKGError: the server is unreachable, failed (5xx), or sent results that cannot be read.
    """
    import httpx
    import pyoxigraph

    if not url:
        raise BadInputError("store=sparql needs POLICYKG_SPARQL_QUERY_URL, the SPARQL endpoint to forward to.")
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    wire = "application/n-triples" if graph_form else "application/sparql-results+json"
    try:
        resp = httpx.post(url, data={"query": query}, headers={"Accept": wire}, timeout=timeout)
    except httpx.TimeoutException:
        raise QueryTimeoutError(f"The SPARQL server at {url} did not answer within {timeout:g} s.") from None
    except httpx.HTTPError as exc:
        raise PolicyKGError(f"The SPARQL server at {url} could not be reached: {exc}") from None
    if resp.status_code >= 400:
        err = BadInputError if resp.status_code < 500 else PolicyKGError
        raise err(f"The SPARQL server at {url} answered {resp.status_code}: {resp.text[:300]}")
    try:
        if graph_form:
            result = (q.triple for q in pyoxigraph.parse(resp.content, format=pyoxigraph.RdfFormat.N_TRIPLES))
        else:
            result = pyoxigraph.parse_query_results(resp.content, format=pyoxigraph.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise PolicyKGError(f"The SPARQL server at {url} sent results policykg cannot read: {exc}") from None
    return serialise(result, accept, limit, form)

