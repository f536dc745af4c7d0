"""Response models shared by the routers (documented in the OpenAPI schema).

Models allow extra fields: the facade may add keys, and the API passes them through.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Evidence(_Open):
    text: str = Field(description="The quoted text.")
    start: int = Field(description="Start offset in the document's cleaned text.")
    end: int = Field(description="End offset (exclusive).")


class Result(_Open):
    """One measure (or document passage) answering a query, with why it matched."""

    document: str = Field(description="发文字号, or the title when the document has none.")
    measure: int | None = Field(None, description="The measure's printed number, if any.")
    title: str = Field(description="The measure's heading (or the document title).")
    text: str
    score: float
    why: dict = Field(default_factory=dict, description="Linked entities, matched terms, graph path, scores.")
    document_key: str | None = None
    document_title: str | None = None
    measure_label: str | None = Field(None, description="The measure's label, unique in its document: as printed "
                                      "(6. / （六） / 第六条 / 1.2), with the section's number where numbering "
                                      "restarts per section (三（二）). Accepted by GET /documents/{key}/measures/{ref}.")
    printed_label: str | None = Field(None, description="The number exactly as printed: （二）.")
    section_number: str | None = Field(None, description="The enclosing section's number: 三 / 第二章 / 1.")
    ordinal: int | None = Field(None, description="1-based position among the document's measures.")
    section: str | int | None = None
    iri: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    roles: list[str] | None = Field(None, description="How the measure involves the entity (lead, support_target...).")


class SearchResponse(_Open):
    query: str
    analysis: dict | None = None
    results: list[Result]
    total: int | None = Field(None, description="Results there are in all; `results` is the page from `offset`.")
    offset: int | None = Field(None, description="Results skipped before this page.")
    why: str | None = Field(None, description='"no_close_match" when nothing is close enough to the query.')


class TaskUnit(_Open):
    iri: str = Field(description="The organisation's IRI: the same node as in the policy text.")
    label: str


class TaskMeasure(_Open):
    iri: str = Field(description="The measure's IRI.")
    doc_key: str
    number: int = Field(description="The measure's printed number.")
    confidence: float | None = Field(None, description="Confidence of the link, 0–1.")
    evidence_kind: str | None = Field(None, description="explicit | shared_entities | text_similarity.")


class Task(_Open):
    """One row of an attachment's task list."""

    iri: str
    row: int = Field(description="Row number in the attachment (序号).")
    text: str = Field(description="The task as printed.")
    lead: list[TaskUnit] = Field(default_factory=list, description="牵头单位.")
    responsible: list[TaskUnit] = Field(default_factory=list, description="责任单位.")
    support: list[TaskUnit] = Field(default_factory=list, description="配合单位.")
    deadline: str | None = Field(None, description="ISO date of the deadline; null when ongoing (长期坚持).")
    deadline_text: str | None = Field(None, description="The deadline as printed (2022年底).")
    measures: list[TaskMeasure] = Field(default_factory=list, description="Measures the task implements.")
    attachment: str = Field(description="Key of the attachment document.")
    attachment_title: str
    parent: str | None = Field(None, description="Key of the document the attachment is annexed to.")


class Entity(_Open):
    iri: str
    key: str
    type: str
    label_zh: str
    label_en: str | None = None
    aliases: list[str] = Field(default_factory=list)


class EntitySummary(Entity):
    measures: int | None = Field(None, description="How many measures involve the entity.")


class EntityDetail(Entity):
    measures: list[Result] = Field(default_factory=list,
                                   description="The measures involving the entity (all, or the page asked for).")
    measures_total: int | None = Field(None, description="How many measures involve the entity in all.")
    measures_offset: int | None = Field(None, description="Position of the first of `measures` in the whole list.")
    tasks: list[Task] = Field(default_factory=list, description="Attachment tasks naming the organisation.")


class InvolvingResponse(_Open):
    query: str
    entities: list[Entity]
    total: int | None = Field(None, description="How many measures the exact answer has in all.")
    offset: int | None = Field(None, description="Position of the first of `results` in the whole answer.")
    results: list[Result] = Field(description="The answer (all of it, or the page asked for), by document and ordinal.")


class Graph(_Open):
    nodes: list[dict]
    edges: list[dict]


class DocumentSummary(_Open):
    key: str
    docno: str | None = None
    title: str
    date: str | None = None
    kind: str
    measures: int
    issuers: list[str] = Field(default_factory=list, description="Issuing bodies (发文机关).")


class MeasureSpan(_Open):
    ordinal: int
    label: str
    heading: str
    start: int = Field(description="Start offset in the document's text.")
    end: int


class DocumentText(_Open):
    key: str
    docno: str | None = None
    title: str
    text: str = Field(description="The cleaned text; evidence and measure offsets index it.")
    measures: list[MeasureSpan] = Field(default_factory=list)


class ItemRef(_Open):
    label: str = Field(description="The item's number as printed: 1. / （1） / ① / 1.2.1.")
    ref: str = Field(description="Unique in the document: the measure's label and the item's (四（一）3.).")


class MeasureRef(_Open):
    ordinal: int
    number: int
    label: str
    heading: str
    iri: str | None = None
    measure_label: str | None = Field(None, description="Unique in the document (三（二）).")
    section_number: str | None = None
    items: list[ItemRef] = Field(default_factory=list, description="Numbered items inside the measure.")


class SectionOut(_Open):
    label: str
    title: str
    measures: list[MeasureRef]
    ref: str | None = Field(None, description="Unique in the document: 三 / 第二章 / 第二章第一节 / 1.")
    level: int | None = Field(None, description="1, or 2 for a 第N节 inside a 第N章.")
    parent: int | None = Field(None, description="Position of the enclosing section (for a 节).")
    lead: str | None = Field(None, description="The section's own text before its first measure, if any.")


class DocumentDetail(_Open):
    key: str
    docno: str | None = None
    title: str
    date: str | None = None
    kind: str
    sections: list[SectionOut] = Field(default_factory=list)
    attachments: list[dict] = Field(default_factory=list)
    cites: list = Field(default_factory=list)
    cited_by: list = Field(default_factory=list)
    annexes: list[str] = Field(default_factory=list, description="Keys of the attachments annexed to it.")
    parent: str | None = Field(None, description="For an attachment: the key of the document it is annexed to.")


class Mention(_Open):
    text: str
    start: int
    end: int
    entity: str
    iri: str
    type: str
    role: str


class Item(_Open):
    label: str
    ref: str
    text: str
    start: int
    end: int
    iri: str


class MeasureDetail(Result):
    mentions: list[Mention] = Field(default_factory=list)
    targets: list[dict] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list, description="Numbered items inside the measure.")
    item: Item | None = Field(None, description="The item the reference named, if it named one.")
    tasks: list[Task] = Field(default_factory=list, description="Attachment tasks implementing the measure.")
    related: list[Result] = Field(default_factory=list)


class Health(BaseModel):
    status: str
    version: str
    lanes: dict[str, dict[str, float]] | None = Field(None, description="Per admission lane (search, sparql): "
                                                       "limit, running, waiting, refused, service_ms.")

