"""Attachment tasks: task → responsible units → deadline."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query

from api.deps import ServiceDep

router = APIRouter(tags=["tasks"])


@router.get("/tasks", response_model=list[dict])
def list_tasks(
    service: ServiceDep,
    measure: str | None = Query(None, max_length=500, description="Measure IRI."),
    org: str | None = Query(None, max_length=200, description="Organisation IRI or name."),
    due_by: str | None = Query(None, max_length=20, description="Deadline on or before: 2022, 2022-06, 2022年底."),
    role: Literal["lead", "responsible", "support"] | None = Query(None, description="The organisation's role."),
) -> list[dict]:
    """Tasks from attachment tables, filtered by measure, organisation, deadline and role."""
    return service.tasks(measure=measure, org=org, due_by=due_by, role=role)
