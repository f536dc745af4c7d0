"""Entities (organisations, places, industries, programmes) and the measures that involve them."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Response

from api.deps import ServiceDep
from api.lanes import inline_or_thread
from api.routes.params import TOTAL_HEADER, FilterDep, Offset, paged
from api.routes.schemas import EntityDetail, EntitySummary, Graph, InvolvingResponse, Result

router = APIRouter(tags=["entities"])

REF = Path(description="Entity key, IRI, or name (Chinese, alias or English).")
OFFSET = Query(0, ge=0, description="Skip this many measures of the answer (sorted by document and ordinal).")
LIMIT = Query(None, ge=1, le=10000, description="Return at most this many measures (default: all).")


@router.get("/entities", response_model=list[EntitySummary])
async def list_entities(
    service: ServiceDep,
    response: Response,
    q: str | None = Query(None, max_length=200, description="Part of a label in any language."),
    type: str | None = Query(None, max_length=50, description="Entity type, e.g. vocational_college."),
    document: str | None = Query(None, max_length=200, description="Only entities named in this document."),
    offset: int = Offset,
    limit: int = Query(50, ge=1, le=1000),
) -> list[dict]:
    """Entities whose Chinese label, English label or alias contains `q`, most involved first.

    The X-Total-Count header gives how many match before paging (`offset`, `limit`).
    """
    total, page = await inline_or_thread(service.cheap_entities(document), None, service.entities_page, q=q,
                                         type=type, document=document, offset=offset, limit=limit)
    response.headers[TOTAL_HEADER] = str(total)
    return page


@router.get("/entities/{ref:path}/measures", response_model=list[Result])
def entity_measures(service: ServiceDep, response: Response, flt: FilterDep, ref: str = REF, offset: int = Offset,
                    limit: int | None = Query(None, ge=1, le=1000, description="At most this many (default all).")
                    ) -> list[dict]:
    """Every measure that involves the entity, with its roles and evidence (filtered, paged; total in X-Total-Count)."""
    if not flt.active:
        found = service.entity(ref, offset=offset, limit=limit)
        response.headers[TOTAL_HEADER] = str(found["measures_total"])
        return found["measures"]
    found = service.refine(service.entity(ref)["measures"], flt)
    return paged(response, found["results"], offset, limit)


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
async def measures_involving(
    service: ServiceDep,
    flt: FilterDep,
    involving: str = Query(..., min_length=1, max_length=200, description="Entity name, alias or English name."),
    offset: int = Offset,
    limit: int | None = LIMIT,
    in_force_on: str | None = Query(None, description="Only documents in force on this day (YYYY-MM-DD)."),
) -> dict:
    """Which measures involve X: the exact set, by graph traversal (not ranking).

    `total` counts every measure that matches (after the filters); `offset` and `limit` page through them
    (default: all of it).
    """
    cheap = not flt.active and in_force_on is None and service.cheap_involving(involving, limit)
    return await inline_or_thread(cheap, InvolvingResponse, service.measures_involving, involving, offset=offset,
                                  limit=limit, in_force_on=in_force_on, flt=flt)
