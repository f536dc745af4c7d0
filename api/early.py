"""The server's start-up in two threads: the index opens while the web framework loads.

``policykg serve`` binds its port, then imports FastAPI, uvicorn and the routes (~0.6 s) before the
application's lifespan opens the index (store, graph view, search indexes and query encoder, ~1.4 s
on the full corpus with embeddings). Part of the opening runs outside the interpreter lock (a thread
building the encoder's onnx session left a Python loop beside it two thirds of its speed), so here it
starts in a thread first and the application's lifespan takes its result
(``api.main.create_app(opening=...)``). No garbage collection runs meanwhile: with collections walking
the index's objects during the imports, the overlap made ``/health`` slower, not faster.
"""

from __future__ import annotations

import gc
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


def opened_app(settings: Settings):
    """The application with its index open: the opening begun before ``api.main`` is imported, the garbage
    collector off until both are done, then frozen, so later collections never walk what start-up made
    (the ~2,000 unreachable objects start-up leaves stay; collecting them first cost 0.1 s on the
    61-document index). An index that cannot be opened raises its error here, before any server starts."""
    gc.disable()
    try:
        opening = open_in_thread(settings)
        from api.main import create_app

        app = create_app(settings, opening=opening)
        opening.result()
        return app
    finally:
        gc.freeze()
        gc.enable()


def create_worker_app():
    """uvicorn's application factory in a worker process of ``policykg serve --workers N`` (settings from
    the environment): :func:`opened_app`."""
    return opened_app(get_settings())
