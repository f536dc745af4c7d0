"""Free-text search over measures."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import ServiceDep
from api.routes.params import FilterDep, Offset
from api.routes.schemas import SearchResponse

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchResponse)
def search(
    service: ServiceDep,
    flt: FilterDep,
    q: str = Query(..., min_length=1, max_length=500, description="Question or keywords, Chinese or English."),
    k: int = Query(10, ge=1, le=100, description="Number of results."),
    mode: Literal["hybrid", "bm25", "dense", "graph"] = Query("hybrid", description="Retrieval mode."),
    offset: int = Offset,
) -> dict:
    """Search measures: BM25 over jieba tokens, dense embeddings and the graph, fused.

    A question naming an organisation ("哪些措施涉及河北软件职业技术学院") is answered by graph
    traversal. The filters (document, issuing body, type, dates, entity type, role) and `offset` apply to
    the best 100 hits, and `total` then counts those that pass. Every result says why it matched (`why`: linked entities, matched terms, scores)
    and quotes its evidence.
    """
    if not flt.active and not offset:
        found = service.search(q, k=k, mode=mode)
        return found.to_dict() if hasattr(found, "to_dict") else found
    # filters and pages apply to the best 100 hits
    found = service.search(q, k=100, mode=mode)
    found = found.to_dict() if hasattr(found, "to_dict") else found
    found.update(service.refine(found["results"], flt, offset, k))
    return found
