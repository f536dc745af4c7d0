"""Query parameters shared by the list routes: result filters and paging.

The filter dependencies are coroutines (cheap checks): FastAPI runs them on the event loop instead of
handing each to a thread of the pool.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Response

from policykg.filters import SORTS, ResultFilter
from policykg.labels import ENTITY_TYPE_ZH, KIND_ZH, ROLE_ZH

TOTAL_HEADER = "X-Total-Count"


async def result_filter(
    document: str | None = Query(None, max_length=200, description="Only this document: key, 发文字号 or title."),
    issuer: str | None = Query(None, max_length=200, description="Only documents issued by this body (name or IRI)."),
    kind: str | None = Query(None, max_length=20, description="Document type: " + ", ".join(KIND_ZH) + "."),
    date_from: str | None = Query(None, max_length=20, description="Documents dated on or after: 2019, 2019-06, 2019-06-30."),
    date_to: str | None = Query(None, max_length=20, description="Documents dated on or before."),
    entity_type: str | None = Query(None, max_length=40, description="Measures naming an entity of this type: "
                                    + ", ".join(ENTITY_TYPE_ZH) + "."),
    role: str | None = Query(None, max_length=40, description="Measures giving an entity this role: "
                             + ", ".join(ROLE_ZH) + "."),
    sort: str | None = Query(None, max_length=20, description="Order: " + ", ".join(SORTS) + " (default relevance)."),
) -> ResultFilter:
    return ResultFilter.parse(document=document, issuer=issuer, kind=kind, date_from=date_from, date_to=date_to,
                              entity_type=entity_type, role=role, sort=sort)


FilterDep = Annotated[ResultFilter, Depends(result_filter)]
Offset = Query(0, ge=0, le=1_000_000, description="Skip this many results (paging).")


def paged(response: Response, items: list, offset: int, limit: int | None) -> list:
    """``items[offset:offset+limit]``, with the total before paging in the X-Total-Count header."""
    from policykg.filters import page

    shown, total = page(items, offset, limit)
    response.headers[TOTAL_HEADER] = str(total)
    return shown


async def document_filter(
    issuer: str | None = Query(None, max_length=200, description="Issued by this body (name or IRI)."),
    kind: str | None = Query(None, max_length=20, description="Document type: " + ", ".join(KIND_ZH) + "."),
    date_from: str | None = Query(None, max_length=20, description="Dated on or after: 2019, 2019-06, 2019-06-30."),
    date_to: str | None = Query(None, max_length=20, description="Dated on or before."),
    sort: str | None = Query(None, max_length=20, description="Order: date (newest first) or date_asc."),
) -> ResultFilter:
    return ResultFilter.parse(issuer=issuer, kind=kind, date_from=date_from, date_to=date_to, sort=sort)


DocumentFilterDep = Annotated[ResultFilter, Depends(document_filter)]
