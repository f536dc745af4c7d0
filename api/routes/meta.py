"""Health and statistics."""

from __future__ import annotations

from fastapi import APIRouter, Request

import policykg
from api.deps import ServiceDep
from api.routes.schemas import Health

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health)
async def health(request: Request, service: ServiceDep) -> dict:
    """Liveness: answers as soon as the index is loaded (cheap, no query, on the event loop: never waits
    behind other requests). `lanes`: per admission lane, requests running, waiting and refused so far,
    and the recent service time."""
    lanes = getattr(request.app.state, "lanes", None)
    return {"status": "ok", "version": policykg.__version__, **({"lanes": lanes.stats()} if lanes else {})}


@router.get("/stats", response_model=dict)
def stats(service: ServiceDep) -> dict:
    """Counts: documents, measures, entities by type, triples, the loaded generation and encoder."""
    return service.stats()


@router.get("/labels", response_model=dict[str, dict[str, str]])
def labels() -> dict:
    """Chinese names of roles, entity types, document types, task roles, link kinds, intents, scores and sort orders."""
    from policykg.labels import TABLES

    return TABLES
