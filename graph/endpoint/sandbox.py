"""The query process of the SPARQL endpoint: out of the network, under a memory cap, serving one pipe.

A query process is a fresh interpreter started by :class:`graph.endpoint.pool.SparqlEndpoint`.
It leaves the network first (:func:`isolate_network`: an empty network namespace, so the engine
cannot reach any address even if a ``SERVICE`` got past the check), opens a committed
generation's store read-only, caps its address space (:func:`limit_memory`) and then answers
``(query, accept, limit, check_only)`` requests with ``(status, ...)`` replies until the pipe closes.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict

from core.errors import BadInputError, QueryRefusedError
from graph.endpoint.check import QuerySyntaxError, check_query
from graph.endpoint.results import evaluate

#: Stack of the thread that parses and evaluates in a query process (deep but bounded recursion).
WORKER_STACK_BYTES = 256 * 1024 * 1024
#: Queries whose check passed, remembered per query process (the verdict depends on the text alone, and
#: the full parse costs ~2 ms of CPU: tools send the same lookups again and again). Only short texts.
CHECKED_MAX, CHECKED_MAX_CHARS = 512, 4000
_checked: OrderedDict[str, None] = OrderedDict()


def checked(query: str) -> None:
    """:func:`~graph.endpoint.check.check_query`, once per text accepted (refusals are checked every time)."""
    if query in _checked:
        _checked.move_to_end(query)
        return
    check_query(query)
    if len(query) <= CHECKED_MAX_CHARS:
        _checked[query] = None
        if len(_checked) > CHECKED_MAX:
            _checked.popitem(last=False)


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
        conn.send(_answer(store, open_error, isolated, query, accept, limit, check_only))


def _answer(store, open_error: str | None, isolated: bool, query: str, accept: str | None, limit: int,
            check_only: bool) -> tuple:  # pragma: no cover - child process
    """The reply to one request: ``("ok", body, media type, truncated)`` or ``(status, message, None)``."""
    try:
        checked(query)
        if check_only:
            return ("ok", b"", "", False)
        if store is None:
            return ("error", f"cannot open the graph store snapshot: {open_error}", None)
        answer = evaluate(store, query, accept, limit)
        return ("ok", answer[0], answer[1], answer.truncated)
    except QueryRefusedError as exc:
        return ("refused", str(exc), None)
    except QuerySyntaxError as exc:
        better = _oxigraph_message(query) if isolated else None
        return ("syntax", better, None) if better else ("bad", str(exc), None)
    except BadInputError as exc:
        return ("bad", str(exc), None)
    except SyntaxError as exc:
        return ("syntax", str(exc), None)
    except MemoryError:
        return ("memory", "", None)
    except Exception as exc:  # noqa: BLE001 - any evaluation error goes back to the server as a 503 with its message
        return ("error", f"{type(exc).__name__}: {str(exc)[:300]}", None)


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
