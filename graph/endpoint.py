"""Read-only SPARQL 1.1 query execution for the ``/sparql`` endpoint.

Queries are checked before they run, in two steps. In the server, a linear scan bounds the
text (``MAX_QUERY_CHARS``) and its nesting (``MAX_NESTING``) and refuses updates by their first
keyword; in a query process, the query is parsed with rdflib's SPARQL 1.1 grammar and refused if
its parse tree has a ``SERVICE`` (:func:`check_query`). A query process also runs in an empty
network namespace (:func:`isolate_network`), so the engine cannot reach any address even if a
``SERVICE`` got past the check. Refusals raise :class:`~core.errors.QueryRefusedError`.

Embedded Oxigraph evaluation cannot be interrupted from Python, so queries run in a small
pool of worker processes (fresh interpreters, not forks of the server). Each worker opens a
committed generation's store with ``pyoxigraph.Store.read_only``: committed generations are
never written again (an ingest builds the next one beside it), so the writer and the readers
never share live files. When a new generation is committed the workers are replaced. A worker that runs past
``Settings.endpoint_timeout`` is killed and replaced, and the caller gets
:class:`~core.errors.QueryTimeoutError`; other requests keep being served. A worker's
address space is capped (``Settings.endpoint_memory_mb``, RLIMIT_AS); one that dies answers 503
(:class:`QueryWorkerError`). At most ``workers + queue`` queries are admitted at once, the rest
get 503 with Retry-After at once. Results are capped at ``Settings.endpoint_limit`` rows (or
triples); a cut result says so (``QueryAnswer.truncated``, and ``"truncated": true`` in JSON).

With ``store="sparql"`` queries are forwarded to ``Settings.sparql_query_url`` with the
same checks and time limit.

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

import atexit
import contextlib
import contextvars
import os
import queue as queue_module
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.errors import BadInputError, NotFoundError, PolicyKGError, QueryRefusedError, QueryTimeoutError
from core.options import EndpointOptions

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

#: Stack of the thread that parses and evaluates in a query process (deep but bounded recursion).
WORKER_STACK_BYTES = 256 * 1024 * 1024
#: Longest wait for a new query process to start (not counted in a query's time limit).
WORKER_START_TIMEOUT = 60.0
#: Extra wait for a free worker beyond the time limit: after a new generation the workers restart
#: (a few seconds on a loaded machine), and an admitted query waits for them rather than failing.
WORKER_QUEUE_GRACE = 15.0

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

#: Longest query text accepted, in characters (checked before anything else).
MAX_QUERY_CHARS = 100_000
#: Deepest nesting of ``{ ( [`` accepted. Real queries stay under 20; the parsers recurse per level
#: (oxigraph's crashed its process at ~3,000 levels, rdflib's at ~50 with Python's default limit).
MAX_NESTING = 64
#: Deepest parse tree (rdflib's nodes; each bracket level is up to ~10 of them) accepted.
MAX_TREE_DEPTH = 1200

# SPARQL applies \uXXXX / \UXXXXXXXX escapes to the whole query text before parsing.
_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Scanner: the next character that opens a token we must skip or count.
_INTERESTING = re.compile(r'"""|\'\'\'|["\'#<{}()\[\]]')
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_LONG_END = {'"""': re.compile(r'\\.|"""', re.S), "\'\'\'": re.compile(r"\\.|\'\'\'", re.S)}
_SHORT_END = {'"': re.compile(r'\\.|"|\n'), "\'": re.compile(r"\\.|\'|\n")}
_WORD = re.compile(r"(?<![\w:?$@-])([A-Za-z]+)(?![\w:-])")
# A SERVICE keyword followed by what can follow it (SILENT, an IRI, a variable, a prefixed name),
# whitespace and comments allowed between. Matched on the unescaped text, strings included: a belt
# for a parser that reads the text differently from rdflib (the parse-tree check is the rule).
_WS = r"(?:\s|#[^\n]*(?:\n|$))*"
_SERVICE_CLAUSE = re.compile(rf"(?i)(?<![\w:/#.\-])SERVICE{_WS}(?:SILENT\b{_WS})?(?:<[^<>\s]*>|[?$]\w+|[\w\-]*:[\w\-.%]*){_WS}\{{")


def unescape_codepoints(query: str) -> str:
    r"""Apply SPARQL's ``\u`` / ``\U`` escapes, as both parsers do before reading the grammar.

    >>> unescape_codepoints("\\u0053ERVICE")
    'SERVICE'
    """
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _UNICODE_ESCAPE.sub(one, query) if "\\" in query else query


def scan(query: str) -> tuple[str, int]:
    """One linear pass: the text with strings, IRIs and comments blanked, and the deepest nesting.

    Each character is looked at a bounded number of times whatever the input (an unterminated
    string or IRI runs to the end of the text), so a hostile query cannot make the check slow.

    >>> scan("SELECT * { ?s ?p 'a{{' } # {")
    ('SELECT * { ?s ?p   }  ', 1)
    """
    out: list[str] = []
    depth = deepest = 0
    pos, n = 0, len(query)
    while pos < n:
        m = _INTERESTING.search(query, pos)
        if m is None:
            out.append(query[pos:])
            break
        out.append(query[pos:m.start()])
        tok, pos = m.group(), m.end()
        if tok in _LONG_END or tok in _SHORT_END:
            table = _LONG_END if tok in _LONG_END else _SHORT_END
            end = pos
            for e in table[tok].finditer(query, pos):
                if e.group() == tok or e.group() == "\n":
                    end = e.end()
                    break
            else:
                end = n
            pos = end
            out.append(" ")
        elif tok == "#":
            nl = query.find("\n", pos)
            pos = n if nl < 0 else nl
            out.append(" ")
        elif tok == "<":
            iri = _IRIREF.match(query, m.start())
            if iri:
                pos = iri.end()
                out.append(" ")
            else:
                out.append(tok)
        else:
            out.append(tok)
            if tok in "{([":
                depth += 1
                deepest = max(deepest, depth)
            else:
                depth = max(0, depth - 1)
    return "".join(out), deepest


def precheck(query: str) -> str:
    """The bounds checked before a query reaches a parser: emptiness, size, nesting; the first keyword.

    Linear in the query's length. Raises :class:`BadInputError` (empty, too long, too deep, not
    a query) or :class:`QueryRefusedError` (an update, or a SERVICE clause seen in the text).
    """
    if not query or not query.strip():
        raise BadInputError("Empty SPARQL query. Pass it as ?query=..., a form field query=, or an "
                            "application/sparql-query body, e.g. SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    if len(query) > MAX_QUERY_CHARS:
        raise BadInputError(f"SPARQL query of {len(query):,} characters is too long (limit {MAX_QUERY_CHARS:,}). "
                            "Shorten it, e.g. fetch a subset with LIMIT and query again.")
    text = unescape_codepoints(query)
    blanked, deepest = scan(text)
    if deepest > MAX_NESTING:
        raise BadInputError(f"SPARQL query nested {deepest} levels deep (limit {MAX_NESTING} levels of "
                            "{ ( [ ). Flatten it: join the groups, or split it into several queries.")
    words = [w.upper() for w in _WORD.findall(blanked)]
    if "SERVICE" in words or _SERVICE_CLAUSE.search(text):
        raise QueryRefusedError(_SERVICE_REFUSED)
    first = next((w for w in words if w in QUERY_FORMS or w in UPDATE_KEYWORDS), None)
    if first in UPDATE_KEYWORDS:
        raise QueryRefusedError(
            f"The SPARQL endpoint is read-only: this request is a SPARQL Update ({first}) and was not run. "
            f"Only {', '.join(QUERY_FORMS)} queries are accepted; to change the graph run `policykg ingest`."
        )
    if first is None:
        raise BadInputError(f"Not a SPARQL query: no {', '.join(QUERY_FORMS)} found in {query[:80]!r}.")
    return first


_SERVICE_REFUSED = ("SERVICE is not allowed: this endpoint does not make outbound requests to other "
                    "SPARQL endpoints. Remove the SERVICE clause and query the local graph only.")


def check_query(query: str) -> str:
    """Refuse updates and ``SERVICE``; return the query form (SELECT, ASK, CONSTRUCT, DESCRIBE).

    The bounds of :func:`precheck` first, then a full parse (rdflib's SPARQL 1.1 grammar): any
    ``SERVICE`` in the parse tree is refused, as is a tree deeper than ``MAX_TREE_DEPTH``. The
    parse recurses per nesting level and per triple, so call it where the recursion limit is raised
    and the time is bounded (the query workers do).

    Raises:
        BadInputError: empty, too long, too deep, a syntax error, or no query form.
        QueryRefusedError: an update operation or a ``SERVICE`` clause.
    """
    form = precheck(query)
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(query)
    except ParseBaseException as exc:
        raise QuerySyntaxError(f"SPARQL syntax error at {exc.lineno}:{exc.col}: {exc.msg}") from None
    except RecursionError:
        raise BadInputError("SPARQL query too complex to parse (nesting or a very long group). "
                            "Split it into several queries.") from None
    names, depth = _tree_names(tree)
    if "ServiceGraphPattern" in names:
        raise QueryRefusedError(_SERVICE_REFUSED)
    if depth > MAX_TREE_DEPTH:
        raise BadInputError(f"SPARQL query too deeply nested ({depth} levels in its parse tree, limit "
                            f"{MAX_TREE_DEPTH}). Flatten or split it.")
    return form


class QuerySyntaxError(BadInputError):
    """A query the SPARQL grammar does not accept."""


def _oxigraph_message(query: str) -> str | None:
    """Oxigraph's own syntax message for a query rdflib refused (more precise: it names what was expected).

    Evaluates on an empty in-memory store, so call it only in a process without network
    (:func:`isolate_network`). None if Oxigraph accepts the query.
    """
    import pyoxigraph

    try:
        result = pyoxigraph.Store().query(query)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            next(iter(result), None)
    except SyntaxError as exc:
        return str(exc)
    except Exception:  # noqa: BLE001 - only the message is wanted
        return None
    return None


def _tree_names(tree) -> tuple[set[str], int]:
    """Names of every node in an rdflib parse tree and its depth (iterative: no recursion)."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    names: set[str] = set()
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if isinstance(node, CompValue):
            names.add(node.name)
            stack.extend((v, d + 1) for v in node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend((v, d + 1) for v in node)
        elif isinstance(node, dict):
            stack.extend((v, d + 1) for v in node.values())
    return names, deepest


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


class QueryAnswer(tuple):
    """``(body, media type)`` of a query, with ``truncated``: True when the row limit cut the result."""

    truncated: bool

    def __new__(cls, body: bytes, media: str, truncated: bool = False):
        self = super().__new__(cls, (body, media))
        self.truncated = truncated
        return self


class QueryWorkerError(PolicyKGError):
    """The query process stopped (memory limit, crash) while running a query; it was replaced."""

    status = 503
    retry_after = 1


class EndpointBusyError(QueryTimeoutError):
    """Every query worker is busy and the waiting line is full."""

    status = 503
    retry_after = 2


class _Worker:
    """One query process (a fresh interpreter, not a fork of the server) with its pipe.

    ``store_path`` None: a worker that only checks queries (store=sparql forwards them).
    """

    def __init__(self, store_path: str | None, memory_mb: int = 0) -> None:
        from multiprocessing.connection import Connection

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env.setdefault("MALLOC_ARENA_MAX", "2")  # few malloc arenas: address space tracks real use under the cap
        code = "import sys; from graph.endpoint import worker_main; worker_main(*sys.argv[1:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, str(to_child_r), str(from_child_w), store_path or "", str(memory_mb)],
            pass_fds=(to_child_r, from_child_w), env=env, stdin=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self.path = store_path
        self.ready = self.used = False
        self.isolated: bool | None = None

    def wait_ready(self, timeout: float = WORKER_START_TIMEOUT) -> None:
        """Wait for the process to finish starting (imports, sandbox), outside any query's time limit."""
        if self.ready:
            return
        if not self._recv.poll(timeout):
            raise TimeoutError
        _, self.isolated = self._recv.recv()
        self.ready = True

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, message: tuple, timeout: float) -> tuple:
        """Send one request; raise TimeoutError if no answer within ``timeout`` seconds."""
        self._send.send(message)
        if not self._recv.poll(max(0.0, timeout)):
            raise TimeoutError
        return self._recv.recv()

    def kill(self) -> int | None:
        """Stop the process; its exit status (negative: the signal that ended it)."""
        if self.alive():
            self.process.kill()
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL is not ignored
            code = None
        self._send.close()
        self._recv.close()
        return code


class SparqlEndpoint:
    """Read-only, time-, memory- and row-limited SPARQL query execution over a pool of worker processes.

    Workers open a committed (immutable) generation's store read-only; when the caller passes a
    new store path (an ingest committed a new generation) idle workers are replaced, busy ones
    when they finish. A worker past the time limit is killed and replaced; one that dies (its
    memory cap, a crash in the engine) is replaced and the caller gets a 503. At most
    ``workers + queue`` queries are admitted at once; past that :class:`EndpointBusyError` (503 with
    Retry-After) answers at once, so waiting queries never hold the server's threads.

    Args:
        settings: uses ``store``, ``sparql_query_url``, ``endpoint_timeout``, ``endpoint_limit``.
        workers: number of query processes.
        queue: queries that may wait for a worker beyond those running.
        memory_mb: address space each worker process may add once started (0: no cap; default ``endpoint_memory_mb``).
    """

    def __init__(self, settings: EndpointOptions, *, workers: int = 2, queue: int | None = None,
                 memory_mb: int | None = None) -> None:
        self.settings = settings
        self.timeout = settings.endpoint_timeout
        self.limit = settings.endpoint_limit
        self.n_workers = max(1, workers)
        self.memory_mb = settings.endpoint_memory_mb if memory_mb is None else memory_mb
        self.capacity = self.n_workers + (2 * self.n_workers if queue is None else max(0, queue))
        self._admitted = threading.BoundedSemaphore(self.capacity)
        self._lock = threading.Lock()
        self._idle: queue_module.Queue[_Worker] = queue_module.Queue()
        self._path: str | None = None
        self._used = False
        self._closed = False

    def query(self, store_path: str | Path | None, query: str, accept: str | None = None) -> QueryAnswer:
        """Run a read-only query on the store at ``store_path``; return (body, media type).

        Raises:
            QueryRefusedError: update or SERVICE.  BadInputError: too long, too deep, syntax error.
            EndpointBusyError: every worker busy and the line full (503, retry).
            QueryTimeoutError: past the time limit.  QueryWorkerError: the worker died (503).
        """
        form = precheck(query)  # linear; the parse itself runs in a worker, time-bounded
        external = self.settings.store == "sparql"
        if not external and (store_path is None or not (Path(store_path) / "CURRENT").exists()):
            raise NotFoundError("The graph is empty: nothing has been ingested yet. Run `policykg ingest PATH`.")
        with contextlib.nullcontext() if _ADMITTED.get() else self.admission():
            if external:
                self._run(None, query, None, check_only=True)
                return self._forward(query, accept, form)
            return self._run(str(store_path), query, accept)

    @contextlib.contextmanager
    def admission(self):
        """Hold one of the ``capacity`` places, or raise :class:`EndpointBusyError` at once.

        The API takes the place on its event loop before handing the query to a thread, so a
        burst of queries never fills the server's thread pool; :meth:`query` then does not take
        a second one (a context variable says it is held).
        """
        if not self._admitted.acquire(blocking=False):
            raise EndpointBusyError(
                f"The SPARQL endpoint is busy: {self.capacity} queries are running or waiting. "
                f"Retry in a few seconds.")
        token = _ADMITTED.set(True)
        try:
            yield
        finally:
            _ADMITTED.reset(token)
            self._admitted.release()

    def _run(self, path: str | None, query: str, accept: str | None, check_only: bool = False) -> QueryAnswer:
        self._use(path)
        deadline = time.monotonic() + self.timeout
        wait = self.timeout + WORKER_QUEUE_GRACE  # admission bounds who waits; a switch restarts workers
        try:
            worker = self._idle.get(timeout=wait)
        except queue_module.Empty:
            raise EndpointBusyError(f"The SPARQL endpoint is busy: no worker became free within "
                                    f"{wait:g} s. Retry later.") from None
        if worker.path != self._path or not worker.alive():
            worker.kill()
            worker = self._spawn()
        try:
            worker.wait_ready()
            deadline = max(deadline, time.monotonic() + self.timeout) if not worker.used else deadline
            worker.used = True
            reply = worker.ask((query, accept, self.limit, check_only), deadline - time.monotonic())
        except (TimeoutError, EOFError, OSError) as exc:
            code = worker.kill()
            self._release(self._spawn())
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(
                    f"The SPARQL query ran past the time limit of {self.timeout:g} s and was stopped. "
                    f"Narrow it (add LIMIT, bind variables) or raise POLICYKG_ENDPOINT_TIMEOUT.") from None
            cause = (f"it used more than the {self.memory_mb} MB memory limit of a query process"
                     if code in (-6, -9, 1, 134) and self.memory_mb else "its query process stopped")
            raise QueryWorkerError(f"The SPARQL query could not be answered: {cause} (exit status {code}); "
                                   "the process was replaced. Narrow the query (LIMIT, fewer joins) and retry.") \
                from None
        self._release(worker)
        status, a, b, *rest = reply
        if status == "ok":
            return QueryAnswer(a, b, bool(rest and rest[0]))
        if status == "syntax":
            raise BadInputError(f"SPARQL syntax error: {a}")
        if status == "bad":
            raise BadInputError(a)
        if status == "refused":
            raise QueryRefusedError(a)
        if status == "memory":
            raise QueryWorkerError(f"The SPARQL query could not be answered: it used more than the {self.memory_mb} MB "
                                   "memory limit of a query process. Narrow it (LIMIT, fewer joins) and retry.")
        raise QueryWorkerError(f"SPARQL evaluation failed: {a}")

    def close(self) -> None:
        """Stop the workers."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue_module.Empty:
                break

    def _spawn(self) -> _Worker:
        return _Worker(self._path, self.memory_mb)

    def _use(self, path: str | None) -> None:
        if self._used and path == self._path:
            return
        with self._lock:
            if self._used and path == self._path:
                return
            self._path, self._used = path, True
            stale = []
            while True:
                try:
                    stale.append(self._idle.get_nowait())
                except queue_module.Empty:
                    break
            for w in stale:
                w.kill()
            for _ in range(self.n_workers if not stale else len(stale)):
                self._idle.put(self._spawn())

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        elif worker.path != self._path:
            worker.kill()
            self._idle.put(self._spawn())
        else:
            self._idle.put(worker)

    def _forward(self, query: str, accept: str | None, form: str) -> QueryAnswer:
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
_ADMITTED: contextvars.ContextVar[bool] = contextvars.ContextVar("sparql_admitted", default=False)


def endpoint_for(settings: EndpointOptions) -> SparqlEndpoint:
    """The worker pool of this process for ``settings`` (one per process and settings, reused)."""
    key = (settings.store, settings.sparql_query_url, settings.endpoint_timeout, settings.endpoint_limit,
           settings.endpoint_memory_mb)
    with _ENDPOINTS_LOCK:
        endpoint = _ENDPOINTS.get(key)
        if endpoint is None:
            if not _ENDPOINTS:
                atexit.register(shutdown)
            endpoint = _ENDPOINTS[key] = SparqlEndpoint(settings)
    return endpoint


def run_query(settings: EndpointOptions, store_path: str | Path | None, query: str,
              accept: str | None = None) -> QueryAnswer:
    """Run a read-only SPARQL query with the limits of ``settings``; return (body, media type).

    One worker pool per process and settings is kept and reused (see :class:`SparqlEndpoint`).
    The answer's ``truncated`` is True when the row limit cut the result.
    """
    return endpoint_for(settings).query(store_path, query, accept)


def shutdown() -> None:
    """Stop every worker process started by :func:`run_query`."""
    with _ENDPOINTS_LOCK:
        for endpoint in _ENDPOINTS.values():
            endpoint.close()
        _ENDPOINTS.clear()


# -- worker process -----------------------------------------------------------------------------
def isolate_network() -> bool:
    """Move this process into a new, empty network namespace: no interface, so no connection anywhere.

    Oxigraph evaluates ``SERVICE`` by making HTTP requests and has no switch to turn that off;
    inside an empty namespace every ``connect`` fails (ENETUNREACH), whatever reaches the engine.
    Needs root or unprivileged user namespaces; returns False when neither is allowed.
    """
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        return False
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    if libc.unshare(clone_newnet) == 0:
        return True
    return libc.unshare(clone_newuser | clone_newnet) == 0


def limit_memory(megabytes: int) -> None:
    """Cap this process's address space (RLIMIT_AS) at ``megabytes`` more than it uses now.

    Past it allocations fail instead of growing. What is already mapped (thread stacks, the
    store's background threads and caches) is not counted against the query.
    """
    import resource

    if megabytes > 0:
        vm_kb = 0
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    vm_kb = int(line.split()[1])
        cap = vm_kb * 1024 + megabytes * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def worker_main(read_fd: str, write_fd: str, store_path: str, memory_mb: str = "0") -> None:  # pragma: no cover
    """Serve queries read from ``read_fd`` against a read-only store until the pipe closes.

    Before anything else the process leaves the network (:func:`isolate_network`); the parser and
    the engine then run in a thread with a large stack and a raised recursion limit, under the
    memory cap, so a deep or huge query fails with an error message instead of a crash.
    """
    isolated = isolate_network()
    if not isolated:
        print("policykg: warning: the SPARQL worker could not leave the network (no namespaces allowed); "
              "SERVICE is still refused by the query check.", file=sys.stderr)
    sys.setrecursionlimit(200_000)
    threading.stack_size(WORKER_STACK_BYTES)
    th = threading.Thread(target=_serve, args=(read_fd, write_fd, store_path, isolated, int(memory_mb or 0)),
                          name="query")
    th.start()
    th.join()


def _serve(read_fd: str, write_fd: str, store_path: str, isolated: bool, memory_mb: int) -> None:  # pragma: no cover - child process
    from multiprocessing.connection import Connection

    import pyoxigraph

    conn_in, conn = Connection(int(read_fd), writable=False), Connection(int(write_fd), readable=False)
    store, open_error = None, None
    if store_path:
        try:
            store = pyoxigraph.Store.read_only(store_path)
        except OSError as exc:
            open_error = str(exc)
    check_query("ASK {}")  # builds the grammar's caches before the first real query
    limit_memory(memory_mb)  # the store is open, its threads started: cap what queries add
    conn.send(("ready", isolated))
    while True:
        try:
            query, accept, limit, check_only = conn_in.recv()
        except (EOFError, OSError):
            return
        try:
            check_query(query)
            if check_only:
                conn.send(("ok", b"", "", False))
                continue
            if store is None:
                conn.send(("error", f"cannot open the graph store snapshot: {open_error}", None))
                continue
            answer = evaluate(store, query, accept, limit)
            conn.send(("ok", answer[0], answer[1], answer.truncated))
        except QueryRefusedError as exc:
            conn.send(("refused", str(exc), None))
        except QuerySyntaxError as exc:
            better = _oxigraph_message(query) if isolated else None
            conn.send(("syntax", better, None) if better else ("bad", str(exc), None))
        except BadInputError as exc:
            conn.send(("bad", str(exc), None))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc), None))
        except MemoryError:
            conn.send(("memory", "", None))
        except Exception as exc:  # noqa: BLE001 - report any evaluation error to the parent
            conn.send(("error", f"{type(exc).__name__}: {str(exc)[:300]}", None))


def evaluate(store, query: str, accept: str | None, limit: int) -> QueryAnswer:
    """Evaluate ``query`` on a pyoxigraph store and serialise at most ``limit`` rows.

    >>> import pyoxigraph as ox
    >>> st = ox.Store()
    >>> st.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("甲", language="zh")))
    >>> evaluate(st, "SELECT ?o WHERE { ?s ?p ?o }", "text/csv", 10)[0].decode().splitlines()
    ['o', '甲']
    """
    result = store.query(query, use_default_graph_as_union=True)
    return serialise(result, accept, limit)


def serialise(result, accept: str | None, limit: int, form: str | None = None) -> QueryAnswer:
    """Write a query result (solutions, boolean, or an iterable of triples) in the negotiated format, capped at ``limit``.

    One row past the limit is read to tell a cut result (``truncated``) from one that fits.
    """
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        fmt, media = negotiate(accept, "ASK")
        return QueryAnswer(_write_results(fmt, [], [], bool(result)), media)
    if isinstance(result, pyoxigraph.QueryTriples) or form in ("CONSTRUCT", "DESCRIBE"):
        fmt, media = negotiate(accept, "CONSTRUCT")
        triples = [t for _, t in zip(range(limit + 1), result)]
        truncated = len(triples) > limit
        rdf = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "rdfxml": pyoxigraph.RdfFormat.RDF_XML, "jsonld": pyoxigraph.RdfFormat.JSON_LD}[fmt]
        return QueryAnswer(pyoxigraph.serialize(triples[:limit], format=rdf) or b"", media, truncated)
    fmt, media = negotiate(accept, "SELECT")
    names = [v.value for v in result.variables]
    rows = [[sol[v] for v in result.variables] for _, sol in zip(range(limit + 1), result)]
    truncated = len(rows) > limit
    return QueryAnswer(_write_results(fmt, names, rows[:limit], None, truncated), media, truncated)


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


def _write_results(fmt: str, names: list[str], rows: list[list], boolean: bool | None,
                   truncated: bool = False) -> bytes:
    import csv
    import io
    import json
    from xml.sax.saxutils import escape, quoteattr

    if fmt == "json":
        doc: dict = {"head": {"vars": names} if boolean is None else {}}
        if boolean is None:
            doc["results"] = {"bindings": [{n: _term_json(t) for n, t in zip(names, row) if t is not None}
                                           for row in rows]}
            doc["truncated"] = truncated  # policykg: True when the row limit cut the result
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
