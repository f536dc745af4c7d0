"""Documents, their structure, and their measures."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from api.deps import ServiceDep
from api.routes.schemas import DocumentDetail, DocumentSummary, MeasureDetail

router = APIRouter(prefix="/documents", tags=["documents"])

KEY = Path(description="Document key: 发文字号 (e.g. 冀政字〔2021〕61号), title, or sha1:… key.")


@router.get("", response_model=list[DocumentSummary])
def list_documents(service: ServiceDep, in_force_on: str | None = Query(
        None, description="Only documents in force on this day (YYYY-MM-DD).")) -> list[dict]:
    """Every ingested document with its 发文字号, title, date, kind and number of measures."""
    return service.documents(in_force_on=in_force_on) if in_force_on else service.documents()


@router.get("/{key}/measures/{ordinal}", response_model=MeasureDetail)
def get_measure(service: ServiceDep, key: str = KEY,
                ordinal: int = Path(..., ge=1, le=100000, description="1-based position of the measure.")) -> dict:
    """One measure: text, entity mentions (with spans, types and roles), targets, tasks and related measures."""
    return service.measure(key, ordinal)


@router.get("/{key}", response_model=DocumentDetail)
def get_document(service: ServiceDep, key: str = KEY) -> dict:
    """A document: metadata, sections with their measures, attachments, what it cites and what cites it."""
    return service.document(key)
