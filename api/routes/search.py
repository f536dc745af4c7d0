"""Free-text search over measures."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from api.deps import ServiceDep
from api.lanes import lane
from api.routes.params import FilterDep, Offset
from api.routes.schemas import SearchResponse
from policykg.choices import SearchMode

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse)
async def search(
    request: Request,
    service: ServiceDep,
    flt: FilterDep,
    q: str = Query(..., min_length=1, max_length=500, description="Question or keywords, Chinese or English."),
    k: int = Query(10, ge=1, le=100, description="Number of results."),
    mode: SearchMode = Query("hybrid", description="Retrieval mode."),
    offset: int = Offset,
    in_force_on: str | None = Query(None, description="Only documents in force on this day (YYYY-MM-DD)."),
) -> dict:
    """Search measures: BM25 over jieba tokens, dense embeddings and the graph, fused.

    A question naming an organisation ("哪些措施涉及河北软件职业技术学院") is answered by graph
    traversal. Every result says why it matched (`why`: linked entities, matched terms, scores)
    and quotes its evidence. A query with no close match answers no results and
    `why: "no_close_match"`. The filters (document, issuing body, type, dates, entity type, role)
    apply to the best 100 hits, and `total` then counts those that pass; `offset` pages.
    A few searches run at once; the rest wait their turn (503 with `Retry-After` when too many wait).
    """
    return await lane(request, "search").run(service.search, q, k=k, mode=mode, offset=offset,
                                             in_force_on=in_force_on, flt=flt, model=SearchResponse)
