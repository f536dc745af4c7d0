"""Any SPARQL 1.1 server as the graph store: query + update, Graph Store Protocol if given.

Tested against ``oxigraph serve``; the same requests work with Apache Jena Fuseki,
GraphDB and Virtuoso (see the README for their endpoint URLs). Replacing a document is
one request (a GSP ``PUT`` of the graph, or one update ``DROP GRAPH …; INSERT DATA …``),
which these servers apply as one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pyoxigraph import Quad

from graph.store import GraphStore, QueryResult, convert_results, query_form
from graph.store_oxigraph import insert_data_update
from policykg.errors import BadInputError, MissingDependencyError, PolicyKGError, QueryTimeoutError

#: Documents per update request in :meth:`SparqlStore.bulk_replace`.
BATCH = 50


class SparqlStore(GraphStore):
    """A remote SPARQL 1.1 store reached over HTTP (httpx)."""

    name = "sparql"

    def __init__(
        self,
        query_url: str | None = None,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        read_only: bool = False,
        timeout: float = 60.0,
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
        self._client = httpx.Client(timeout=timeout)

    # --- HTTP ----------------------------------------------------------------------
    def _post(self, url: str, **kwargs: Any) -> Any:
        httpx = self._httpx
        try:
            resp = self._client.post(url, **kwargs)
        except httpx.TimeoutException as e:
            raise QueryTimeoutError(f"The SPARQL server at {url} did not answer in time: {e}.") from e
        except httpx.HTTPError as e:
            raise PolicyKGError(
                f"Cannot reach the SPARQL server at {url}: {e}. Start the server or fix POLICYKG_SPARQL_*_URL."
            ) from e
        return self._check(resp, url)

    def _check(self, resp: Any, url: str) -> Any:
        if resp.status_code >= 400:
            msg = resp.text.strip().splitlines()[0][:300] if resp.text.strip() else resp.reason_phrase
            err = BadInputError if resp.status_code == 400 else PolicyKGError
            raise err(f"The SPARQL server at {url} answered {resp.status_code}: {msg}")
        return resp

    def _update(self, update: str) -> None:
        if self.read_only:
            raise BadInputError("This SPARQL store is open read-only; open it read-write to change it.")
        if not self.update_url:
            raise BadInputError(
                "Writing to store=sparql needs an update endpoint. Set POLICYKG_SPARQL_UPDATE_URL "
                "(e.g. http://127.0.0.1:7878/update for `oxigraph serve`)."
            )
        self._post(self.update_url, content=update.encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update; charset=utf-8"})

    # --- writing -------------------------------------------------------------------
    def replace_graph(self, graph: str, quads: Iterable[Quad]) -> None:
        quads = list(quads)
        if self.gsp_url and quads and not self.read_only:
            body = "".join(f"{q.triple} .\n" for q in quads).encode("utf-8")
            httpx = self._httpx
            try:
                resp = self._client.put(self.gsp_url, params={"graph": graph}, content=body,
                                        headers={"Content-Type": "application/n-triples"})
            except httpx.HTTPError as e:
                raise PolicyKGError(f"Cannot reach the SPARQL server at {self.gsp_url}: {e}.") from e
            self._check(resp, self.gsp_url)
            return
        self._update(insert_data_update(graph, quads))

    def delete_graph(self, graph: str) -> None:
        self._update(f"DROP SILENT GRAPH <{graph}>")

    def bulk_replace(self, docs: Mapping[str, Iterable[Quad]]) -> None:
        """Replace documents in batches of :data:`BATCH` per update request."""
        from graph.iri import document_iri

        items = list(docs.items())
        for i in range(0, len(items), BATCH):
            parts = [insert_data_update(document_iri(k), q) for k, q in items[i : i + BATCH]]
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

    def quads(self) -> Iterable[Quad]:
        from pyoxigraph import QueryResultsFormat, parse_query_results

        resp = self._post(
            self.query_url,
            data={"query": "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        for sol in parse_query_results(resp.content, format=QueryResultsFormat.JSON):
            yield Quad(sol["s"], sol["p"], sol["o"], sol["g"])

    def graphs(self) -> list[str]:
        rows = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(r["g"] for r in rows)  # type: ignore[union-attr, index]

    def triple_count(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0  # type: ignore[index]

    def close(self) -> None:
        self._client.close()
