"""Read-only SPARQL 1.1 query execution for the ``/sparql`` endpoint.

Queries are checked before they run: SPARQL Update (``INSERT``, ``DELETE``, ``LOAD``,
``CLEAR``, ``DROP``, ``CREATE``, ...) and ``SERVICE`` (outbound requests) are refused
with :class:`~policykg.errors.QueryRefusedError`. The check scans tokens after removing
comments, string literals and IRIs, so ``"INSERT"`` in a string or ``<http://x/service>``
is fine.

Embedded Oxigraph evaluation cannot be interrupted from Python, so queries run in a small
pool of worker processes (fresh interpreters, not forks of the server). Each worker opens a
committed generation's store with ``pyoxigraph.Store.read_only``: committed generations are
never written again (an ingest builds the next one beside it), so the writer and the readers
never share live files. When a new generation is committed the workers are replaced. A worker that runs past
``Settings.endpoint_timeout`` is killed and replaced, and the caller gets
:class:`~policykg.errors.QueryTimeoutError`; other requests keep being served. Results are
capped at ``Settings.endpoint_limit`` rows (or triples).

With ``store="sparql"`` queries are forwarded to ``Settings.sparql_query_url`` with the
same checks and time limit.

>>> check_query("SELECT * WHERE { ?s ?p 'INSERT DATA' } # DROP ALL")
'SELECT'
>>> check_query("INSERT DATA { <http://a> <http://b> <http://c> }")
Traceback (most recent call last):
...
policykg.errors.QueryRefusedError: The SPARQL endpoint is read-only: this request is a SPARQL Update (INSERT) ...
>>> negotiate("text/csv", "SELECT")
('csv', 'text/csv; charset=utf-8')
>>> negotiate(None, "CONSTRUCT")
('turtle', 'text/turtle')
"""

from __future__ import annotations

import atexit
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from policykg.errors import BadInputError, NotFoundError, PolicyKGError, QueryRefusedError, QueryTimeoutError
from policykg.settings import Settings

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

#: result format name -> media type, for SELECT / ASK
RESULT_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
#: graph format name -> media type, for CONSTRUCT / DESCRIBE
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
_ALIASES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "ttl": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
    "json-ld": "jsonld",
}

# Comments, strings (long and short, both quotes) and IRIs, removed before scanning keywords.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n]*",
    re.S,
)
_WORD = re.compile(r"(?<![\w:?$@-])([A-Za-z]+)(?![\w:-])")


def check_query(query: str) -> str:
    """Refuse updates and ``SERVICE``; return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    Raises:
        BadInputError: empty query or no query form found.
        QueryRefusedError: an update operation or a ``SERVICE`` clause.
    """
    if not query or not query.strip():
        raise BadInputError("Empty SPARQL query. Pass it as ?query=..., a form field query=, or an "
                            "application/sparql-query body, e.g. SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    words = [w.upper() for w in _WORD.findall(_NOISE.sub(" ", query))]
    if "SERVICE" in words:
        raise QueryRefusedError("SERVICE is not allowed: this endpoint does not make outbound requests to other "
                                "SPARQL endpoints. Remove the SERVICE clause and query the local graph only.")
    first = next((w for w in words if w in QUERY_FORMS or w in UPDATE_KEYWORDS), None)
    if first in UPDATE_KEYWORDS:
        raise QueryRefusedError(
            f"The SPARQL endpoint is read-only: this request is a SPARQL Update ({first}) and was not run. "
            f"Only {', '.join(QUERY_FORMS)} queries are accepted; to change the graph run `policykg ingest`."
        )
    if first is None:
        raise BadInputError(f"Not a SPARQL query: no {', '.join(QUERY_FORMS)} found in {query[:80]!r}.")
    return first


def _media_ranges(accept: str) -> list[tuple[float, int, str]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        bits = [b.strip() for b in part.split(";")]
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if bits[0] and q > 0:
            out.append((-q, i, bits[0].lower()))
    return sorted(out)


def negotiate(accept: str | None, form: str) -> tuple[str, str]:
    """Pick (format name, media type) for a query form from an Accept header or a format name.

    ``accept`` may be an HTTP Accept header (with q-values) or a short name (json, xml, csv, tsv,
    turtle, nt, rdfxml, jsonld). Anything unusable falls back to JSON results or Turtle.
    """
    table = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    default = "turtle" if table is GRAPH_FORMATS else "json"
    for _, _, rng in _media_ranges(accept or ""):
        name = rng if rng in table else _ALIASES.get(rng)
        if name in table:
            return name, table[name]
    return default, table[default]


class _Worker:
    """One query process (a fresh interpreter, not a fork of the server) with its pipe."""

    def __init__(self, store_path: str) -> None:
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        code = "import sys; from graph.endpoint import worker_main; worker_main(*sys.argv[1:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(to_child_r), str(from_child_w), store_path],
            pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self.path = store_path

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, message: tuple, timeout: float) -> tuple:
        """Send one request; raise TimeoutError if no answer within ``timeout`` seconds."""
        self._send.send(message)
        if not self._recv.poll(max(0.0, timeout)):
            raise TimeoutError
        return self._recv.recv()

    def kill(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait(timeout=5)
        self._send.close()
        self._recv.close()


class SparqlEndpoint:
    """Read-only, time- and row-limited SPARQL query execution over a pool of worker processes.

    Workers open a committed (immutable) generation's store read-only; when the caller passes a
    new store path (an ingest committed a new generation) idle workers are replaced, busy ones
    when they finish. A worker past the time limit is killed and replaced.

    Args:
        settings: uses ``store``, ``sparql_query_url``, ``endpoint_timeout``, ``endpoint_limit``.
        workers: number of query processes.
    """

    def __init__(self, settings: Settings, *, workers: int = 2) -> None:
        self.settings = settings
        self.timeout = settings.endpoint_timeout
        self.limit = settings.endpoint_limit
        self.n_workers = max(1, workers)
        self._lock = threading.Lock()
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._path: str | None = None
        self._closed = False

    def query(self, store_path: str | Path | None, query: str, accept: str | None = None) -> tuple[bytes, str]:
        """Run a read-only query on the store at ``store_path``; return (body, media type).

        Raises:
            QueryRefusedError: update or SERVICE.  BadInputError: syntax error (parser message).
            QueryTimeoutError: past the time limit, or every worker busy for that long.
        """
        form = check_query(query)
        if self.settings.store == "sparql":
            return self._forward(query, accept, form)
        if store_path is None or not (Path(store_path) / "CURRENT").exists():
            raise NotFoundError("The graph is empty: nothing has been ingested yet. Run `policykg ingest PATH`.")
        self._use(str(store_path))
        deadline = time.monotonic() + self.timeout
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeoutError(f"The SPARQL endpoint is busy: no worker became free within "
                                    f"{self.timeout:g} s. Retry later.") from None
        if worker.path != self._path or not worker.alive():
            worker.kill()
            worker = _Worker(self._path)
        try:
            status, a, b = worker.ask((query, accept, self.limit), deadline - time.monotonic())
        except (TimeoutError, EOFError, OSError) as exc:
            worker.kill()
            self._release(_Worker(self._path))
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(
                    f"The SPARQL query ran past the time limit of {self.timeout:g} s and was stopped. "
                    f"Narrow it (add LIMIT, bind variables) or raise POLICYKG_ENDPOINT_TIMEOUT.") from None
            raise PolicyKGError(f"The SPARQL worker failed ({type(exc).__name__}); it was restarted. "
                                "Retry the query.") from None
        self._release(worker)
        if status == "ok":
            return a, b
        if status == "syntax":
            raise BadInputError(f"SPARQL syntax error: {a}")
        raise PolicyKGError(f"SPARQL evaluation failed: {a}")

    def close(self) -> None:
        """Stop the workers."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break

    def _use(self, path: str) -> None:
        if path == self._path:
            return
        with self._lock:
            if path == self._path:
                return
            self._path = path
            stale = []
            while True:
                try:
                    stale.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            for w in stale:
                w.kill()
            for _ in range(self.n_workers if not stale else len(stale)):
                self._idle.put(_Worker(path))

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        elif worker.path != self._path:
            worker.kill()
            self._idle.put(_Worker(self._path))
        else:
            self._idle.put(worker)

    def _forward(self, query: str, accept: str | None, form: str) -> tuple[bytes, str]:
        """Ask the SPARQL server in a format we can read back, then apply the row limit and the client's format."""
        import httpx
        import pyoxigraph

        url = self.settings.sparql_query_url
        if not url:
            raise BadInputError("store=sparql needs POLICYKG_SPARQL_QUERY_URL, the SPARQL endpoint to forward to.")
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        wire = "application/n-triples" if graph_form else "application/sparql-results+json"
        try:
            resp = httpx.post(url, data={"query": query}, headers={"Accept": wire}, timeout=self.timeout)
        except httpx.TimeoutException:
            raise QueryTimeoutError(f"The SPARQL server at {url} did not answer within {self.timeout:g} s.") from None
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
        return serialise(result, accept, self.limit, form)


_ENDPOINTS: dict[tuple, SparqlEndpoint] = {}
_ENDPOINTS_LOCK = threading.Lock()


def run_query(settings: Settings, store_path: str | Path | None, query: str,
              accept: str | None = None) -> tuple[bytes, str]:
    """Run a read-only SPARQL query with the limits of ``settings``; return (body, media type).

    One worker pool per process and settings is kept and reused (see :class:`SparqlEndpoint`).
    """
    key = (settings.store, settings.sparql_query_url, settings.endpoint_timeout, settings.endpoint_limit)
    with _ENDPOINTS_LOCK:
        endpoint = _ENDPOINTS.get(key)
        if endpoint is None:
            if not _ENDPOINTS:
                atexit.register(shutdown)
            endpoint = _ENDPOINTS[key] = SparqlEndpoint(settings)
    return endpoint.query(store_path, query, accept)


def shutdown() -> None:
    """Stop every worker process started by :func:`run_query`."""
    with _ENDPOINTS_LOCK:
        for endpoint in _ENDPOINTS.values():
            endpoint.close()
        _ENDPOINTS.clear()


# -- worker process -----------------------------------------------------------------------------
def worker_main(read_fd: str, write_fd: str, store_path: str) -> None:  # pragma: no cover - child process
    """Serve queries read from ``read_fd`` against a read-only store until the pipe closes."""
    from multiprocessing.connection import Connection

    import pyoxigraph

    conn_in, conn = Connection(int(read_fd), writable=False), Connection(int(write_fd), readable=False)

    try:
        store = pyoxigraph.Store.read_only(store_path)
    except OSError as exc:
        store, open_error = None, str(exc)
    while True:
        try:
            query, accept, limit = conn_in.recv()
        except (EOFError, OSError):
            return
        if store is None:
            conn.send(("error", f"cannot open the graph store snapshot: {open_error}", None))
            continue
        try:
            conn.send(("ok", *evaluate(store, query, accept, limit)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc), None))
        except Exception as exc:  # noqa: BLE001 - report any evaluation error to the parent
            conn.send(("error", f"{type(exc).__name__}: {exc}", None))


def evaluate(store, query: str, accept: str | None, limit: int) -> tuple[bytes, str]:
    """Evaluate ``query`` on a pyoxigraph store and serialise at most ``limit`` rows.

    >>> import pyoxigraph as ox
    >>> st = ox.Store()
    >>> st.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("甲", language="zh")))
    >>> evaluate(st, "SELECT ?o WHERE { ?s ?p ?o }", "text/csv", 10)[0].decode().splitlines()
    ['o', '甲']
    """
    result = store.query(query, use_default_graph_as_union=True)
    return serialise(result, accept, limit)


def serialise(result, accept: str | None, limit: int, form: str | None = None) -> tuple[bytes, str]:
    """Write a query result (solutions, boolean, or an iterable of triples) in the negotiated format, capped at ``limit``."""
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        fmt, media = negotiate(accept, "ASK")
        return _write_results(fmt, [], [], bool(result)), media
    if isinstance(result, pyoxigraph.QueryTriples) or form in ("CONSTRUCT", "DESCRIBE"):
        fmt, media = negotiate(accept, "CONSTRUCT")
        triples = [t for _, t in zip(range(limit), result)]
        rdf = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "rdfxml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
        return pyoxigraph.serialize(triples, format=rdf) or b"", media
    fmt, media = negotiate(accept, "SELECT")
    names = [v.value for v in result.variables]
    rows = [[sol[v] for v in result.variables] for _, sol in zip(range(limit), result)]
    return _write_results(fmt, names, rows, None), media


def _term_json(term) -> dict:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: _term_json(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _write_results(fmt: str, names: list[str], rows: list[list], boolean: bool | None) -> bytes:
    import csv
    import io
    import json
    from xml.sax.saxutils import escape, quoteattr

    if fmt == "json":
        doc: dict = {"head": {"vars": names} if boolean is None else {}}
        if boolean is None:
            doc["results"] = {"bindings": [{n: _term_json(t) for n, t in zip(names, row) if t is not None}
                                           for row in rows]}
        else:
            doc["boolean"] = boolean
        return json.dumps(doc, ensure_ascii=False).encode()
    if fmt == "xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        out += [f"<variable name={quoteattr(n)}/>" for n in names]
        out.append("</head>")
        if boolean is not None:
            out.append(f"<boolean>{'true' if boolean else 'false'}</boolean>")
        else:
            out.append("<results>")
            for row in rows:
                out.append("<result>")
                for n, t in zip(names, row):
                    if t is None:
                        continue
                    j = _term_json(t)
                    if j["type"] == "uri":
                        v = f"<uri>{escape(j['value'])}</uri>"
                    elif j["type"] == "bnode":
                        v = f"<bnode>{escape(j['value'])}</bnode>"
                    else:
                        attr = (f" xml:lang={quoteattr(j['xml:lang'])}" if "xml:lang" in j else
                                f" datatype={quoteattr(j['datatype'])}" if "datatype" in j else "")
                        v = f"<literal{attr}>{escape(str(j['value']))}</literal>"
                    out.append(f"<binding name={quoteattr(n)}>{v}</binding>")
                out.append("</result>")
            out.append("</results>")
        out.append("</sparql>\n")
        return "\n".join(out).encode()
    if boolean is not None:  # csv/tsv of ASK: one column
        names = ["_askResult"]
        cells = [["true" if boolean else "false"]]
    elif fmt == "csv":
        cells = [["" if t is None else f"_:{t.value}" if type(t).__name__ == "BlankNode" else str(t.value)
                  for t in row] for row in rows]
    else:
        cells = [["" if t is None else str(t) for t in row] for row in rows]
    buf = io.StringIO()
    if fmt == "csv":
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(names)
        w.writerows(cells)
    else:
        buf.write("\t".join(("" if boolean is not None else "?") + n for n in names) + "\n")
        buf.writelines("\t".join(r) + "\n" for r in cells)
    return buf.getvalue().encode()
