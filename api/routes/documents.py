"""Documents, their structure, and their measures."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query, Response

from api.deps import ServiceDep
from api.routes.params import DocumentFilterDep, FilterDep, Offset, paged
from api.routes.schemas import DocumentDetail, DocumentSummary, DocumentText, MeasureDetail, Result
from policykg.service import EXPORT_FORMATS

router = APIRouter(prefix="/documents", tags=["documents"])

KEY = Path(description="Document key: 发文字号 (e.g. 冀政字〔2021〕61号), title, or sha1:… key.")


@router.get("", response_model=list[DocumentSummary])
def list_documents(service: ServiceDep, response: Response, flt: DocumentFilterDep, offset: int = Offset,
                   limit: int | None = Query(None, ge=1, le=10000, description="At most this many (default all)."),
                   in_force_on: str | None = Query(None, description="Only documents in force on this day (YYYY-MM-DD).")
                   ) -> list[dict]:
    """Every ingested document with its 发文字号, title, date, kind, issuing bodies and number of measures.

    Filtered by issuing body, type, date range and validity on a day; the X-Total-Count header counts them
    before paging.
    """
    return paged(response, service.documents(flt, in_force_on=in_force_on), offset, limit)


@router.get("/{key}/measures/{ref}", response_model=MeasureDetail)
def get_measure(service: ServiceDep, key: str = KEY,
                ref: str = Path(..., min_length=1, max_length=200,
                                description="The measure's label, unique in its document (三（二）, 6., 第十条, 1.2), "
                                            "an item's (四（一）3.), a section's for its lead paragraph (三), "
                                            "or its 1-based ordinal.")) -> dict:
    """One measure: text, entity mentions (with spans, types and roles), targets, items, tasks and related measures."""
    return service.measure(key, ref)


@router.get("/{key}", response_model=DocumentDetail)
def get_document(service: ServiceDep, key: str = KEY) -> dict:
    """A document: metadata, sections with their measures, attachments, what it cites and what cites it."""
    return service.document(key)
