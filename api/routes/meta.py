"""Health and statistics."""

from __future__ import annotations

from fastapi import APIRouter

import policykg
from api.deps import ServiceDep
from api.routes.schemas import Health

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health)
def health(service: ServiceDep) -> dict:
    """Liveness: answers as soon as the index is loaded (cheap, no query)."""
    return {"status": "ok", "version": policykg.__version__}


@router.get("/stats", response_model=dict)
def stats(service: ServiceDep) -> dict:
    """Counts: documents, measures, entities by type, triples, the loaded generation and encoder."""
    return service.stats()


@router.get("/labels", response_model=dict[str, dict[str, str]])
def labels() -> dict:
    """Chinese names of roles, entity types, document types, task roles, link kinds, intents, scores and sort orders."""
    from policykg.labels import TABLES

    return TABLES
