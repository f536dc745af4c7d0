"""Request limits below the routes: body size while it streams, slow bodies, slow headers.

* :class:`RequestLimits` (ASGI middleware): a body over ``max_body`` bytes is refused with 413 from
  its ``Content-Length`` before a byte of it is read, or, without one (chunked), as soon as the
  bytes read pass the limit; a body whose next chunk takes longer than ``body_timeout`` seconds
  is answered 408. Nothing past the limit is ever held in memory.
* :class:`GuardedH11Protocol`: uvicorn's h11 protocol with a header timeout: a connection that
  has not sent a complete request head within ``HEADER_TIMEOUT`` seconds of connecting (or of
  its previous response) is closed, so slow clients cannot hold connections open.
* :data:`UVICORN_OPTIONS`: the uvicorn settings ``policykg serve`` uses (keep-alive timeout, the
  largest request head).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from core.errors import PolicyKGError

#: Largest request body accepted, in bytes (a SPARQL query is at most 100,000 characters).
MAX_BODY_BYTES = 1_000_000
#: Longest wait for the next chunk of a request body, in seconds.
BODY_TIMEOUT = 10.0
#: Longest time from connecting (or from the previous response) to a complete request head, in seconds.
HEADER_TIMEOUT = 10.0
#: Largest request head (request line and headers), in bytes.
MAX_HEAD_BYTES = 64 * 1024

UVICORN_OPTIONS = {"timeout_keep_alive": 5, "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
                   "http": "api.limits:GuardedH11Protocol"}


class BodyTooLargeError(PolicyKGError):
    """A request body over the limit."""

    status = 413


class BodyTimeoutError(PolicyKGError):
    """A request body that stopped arriving."""

    status = 408


class RequestLimits:
    """ASGI middleware enforcing ``max_body`` and ``body_timeout`` on every HTTP request."""

    def __init__(self, app, max_body: int | None = None, body_timeout: float | None = None) -> None:
        self.app = app
        self.max_body = MAX_BODY_BYTES if max_body is None else max_body
        self.body_timeout = BODY_TIMEOUT if body_timeout is None else body_timeout

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = next((v for k, v in scope.get("headers", ()) if k == b"content-length"), None)
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0 or declared > self.max_body:
                await _refuse(send, 413 if declared > self.max_body else 400, "PayloadTooLarge" if declared >= 0
                              else "BadRequest", self._too_large(declared) if declared >= 0
                              else f"Bad Content-Length header {length[:40]!r}.")
                return
        seen = 0
        cut = False  # the body was refused part-way: close the connection after the answer

        async def limited_receive():
            nonlocal seen, cut
            try:
                message = await asyncio.wait_for(receive(), self.body_timeout)
            except asyncio.TimeoutError:
                cut = True
                raise BodyTimeoutError(f"The request body stopped arriving: no data for {self.body_timeout:g} s. "
                                       "Send the whole body at once.") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    cut = True
                    raise BodyTooLargeError(self._too_large(seen, partial=True))
            return message

        async def closing_send(message):
            if cut and message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            await send(message)

        await self.app(scope, limited_receive, closing_send)

    def _too_large(self, size: int, partial: bool = False) -> str:
        what = f"more than {self.max_body:,} bytes" if partial else f"{size:,} bytes"
        return (f"Request body of {what} is too large (limit {self.max_body:,} bytes). "
                "Send a shorter query.")


async def _refuse(send, status: int, type_: str, message: str) -> None:
    import json

    from api.errors import error_body

    body = json.dumps(error_body(status, type_, message), ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, closing connections that do not send a complete request head in time."""

    header_timeout = HEADER_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer = None
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        self._cancel_head_timer()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        timer = getattr(self, "_head_timer", None)
        if timer is not None:
            timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state in (h11.IDLE,) and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # a request head arrived
            self._cancel_head_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)
