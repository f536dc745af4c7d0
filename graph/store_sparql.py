"""Any SPARQL 1.1 server as the graph store: query + update, Graph Store Protocol if given.

Tested against ``oxigraph serve``; the same requests work with Apache Jena Fuseki, GraphDB
and Virtuoso. Point policykg at a server with three settings (``POLICYKG_STORE=sparql``):

- Oxigraph (``oxigraph serve --location DIR --bind HOST:7878 --union-default-graph``):
  ``http://HOST:7878/query``, ``…/update``, GSP ``…/store``;
- Apache Jena Fuseki, dataset ``DS``: ``http://HOST:3030/DS/query``, ``…/DS/update``, GSP ``…/DS/data``;
- GraphDB, repository ``R``: ``http://HOST:7200/repositories/R``, ``…/repositories/R/statements``,
  GSP ``…/repositories/R/rdf-graphs/service``;
- Virtuoso: ``http://HOST:8890/sparql`` for query and update, GSP ``…/sparql-graph-crud``, once the
  anonymous user may write (``isql``: ``GRANT SPARQL_UPDATE TO "SPARQL";
  DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7);``); or ``…/sparql-auth`` and
  ``…/sparql-graph-crud-auth`` with credentials. ``tests/servers.py`` starts one this way.

policykg's own queries name their graphs (``GRAPH ?g``), so they do not depend on the
server's default graph. Queries users send to ``/sparql`` are forwarded unchanged: start
Oxigraph with ``--union-default-graph`` (Fuseki: ``tdb2:unionDefaultGraph true``; GraphDB
and Virtuoso use the union by default) to get the same answers as the embedded store, and
``--timeout-s`` to stop runaway queries on the server side too.

The server's dataset belongs to one policykg data folder: an ingest removes document graphs
the folder's manifest does not list. Graphs outside policykg's IRI space (Virtuoso keeps its own
system graphs in every database) are neither read, counted, exported nor removed. Replacing a document is one request (one update
``DROP GRAPH …; INSERT DATA …``, or a GSP ``PUT``), which these servers apply as one
transaction; a batch of documents is several requests, so the server can be ahead of the
data folder after a killed ingest until the next ingest reconciles it (see
:mod:`policykg.journal`).

A server that cannot be reached raises :class:`SparqlServerError` naming the URL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pyoxigraph import Quad

from graph.iri import ID_BASE
from graph.store import GraphStore, QueryResult, convert_results, query_form
from graph.store_oxigraph import insert_data_update
from core.errors import BadInputError, MissingDependencyError, PolicyKGError, QueryTimeoutError

#: Documents per update request in :meth:`SparqlStore.bulk_replace`.
BATCH = 50
#: Largest update request body (bytes) :meth:`SparqlStore.bulk_replace` builds before sending.
MAX_UPDATE_BYTES = 8 << 20


#: keeps a ``GRAPH ?g`` pattern to policykg's own graphs
_OURS = f'FILTER(STRSTARTS(STR(?g), "{ID_BASE}"))'


class SparqlServerError(PolicyKGError):
    """The SPARQL server could not be reached or failed (the message names its URL)."""

    status = 503


class SparqlStore(GraphStore):
    """A remote SPARQL 1.1 store reached over HTTP (httpx).

    Args:
        query_url: SPARQL 1.1 query endpoint.
        update_url: SPARQL 1.1 update endpoint (needed to write).
        gsp_url: Graph Store Protocol endpoint; optional, used for single-graph loads and dumps.
        read_only: refuse writes.
        timeout: seconds to wait for one request.
    """

    name = "sparql"

    def __init__(
        self,
        query_url: str | None = None,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        read_only: bool = False,
        timeout: float = 120.0,
    ) -> None:
        if not query_url:
            raise BadInputError(
                "store=sparql needs a query endpoint. Set POLICYKG_SPARQL_QUERY_URL (e.g. "
                "http://127.0.0.1:7878/query for `oxigraph serve`) and POLICYKG_SPARQL_UPDATE_URL."
            )
        try:
            import httpx
        except ImportError as e:  # pragma: no cover - httpx ships with the test extra
            raise MissingDependencyError(
                "The sparql graph store needs httpx. Install it with `pip install httpx`."
            ) from e
        self.query_url = query_url
        self.update_url = update_url
        self.gsp_url = gsp_url
        self.read_only = read_only
        self._httpx = httpx
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)))

    # --- HTTP ----------------------------------------------------------------------
    def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        httpx = self._httpx
        try:
            resp = self._client.request(method, url, **kwargs)
        except httpx.TimeoutException as e:
            raise QueryTimeoutError(f"The SPARQL server at {url} did not answer in time ({type(e).__name__}).") from e
        except httpx.HTTPError as e:
            raise SparqlServerError(
                f"Cannot reach the SPARQL server at {url} ({e or type(e).__name__}). Start the server, or fix "
                "POLICYKG_SPARQL_QUERY_URL / POLICYKG_SPARQL_UPDATE_URL / POLICYKG_SPARQL_GSP_URL."
            ) from None
        if resp.status_code >= 400:
            text = resp.text.strip()
            msg = text.splitlines()[0][:300] if text else resp.reason_phrase
            err = BadInputError if resp.status_code == 400 else SparqlServerError
            raise err(f"The SPARQL server at {url} answered {resp.status_code}: {msg}")
        return resp

    def _post(self, url: str, **kwargs: Any) -> Any:
        return self._request("POST", url, **kwargs)

    def _writable(self) -> None:
        if self.read_only:
            raise BadInputError("This SPARQL store is open read-only; open it read-write to change it.")

    def _update(self, update: str) -> None:
        self._writable()
        if not self.update_url:
            raise BadInputError(
                "Writing to store=sparql needs an update endpoint. Set POLICYKG_SPARQL_UPDATE_URL "
                "(e.g. http://127.0.0.1:7878/update for `oxigraph serve`)."
            )
        self._post(self.update_url, content=update.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    def ping(self) -> None:
        """Check that the query endpoint answers; raises :class:`SparqlServerError` naming the URL."""
        self._post(self.query_url, data={"query": "ASK { }"}, headers={"Accept": "application/sparql-results+json"})

    # --- writing -------------------------------------------------------------------
    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        quads = list(quads)
        if self.gsp_url and quads:
            self._writable()
            body = "".join(f"{q.triple} .\n" for q in quads).encode("utf-8")
            self._request("PUT", self.gsp_url, params={"graph": graph}, content=body,
                          headers={"Content-Type": "application/n-triples"})
            return
        self._update(insert_data_update(graph, quads))

    def delete_graph(self, graph: str) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}>")

    def bulk_replace(self, docs: Mapping[str, Iterable[Quad]]) -> None:
        """Replace documents: one Graph Store Protocol ``PUT`` each when the server has GSP, else up to
        :data:`BATCH` per update request (each document's drop and insert travel in the same request,
        so a graph is never seen half-written either way).

        GSP first because servers bound the size of one update: Virtuoso compiles ``INSERT DATA``
        to SQL and refuses a request past 10,000 lines of it (one long document), while its GSP
        loader takes any size.
        """
        from graph.iri import document_iri

        if self.gsp_url:
            for key, quads in docs.items():
                self.replace_graph(document_iri(key), quads)
            return
        parts: list[str] = []
        size = 0
        for key, quads in docs.items():
            part = insert_data_update(document_iri(key), quads)
            parts.append(part)
            size += len(part.encode("utf-8"))
            if len(parts) >= BATCH or size >= MAX_UPDATE_BYTES:
                self._update(" ;\n".join(parts))
                parts, size = [], 0
        if parts:
            self._update(" ;\n".join(parts))

    # --- reading -------------------------------------------------------------------
    def query(self, sparql: str) -> QueryResult:
        from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

        form = query_form(sparql)
        graph_result = form in {"CONSTRUCT", "DESCRIBE"}
        accept = "application/n-triples" if graph_result else "application/sparql-results+json"
        resp = self._post(self.query_url, data={"query": sparql}, headers={"Accept": accept})
        if graph_result:
            return convert_results(parse(resp.content, format=RdfFormat.N_TRIPLES))
        return convert_results(parse_query_results(resp.content, format=QueryResultsFormat.JSON))

    def quads(self) -> Iterator[Quad]:
        """Every quad in one of policykg's named graphs: one GSP ``GET`` of the dataset as N-Quads when
        the server offers it, else a ``SELECT`` over ``GRAPH ?g``."""
        from pyoxigraph import QueryResultsFormat, RdfFormat, parse, parse_query_results

        if self.gsp_url:
            try:
                resp = self._request("GET", self.gsp_url, headers={"Accept": "application/n-quads"})
            except PolicyKGError:  # no whole-dataset GET here (Virtuoso: 406); the SELECT below asks again
                resp = None
            if resp is not None and resp.headers.get("content-type", "").split(";")[0].strip() == "application/n-quads":
                for q in parse(resp.content, format=RdfFormat.N_QUADS):
                    if q.graph_name.__class__.__name__ != "DefaultGraph" and q.graph_name.value.startswith(ID_BASE):
                        yield q
                return
        resp = self._post(
            self.query_url,
            data={"query": f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}"},
            headers={"Accept": "application/sparql-results+json"},
        )
        for sol in parse_query_results(resp.content, format=QueryResultsFormat.JSON):
            yield Quad(sol["s"], sol["p"], sol["o"], sol["g"])

    def graphs(self) -> list[str]:
        rows = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return sorted(r["g"] for r in rows)  # type: ignore[union-attr, index]

    def triple_count(self) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return int(rows[0]["n"]) if rows else 0  # type: ignore[index]

    def close(self) -> None:
        self._client.close()
