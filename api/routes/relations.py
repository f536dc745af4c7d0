"""Documents in time and in relation: versions, citations and legal basis, comparison, alignment, analytics."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query

from api.deps import ServiceDep

router = APIRouter(tags=["relations"])

KEY = Path(description="Document key: 发文字号 (e.g. 冀政字〔2021〕61号), title, or sha1:… key.")
Kind = Literal["cites", "based_on", "repeals", "implements", "changes", "amended_by"]


@router.get("/documents/{key}/versions")
def get_versions(service: ServiceDep, key: str = KEY) -> dict:
    """The work a document belongs to and its editions in date order, with entry into force, end and validity."""
    return service.versions(key)


@router.get("/documents/{key}/relations")
def get_relations(service: ServiceDep, key: str = KEY,
                  kind: Kind | None = Query(None, description="Only this relation kind.")) -> dict:
    """What the document cites / is based on / repeals / implements (`outgoing`) and what does so to it (`incoming`)."""
    return service.relations(key, kind)


@router.get("/documents/{key}/citation-graph")
def get_citation_graph(service: ServiceDep, key: str = KEY) -> dict:
    """A small graph of the document's citations in both directions: {"nodes", "edges"}."""
    return service.citation_graph(key)


@router.get("/diff")
def get_diff(service: ServiceDep, a: str = Query(..., description="Older document (key, 发文字号 or title@date)."),
             b: str = Query(..., description="Newer document.")) -> dict:
    """Article-by-article comparison (条文对比): added, removed, renumbered and changed articles with a character diff."""
    return service.diff(a, b)


@router.get("/align")
def get_alignment(service: ServiceDep, local: str = Query(..., description="The local document."),
                  national: str = Query(..., description="The national document it implements.")) -> dict:
    """Measure-to-measure correspondences with score, shared entities and shared wording."""
    return service.alignment(local, national)


@router.get("/citations")
def get_citations(service: ServiceDep, limit: int = Query(50, ge=1, le=1000)) -> dict:
    """Citation counts by kind and resolution, and the most frequent unresolved titles."""
    return service.unresolved_citations(limit=limit)


@router.get("/analytics")
def get_analytics(service: ServiceDep, top: int = Query(10, ge=1, le=100),
                  law: str | None = Query(None, description="List the documents that reach this law by citation.")) -> dict:
    """Most-cited documents and articles, bodies most often leading or responsible, reachability, communities."""
    return service.analytics(top=top, law=law)


@router.get("/documents/{key}/analytics")
def get_document_analytics(service: ServiceDep, key: str = KEY, top: int = Query(10, ge=1, le=100)) -> dict:
    """The document in the citation network: laws it rests on (directly or through others), documents that reach it, its community."""
    return service.document_analytics(key, top=top)


@router.get("/analytics/entity")
def get_entity_analytics(service: ServiceDep, ref: str = Query(..., description="Entity key, IRI or name."),
                         top: int = Query(10, ge=1, le=100)) -> dict:
    """An entity in the networks: its measures by role, the laws its documents rest on, the communities they fall in."""
    return service.entity_analytics(ref, top=top)
