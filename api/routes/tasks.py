"""Attachment tasks: task → responsible units → deadline → the measures it implements."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from api.deps import ServiceDep
from api.routes.params import Offset, paged
from api.routes.schemas import Task
from policykg.choices import TaskRole

router = APIRouter(tags=["tasks"])


@router.get("/tasks", response_model=list[Task])
def list_tasks(
    service: ServiceDep,
    response: Response,
    org: str | None = Query(None, max_length=200, description="Organisation: name, alias, English name or IRI."),
    role: TaskRole | None = Query(
        None, description="The organisation's role: lead (牵头), responsible (责任), support (配合)."),
    due_by: str | None = Query(None, max_length=20,
                               description="Deadline on or before: 2022, 2022-06, 2022-12-31, 2022年底."),
    measure: str | None = Query(None, max_length=500, description="Measure IRI, or DOC#NUMBER (冀政字〔2021〕61号#16)."),
    attachment: str | None = Query(None, max_length=200, description="Attachment key or title."),
    offset: int = Offset,
    limit: int | None = Query(None, ge=1, le=10000, description="At most this many tasks (default all)."),
) -> list[dict]:
    """Tasks from attachment tables, filtered by organisation and role, deadline, measure and attachment.

    Example, tasks led by 保定市政府 due by the end of 2022:
    `/tasks?org=保定市政府&role=lead&due_by=2022-12-31`. Ongoing tasks (长期坚持) have no deadline
    and are left out when `due_by` is given. Each task lists the measures it implements with the
    link's confidence and evidence kind. The X-Total-Count header counts the tasks before paging.
    """
    found = service.tasks(measure=measure, org=org, due_by=due_by, role=role, attachment=attachment)
    return paged(response, found, offset, limit)
