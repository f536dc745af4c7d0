"""The SPARQL endpoint's pool of query processes: admission, time limit, replacement of dead workers.

Embedded Oxigraph evaluation cannot be interrupted from Python, so queries run in a small pool
of worker processes (fresh interpreters, not forks of the server: :mod:`graph.endpoint.sandbox`).
Each worker opens a committed generation's store with ``pyoxigraph.Store.read_only``: committed
generations are never written again (an ingest builds the next one beside it), so the writer and
the readers never share live files. When a new generation is committed the workers are replaced.
A worker that runs past ``EndpointOptions.endpoint_timeout`` is killed and replaced, and the caller gets
:class:`~core.errors.QueryTimeoutError`; other requests keep being served. A worker's address
space is capped (``EndpointOptions.endpoint_memory_mb``); one that dies answers 503
(:class:`QueryWorkerError`). At most ``workers + queue`` queries are admitted at once, the rest
get 503 with Retry-After at once. The HTTP API keeps its queries in a lane in front of the pool
(``api.lanes``: as many running as there are workers, the others waiting briefly on the event loop,
with a deadline), so from there the pool's own refusal is a last resort.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import os
import queue as queue_module
import subprocess
import sys
import threading
import time
from pathlib import Path

from core.errors import BadInputError, NotFoundError, PolicyKGError, QueryRefusedError, QueryTimeoutError
from graph.endpoint.check import precheck
from graph.endpoint.forward import forward
from graph.endpoint.results import QueryAnswer
from core.options import EndpointOptions

#: Longest wait for a new query process to start (not counted in a query's time limit).
WORKER_START_TIMEOUT = 60.0
#: Extra wait for a free worker beyond the time limit: after a new generation the workers restart
#: (a few seconds on a loaded machine), and an admitted query waits for them rather than failing.
WORKER_QUEUE_GRACE = 15.0


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
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env.setdefault("MALLOC_ARENA_MAX", "2")  # few malloc arenas: address space tracks real use under the cap
        code = "import sys; from graph.endpoint.sandbox import worker_main; worker_main(*sys.argv[1:])"
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
                return forward(self.settings.sparql_query_url, query, accept, form, timeout=self.timeout,
                               limit=self.limit)
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
        return self._answer(reply)

    def _answer(self, reply: tuple) -> QueryAnswer:
        """The worker's reply (see :func:`graph.endpoint.sandbox._answer`) as an answer or an exception."""
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


