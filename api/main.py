"""The FastAPI application: wiring only (routers, lifespan, error handlers, the web page).

>>> app = create_app()
>>> [p for p in app.openapi()["paths"] if p.startswith(("/health", "/sparql"))]
['/health', '/sparql']
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

import policykg
from api import errors
from api.limits import RequestLimits
from api.routes import documents, entities, export, meta, relations, search, sparql, tasks
from policykg.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"

DESCRIPTION = """Search and explore Chinese government policy documents as a knowledge graph.

Every error answers with one JSON shape: `{"error": {"status": int, "type": str, "message": str}}`.
The read-only SPARQL 1.1 endpoint is at `/sparql`; the web page at `/`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The application; the index is opened in the lifespan (never at import)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from policykg.service import PolicyKG
        from policykg.settings import get_settings

        app.state.service = PolicyKG.open(settings or get_settings())
        try:
            yield
        finally:
            service, app.state.service = app.state.service, None
            service.close()

    app = FastAPI(title="policykg", version=policykg.__version__, description=DESCRIPTION, lifespan=lifespan)
    app.state.service = None
    errors.install(app)
    app.add_middleware(RequestLimits)
    for module in (search, documents, entities, tasks, export, meta, sparql, relations):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    return app
