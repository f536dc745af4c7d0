"""Entities (organisations, places, industries, programmes) and the measures that involve them."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from api.deps import ServiceDep
from api.routes.schemas import EntityDetail, EntitySummary, Graph, InvolvingResponse, Result

router = APIRouter(tags=["entities"])

REF = Path(description="Entity key, IRI, or name (Chinese, alias or English).")
OFFSET = Query(0, ge=0, description="Skip this many measures of the answer (sorted by document and ordinal).")
LIMIT = Query(None, ge=1, le=10000, description="Return at most this many measures (default: all).")


@router.get("/entities", response_model=list[EntitySummary])
def list_entities(
    service: ServiceDep,
    q: str | None = Query(None, max_length=200, description="Part of a label in any language."),
    type: str | None = Query(None, max_length=50, description="Entity type, e.g. vocational_college."),
    limit: int = Query(50, ge=1, le=1000),
) -> list[dict]:
    """Entities whose Chinese label, English label or alias contains `q`, most involved first."""
    return service.entities(q=q, type=type, limit=limit)


@router.get("/entities/{ref:path}/measures", response_model=list[Result])
def entity_measures(service: ServiceDep, ref: str = REF, offset: int = OFFSET, limit: int | None = LIMIT) -> list[dict]:
    """The measures that involve the entity (all, or one page), with their roles and evidence."""
    return service.entity(ref, offset=offset, limit=limit)["measures"]


@router.get("/entities/{ref:path}/neighbourhood", response_model=Graph)
def entity_neighbourhood(service: ServiceDep, ref: str = REF,
                         depth: int = Query(1, ge=1, le=2, description="Hops from the entity.")) -> dict:
    """Nodes and edges around the entity in the graph (for drawing)."""
    return service.neighbourhood(ref, depth=depth)


@router.get("/entities/{ref:path}", response_model=EntityDetail)
def get_entity(service: ServiceDep, ref: str = REF, offset: int = OFFSET, limit: int | None = LIMIT) -> dict:
    """An entity: labels (zh, en, aliases), type, the measures involving it (roles, evidence; `measures_total`
    counts them all), tasks."""
    return service.entity(ref, offset=offset, limit=limit)


@router.get("/measures", response_model=InvolvingResponse, tags=["search"])
def measures_involving(
    service: ServiceDep,
    involving: str = Query(..., min_length=1, max_length=200, description="Entity name, alias or English name."),
    offset: int = OFFSET,
    limit: int | None = LIMIT,
    in_force_on: str | None = Query(None, description="Only documents in force on this day (YYYY-MM-DD)."),
) -> dict:
    """Which measures involve X: the exact set, by graph traversal (not ranking). `total` counts the whole set;
    `offset` and `limit` page through it (default: all of it)."""
    return service.measures_involving(involving, offset=offset, limit=limit, in_force_on=in_force_on)
