"""One JSON error shape for every error the API answers with.

``{"error": {"status": int, "type": str, "message": str, "message_zh": str}}``: policykg errors keep
their class name and message (``err.status`` is the HTTP status; an error with ``retry_after``
adds a ``Retry-After`` header), validation errors list the bad parameters, unknown paths and
methods say which exist; ``message_zh`` says the same in Chinese for the web page. An unexpected
error answers 500 with an id only (in both messages): the details go to the server log under that
id, never to the client.

>>> error_body(404, "NotFoundError", "No entity 'x'.")
{'error': {'status': 404, 'type': 'NotFoundError', 'message': "No entity 'x'.", 'message_zh': '找不到实体“x”。请在搜索框中按名称查找。'}}
"""

from __future__ import annotations

import logging
import uuid

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors_zh import to_zh
from core.errors import PolicyKGError

log = logging.getLogger(__name__)

_HTTP_TYPES = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
               405: "MethodNotAllowed", 406: "NotAcceptable", 413: "PayloadTooLarge",
               415: "UnsupportedMediaType", 422: "ValidationError"}


def error_body(status: int, type_: str, message: str) -> dict:
    """The error document for a status, an error type name and a message (with its Chinese ``message_zh``)."""
    return {"error": {"status": status, "type": type_, "message": message, "message_zh": to_zh(status, type_, message)}}


def error_response(status: int, type_: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, type_, message), status_code=status, headers=headers)


async def _policykg_error(request: Request, exc: PolicyKGError) -> JSONResponse:
    status = int(getattr(exc, "status", 500) or 500)
    if status >= 500:
        log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
    retry = getattr(exc, "retry_after", None)
    headers = {"Retry-After": str(max(1, round(retry)))} if retry and status in (409, 429, 503) else None
    return error_response(status, type(exc).__name__, str(exc) or type(exc).__name__, headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return error_response(422, "ValidationError", "Invalid request parameters. " + "; ".join(parts))


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status = exc.status_code
    if status == 404 and exc.detail in (None, "Not Found"):
        message = f"No such path {request.url.path}. The API is described at /docs (OpenAPI at /openapi.json)."
    elif status == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}. See /docs for the methods."
    else:
        message = str(exc.detail)
    return error_response(status, _HTTP_TYPES.get(status, "HTTPError"), message, getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    error_id = uuid.uuid4().hex[:12]
    log.error("Unexpected error %s on %s", error_id, request.url.path, exc_info=exc)
    return error_response(500, "InternalError", f"Unexpected server error (id {error_id}); the server log has the "
                          "details under this id. Please report it with the id.")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into :func:`error_body`."""
    app.add_exception_handler(PolicyKGError, _policykg_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
