"""Documents, their structure, and their measures."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Response

from api.deps import ServiceDep
from api.routes.params import DocumentFilterDep, FilterDep, Offset, paged
from api.routes.schemas import DocumentDetail, DocumentSummary, DocumentText, MeasureDetail, Result
from policykg.choices import EXPORT_FORMATS, RDF_FORMATS, ExportFormat

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


@router.get("/{key}/measures", response_model=list[Result])
def document_measures(service: ServiceDep, response: Response, flt: FilterDep, key: str = KEY, offset: int = Offset,
                      limit: int | None = Query(None, ge=1, le=10000, description="At most this many (default all).")
                      ) -> list[dict]:
    """The document's measures in order (filter by entity type or role; total in X-Total-Count)."""
    return paged(response, service.refine(service.document_measures(key), flt)["results"], offset, limit)


@router.get("/{key}/text", response_model=DocumentText)
def document_text(service: ServiceDep, key: str = KEY) -> dict:
    """The document's cleaned text, with the start and end offsets of every measure (evidence offsets index it)."""
    return service.document_text(key)


MEDIA = {name: (RDF_FORMATS[name].media_type, RDF_FORMATS[name].extension) for name in EXPORT_FORMATS}


@router.get("/{key}/export", response_class=Response,
            responses={200: {"content": {m: {} for m, _ in MEDIA.values()}, "description": "The document's graph."}})
def export_document(service: ServiceDep, key: str = KEY,
                    format: ExportFormat = Query("turtle", description="RDF format.")
                    ) -> Response:
    """Download one document's named graph (its measures, mentions, targets, tasks) as Turtle, TriG, JSON-LD or N-Triples."""
    media, ext = MEDIA[format]
    body = service.export_document(key, format)
    from urllib.parse import quote

    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"document.{ext}\"; filename*=UTF-8''{quote(key)}.{ext}"})


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
