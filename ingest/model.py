"""Plain dataclasses that ingest produces and everything downstream consumes.

Every span is a pair of character offsets ``[start, end)`` into ``Document.text``
(the cleaned text), so ``doc.text[m.start:m.end] == m.text`` for every unit,
mention and target. ``ingest`` knows nothing of RDF: ``graph`` turns these into
triples, ``search`` indexes them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Entity types and roles are the ontology's (one table each, ``ontology/types.py``); every extraction
# result carries them, so they are importable from here too.
from ontology.types import EntityType, Role  # noqa: F401


@dataclass(slots=True)
class Mention:
    """One occurrence of an entity in the text."""

    text: str  # surface form as printed
    start: int
    end: int
    entity: str  # canonical key: gazetteer id, or normalised name for pattern hits
    type: EntityType
    label: str  # canonical Chinese name
    role: Role = Role.INVOLVED
    source: str = "gazetteer"  # "gazetteer" | "pattern"
    aliases: tuple[str, ...] = ()  # other names of a body no gazetteer lists (宁波教育局, Ningbo Municipal Education Bureau)


@dataclass(slots=True)
class Target:
    """A quantified or dated commitment (到2022年, 26所, 不低于50%, 10家左右)."""

    text: str
    start: int
    end: int
    quantity: float | None = None  # lower bound or exact value
    quantity_max: float | None = None  # upper bound of a range (5-6所)
    unit: str | None = None  # 所, 个, 家, %, 年 ...
    comparator: str | None = None  # "eq" | "ge" | "le" | "gt" | "lt" | "about" | "range"
    year: int | None = None  # deadline year (到2022年)


@dataclass(slots=True)
class Sentence:
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Item:
    """A numbered item inside a measure: 1. / （1） / ① / 1.2.1 / a law article's （一）."""

    label: str  # number as printed: "1.", "（1）", "①", "1.2.1"
    number: int  # the printed (last) number as an integer
    ref: str  # unique in the document: the measure's ref and the item's label, "四（一）1.", "1.2.1"
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Measure:
    """A numbered provision: 1. / （一） / 第一条 / 1.2, with its text and sentences."""

    label: str  # number as printed: "1.", "（一）", "第一条", "1.2"
    number: int  # the printed (last) number as an integer
    ordinal: int  # 1-based position among the document's measures (unique)
    heading: str  # opening words up to the first 。 (the measure's own title)
    text: str
    start: int
    end: int
    section: int | None = None  # ordinal of the innermost enclosing section (a 节 inside a 章), if any
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    # unique in the document: the printed label, or, where numbering restarts in each section, the
    # section's number and the label ("三（二）"); results call it ``measure_label``
    ref: str = ""
    section_number: str | None = None  # the enclosing section's ref: "三", "第二章", "第二章第一节", "1"
    items: list[Item] = field(default_factory=list)  # numbered items inside the measure


@dataclass(slots=True)
class Section:
    """A division above the measures: 一、… / 第一章 / 第一节 / 1 (decimal numbering) / a Markdown heading."""

    label: str  # as printed: "一、", "第一章", "第一节", "1"
    number: int
    ordinal: int
    title: str
    start: int
    end: int
    ref: str = ""  # unique in the document: "一", "第一章", "第一章第二节", "1"
    level: int = 1  # 1 for 一、 / 第一章 / 1, 2 for a 节 inside a 章
    parent: int | None = None  # ordinal of the enclosing section (the 章 of a 节)
    lead: tuple[int, int] | None = None  # the section's own text before its first measure (heading included)


@dataclass(slots=True)
class AttachmentRef:
    """An entry of the parent's attachment list (附件：1. …)."""

    number: int
    title: str


@dataclass(slots=True)
class Task:
    """A row of an attachment table: task → responsible units → deadline."""

    row: int  # 1-based row number within the table (序号 when printed)
    text: str  # the task / policy content
    lead: list[str] = field(default_factory=list)  # 牵头单位, split into organisations
    responsible: list[str] = field(default_factory=list)  # 责任单位
    support: list[str] = field(default_factory=list)  # 配合单位
    deadline_text: str | None = None  # as printed: 2022年底, 长期坚持
    deadline: str | None = None  # ISO date (end of period) or None for 长期/持续
    deadline_kind: str | None = None  # "date" | "range" | "ongoing"
    measure_refs: list[int] = field(default_factory=list)  # explicit references to measure numbers
    mentions: list[Mention] = field(default_factory=list)  # spans are into ``text``


@dataclass(slots=True)
class Document:
    """One ingested file, cleaned and parsed."""

    key: str  # stable identifier: 发文字号 if any, else "sha1:<content hash prefix>"
    title: str
    text: str  # cleaned text; every span points into this
    kind: str = "policy"  # "policy" | "law" | "report" | "attachment" | "text"
    docno: str | None = None  # 发文字号, e.g. 冀政字〔2021〕61号
    date: str | None = None  # ISO date of issue
    issuers: list[str] = field(default_factory=list)  # 发布机构 / signatories
    addressees: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # 主题分类
    attachments: list[AttachmentRef] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)  # titles in 《》 and 发文字号 cited in the text
    preamble: tuple[int, int] | None = None
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)  # for attachment documents
    parent: str | None = None  # key of the parent document, for an attachment
    annex_number: int | None = None  # position in the parent's attachment list
    source: str | None = None  # path as given
    sha1: str = ""  # hash of the raw file bytes
    metadata: dict[str, str] = field(default_factory=dict)  # raw metadata block fields

    def to_dict(self) -> dict:
        return asdict(self)
