"""FastAPI dependencies: the one :class:`~policykg.service.PolicyKG` opened in the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.errors import PolicyKGError
from policykg.service import PolicyKG


class ServiceUnavailableError(PolicyKGError):
    """The service is starting or stopping."""

    status = 503


async def get_service(request: Request) -> PolicyKG:
    """The facade opened at start-up (tests may swap it with ``app.dependency_overrides``).

    A coroutine: FastAPI runs it on the event loop, not in a thread of the pool (one thread hop less
    per request, and under load every hop waits for the interpreter lock)."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ServiceUnavailableError("The index is not loaded yet (the server is starting or stopping). Retry.")
    return service


ServiceDep = Annotated[PolicyKG, Depends(get_service)]
