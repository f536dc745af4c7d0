"""The whole graph as a file."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep

router = APIRouter(tags=["export"])

#: format -> (media type, file extension)
FORMATS = {
    "turtle": ("text/turtle; charset=utf-8", "ttl"),
    "trig": ("application/trig; charset=utf-8", "trig"),
    "jsonld": ("application/ld+json", "jsonld"),
    "nt": ("application/n-triples; charset=utf-8", "nt"),
}


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {m: {} for m, _ in FORMATS.values()}, "description": "The graph as a download."}},
)
def export(service: ServiceDep,
           format: Literal["turtle", "trig", "jsonld", "nt"] = Query("turtle", description="RDF format.")) -> Response:
    """Download the graph (every document's named graph) as Turtle, TriG, JSON-LD or N-Triples."""
    media, ext = FORMATS[format]
    return Response(service.export(format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'})
