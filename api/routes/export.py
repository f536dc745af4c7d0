"""Downloads: the whole graph as RDF; result lists and task lists as CSV or XLSX."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServiceDep
from api.routes.params import FilterDep
from policykg.choices import EXPORT_FORMATS, RDF_FORMATS, ExportFormat, TaskRole

router = APIRouter(tags=["export"])

#: format -> (media type, file extension), from the RDF format table
FORMATS = {name: (RDF_FORMATS[name].media_type, RDF_FORMATS[name].extension) for name in EXPORT_FORMATS}


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {m: {} for m, _ in FORMATS.values()}, "description": "The graph as a download."}},
)
def export(service: ServiceDep,
           format: ExportFormat = Query("turtle", description="RDF format.")) -> Response:
    """Download the graph (every document's named graph) as Turtle, TriG, JSON-LD or N-Triples."""
    media, ext = FORMATS[format]
    return Response(service.export(format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'})


TableFormat = Literal["csv", "xlsx"]


def _table(body: bytes, fmt: str, stem: str) -> Response:
    from urllib.parse import quote

    from policykg.exports import TABLE_FORMATS

    media, ext = TABLE_FORMATS[fmt]
    return Response(body, media_type=media, headers={
        "Content-Disposition": f"attachment; filename=\"policykg-export.{ext}\"; filename*=UTF-8''{quote(stem)}.{ext}"})


@router.get("/export/measures", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet": {}}, "description": "The result list as a table."}})
def export_measures(
    service: ServiceDep,
    flt: FilterDep,
    involving: str | None = Query(None, max_length=200, description="Which measures involve this entity (name)."),
    entity: str | None = Query(None, max_length=500, description="Measures of this entity (key or IRI)."),
    q: str | None = Query(None, max_length=500, description="A search query (its best 100 hits)."),
    document: str | None = Query(None, max_length=200, description="Every measure of this document."),
    format: TableFormat = Query("csv", description="csv or xlsx."),
) -> Response:
    """A list of measures as CSV or XLSX with the columns 文件, 发文字号, 措施编号, 措施标题, 角色, 依据原文,
    牵头单位, 责任单位, 完成时限. Give one of `involving`, `entity`, `q` or `document`; the filters apply."""
    from core.errors import BadInputError
    from policykg.exports import render

    if involving:
        results, stem = service.measures_involving(involving)["results"], involving
    elif entity:
        results, stem = service.entity(entity)["measures"], service.entity(entity)["label_zh"]
    elif q:
        results, stem = service.search(q, k=100, whole=True)["results"], q
    elif document:
        results, stem = service.document_measures(document), document
        flt = type(flt)(**{**flt.as_dict(), "document": None})  # the document is the list itself
    else:
        raise BadInputError("Name the list to export: involving=NAME, entity=KEY, q=QUERY or document=KEY.")
    results = service.refine(results, flt)["results"]
    rows = service.measure_rows(results)
    return _table(render(rows, format, "措施"), format, stem[:60])


@router.get("/export/tasks", response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet": {}}, "description": "The task list as a table."}})
def export_tasks(
    service: ServiceDep,
    org: str | None = Query(None, max_length=200, description="Organisation: name, alias, English name or IRI."),
    role: TaskRole | None = Query(None, description="The organisation's role."),
    due_by: str | None = Query(None, max_length=20, description="Deadline on or before: 2022, 2022-12-31, 2022年底."),
    measure: str | None = Query(None, max_length=500, description="Measure IRI, or DOC#NUMBER."),
    attachment: str | None = Query(None, max_length=200, description="Attachment key or title."),
    format: TableFormat = Query("csv", description="csv or xlsx."),
) -> Response:
    """Attachment tasks (filtered as in /tasks) as CSV or XLSX with the same columns as /export/measures."""
    from policykg.exports import render

    found = service.tasks(measure=measure, org=org, due_by=due_by, role=role, attachment=attachment)
    return _table(render(service.task_rows(found), format, "任务"), format, "任务清单")
