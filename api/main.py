"""The FastAPI application: wiring only (routers, lifespan, error handlers, the web page).

>>> app = create_app()
>>> [p for p in app.openapi()["paths"] if p.startswith(("/health", "/sparql"))]
['/health', '/sparql']
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

import policykg
from api import errors
from api.lanes import Lanes
from api.limits import RequestLimits
from api.routes import documents, entities, export, meta, relations, search, sparql, tasks
from policykg.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger(__name__)


def _warm(service) -> None:
    """``service.warm()``; a failure only means the first requests build what it would have."""
    try:
        service.warm()
    except Exception as exc:  # noqa: BLE001  (logged: a request that needs it builds it and reports the error)
        log.warning("warm-up after start-up failed: %s: %s", type(exc).__name__, exc)

DESCRIPTION = """Search and explore Chinese government policy documents as a knowledge graph.

Every error answers with one JSON shape: `{"error": {"status": int, "type": str, "message": str, "message_zh": str}}`
(`message_zh`: the same in Chinese, for people). List routes take `offset`/`limit` and report the total
(`total` in the body, or the `X-Total-Count` header for plain lists).
The read-only SPARQL 1.1 endpoint is at `/sparql`; the web page at `/`."""


def create_app(settings: Settings | None = None, lanes: dict[str, tuple[int, int, float]] | None = None,
               opening: Future | None = None) -> FastAPI:
    """The application; the index is opened in the lifespan (never at import).

    ``lanes``: the admission lanes' (limit, queue, wait) by name (default ``api.lanes.LANES``).
    ``opening``: the service already being opened for ``settings`` (``api.early.open_in_thread``),
    which the lifespan then waits for instead of opening its own.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from policykg.service import PolicyKG
        from policykg.settings import get_settings

        app.state.lanes = Lanes(lanes)  # in the server's event loop
        app.state.service = opening.result() if opening is not None else PolicyKG.open(settings or get_settings())
        # the first search would build the tokenizer, the first entity list its table: done meanwhile
        threading.Thread(target=_warm, args=(app.state.service,), name="policykg-warm-up", daemon=True).start()
        try:
            yield
        finally:
            service, app.state.service = app.state.service, None
            service.close()

    app = FastAPI(title="policykg", version=policykg.__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    app.state.service = None
    errors.install(app)
    app.add_middleware(RequestLimits)
    for module in (search, documents, entities, tasks, export, meta, sparql, relations):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the app's own static files (works offline)."""
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="policykg · 接口文档",
                                   swagger_js_url="/static/vendor/swagger_ui/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger_ui/swagger-ui.css",
                                   swagger_favicon_url="/static/vendor/swagger_ui/favicon-32x32.png",
                                   swagger_ui_parameters={"validatorUrl": None, "tryItOutEnabled": False})

    return app
