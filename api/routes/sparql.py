"""The read-only SPARQL 1.1 Protocol endpoint (query operation only)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import ServiceDep
from api.lanes import lane
from api.limits import MAX_BODY_BYTES, BodyTooLargeError
from core.errors import BadInputError, QueryRefusedError

router = APIRouter(tags=["sparql"])

RESULT_MEDIA = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "text/turtle", "application/n-triples"]
FORMAT_HELP = "Result format instead of the Accept header: json, xml, csv, tsv (SELECT/ASK); turtle, nt (CONSTRUCT/DESCRIBE)."
_UPDATE_REFUSED = ("The SPARQL endpoint is read-only: SPARQL Update requests are refused. "
                   "Only SELECT, ASK, CONSTRUCT and DESCRIBE queries run here; change the graph with `policykg ingest`.")
_MAX_BODY = MAX_BODY_BYTES


async def _run(service, query: str | None, fmt: str | None, request: Request) -> Response:
    if not query:
        raise BadInputError("Missing SPARQL query: pass ?query=..., a form field query=, or an "
                            "application/sparql-query body.")
    # waits its turn on the event loop (bounded line, deadline: 503 + Retry-After past them), then holds
    # a place of the endpoint's pool, which the lane never overfills
    async with lane(request, "sparql").slot():
        with service.sparql_admission():
            answer = await run_in_threadpool(service.sparql, query, fmt or request.headers.get("accept"))
    body, media = answer
    headers = {"X-Result-Truncated": "true" if getattr(answer, "truncated", False) else "false"}
    return Response(body, media_type=media, headers=headers)


@router.get("/sparql", response_class=Response,
            responses={200: {"content": {m: {} for m in RESULT_MEDIA}, "description": "Query results."}})
async def sparql_get(
    request: Request,
    service: ServiceDep,
    query: str | None = Query(None, max_length=100_000, description="The SPARQL query."),
    format: str | None = Query(None, max_length=20, description=FORMAT_HELP),
    update: str | None = Query(None, max_length=100_000, description="Refused: this endpoint is read-only."),
) -> Response:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query (SPARQL 1.1 Protocol, GET).

    Results as SPARQL JSON, XML, CSV or TSV (Turtle or N-Triples for CONSTRUCT/DESCRIBE), chosen by
    the Accept header or `format`. Updates and `SERVICE` are refused with 400; every query has a time
    limit (503 past it) and a row limit: a result cut by it has the header `X-Result-Truncated: true`
    (and `"truncated": true` in SPARQL JSON). Queries wait briefly for a free query worker; 503 with
    `Retry-After` when too many are waiting or one waited past its deadline.
    """
    if update is not None:
        raise QueryRefusedError(_UPDATE_REFUSED)
    return await _run(service, query, format, request)


@router.post(
    "/sparql",
    response_class=Response,
    responses={200: {"content": {m: {} for m in RESULT_MEDIA}, "description": "Query results."}},
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["query"], "properties": {
            "query": {"type": "string"}, "format": {"type": "string"}}}},
        "application/sparql-query": {"schema": {"type": "string"}},
    }}},
)
async def sparql_post(
    request: Request,
    service: ServiceDep,
    format: str | None = Query(None, max_length=20, description=FORMAT_HELP),
) -> Response:
    """Run a query sent as a form (`query=`) or as an `application/sparql-query` body (SPARQL 1.1 Protocol, POST).

    `application/sparql-update` bodies and `update=` forms are refused with 400: the endpoint is read-only.
    """
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = bytearray()
    async for chunk in request.stream():  # the size is also capped while it streams (api.limits)
        raw += chunk
        if len(raw) > _MAX_BODY:
            raise BodyTooLargeError(f"SPARQL request body of more than {_MAX_BODY:,} bytes is too large "
                                    f"(limit {_MAX_BODY:,}). Send a shorter query.")
    raw = bytes(raw)
    text = raw.decode("utf-8", errors="replace")
    if ctype == "application/sparql-update":
        raise QueryRefusedError(_UPDATE_REFUSED)
    if ctype == "application/sparql-query":
        return await _run(service, text, format, request)
    if ctype == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if "update" in form:
            raise QueryRefusedError(_UPDATE_REFUSED)
        query = (form.get("query") or [None])[0]
        return await _run(service, query, format or (form.get("format") or [None])[0], request)
    raise UnsupportedMediaError(
        f"Unsupported Content-Type {ctype or '(none)'!r} for POST /sparql. Use application/x-www-form-urlencoded "
        "(query=...) or application/sparql-query."
    )


class UnsupportedMediaError(BadInputError):
    """A POST body in a media type the SPARQL protocol does not define."""

    status = 415
