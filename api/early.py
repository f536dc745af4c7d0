"""The server's start-up in two threads: the index opens while the web framework loads.

``policykg serve`` binds its port, then imports uvicorn, FastAPI and the routes (~0.6 s) before the
application's lifespan opens the index (store, graph view, search indexes and query encoder, ~1.4 s
on the full corpus with embeddings). Much of the opening runs outside the interpreter lock (the
encoder's onnx session, the store's RocksDB files, reading the index files), so here it starts in a
thread first and the lifespan takes its result (``api.main.create_app(opening=...)``); an error of
the opening is raised there, as when the lifespan opened it itself.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from policykg.settings import Settings, get_settings


def open_in_thread(settings: Settings) -> Future:
    """``PolicyKG.open(settings)`` begun in a thread; the future gives the service or raises its error."""

    def run():
        from policykg.service import PolicyKG

        return PolicyKG.open(settings)

    pool = ThreadPoolExecutor(1, thread_name_prefix="policykg-open")
    try:
        return pool.submit(run)
    finally:
        pool.shutdown(wait=False)


def create_worker_app():
    """uvicorn's application factory in a worker process of ``policykg serve --workers N``: settings
    from the environment, the opening begun before ``api.main`` is imported."""
    settings = get_settings()
    opening = open_in_thread(settings)
    from api.main import create_app

    return create_app(settings, opening=opening)
