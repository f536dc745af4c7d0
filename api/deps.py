"""FastAPI dependencies: the one :class:`~policykg.service.PolicyKG` opened in the lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.errors import PolicyKGError
from policykg.service import PolicyKG


class ServiceUnavailableError(PolicyKGError):
    """The service is starting or stopping."""

    status = 503


def get_service(request: Request) -> PolicyKG:
    """The facade opened at start-up (tests may swap it with ``app.dependency_overrides``)."""
    service = getattr(request.app.state, "service", None)
    if service is None:
        raise ServiceUnavailableError("The index is not loaded yet (the server is starting or stopping). Retry.")
    return service


ServiceDep = Annotated[PolicyKG, Depends(get_service)]
