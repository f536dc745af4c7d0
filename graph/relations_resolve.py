"""Works, versions and citation links as plain records, and how a cited title finds its document.

A cited title is normalised (:func:`norm_title`) and looked up in a title index of the corpus
(:func:`title_index`): exactly, as 中华人民共和国 + a short name (``prc``), or as the inner title of
a 关于印发X的通知 (``wrapper``); a work (the editions of one law) resolves to the edition whose
version date is the latest not after the citing document's date (:func:`edition_at`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from graph import iri as I

WORK_BASE = I.ID_BASE + "work/"
_BRACKETS = re.compile(r"[\s《》〈〉<>“”\"'‘’]")
_WRAPPER = re.compile(r"(?:关于)?(?:印发|转发|发布|颁布)(.+?)的(?:通知|决定|公告|令)$")
_PRC = "中华人民共和国"
_CN = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def norm_title(title: str) -> str:
    """NFKC, no spaces, brackets or quotes.

    >>> norm_title("《广东省实施〈中华人民共和国 土地管理法〉办法》")
    '广东省实施中华人民共和国土地管理法办法'
    """
    return _BRACKETS.sub("", unicodedata.normalize("NFKC", title or ""))


def work_iri(title: str) -> str:
    return WORK_BASE + hashlib.sha1(norm_title(title).encode("utf-8")).hexdigest()[:16]


def article_number(label: str) -> str:
    """Fold an article label to a comparable form (第十二条 and 第12条 alike).

    >>> article_number("第一百零二条") == article_number("第102条"), article_number("第十条之一")
    (True, '10之1')
    """
    s = unicodedata.normalize("NFKC", label).strip()
    m = re.match(r"第([^条]+)条(?:之(.+))?", s)
    if not m:
        return s
    def num(t: str) -> str:
        if t.isdigit():
            return str(int(t))
        total, cur = 0, 0
        for ch in t:
            if ch in _CN:
                cur = _CN[ch]
            elif ch in "十百千":
                total += (cur or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
                cur = 0
            else:
                return t
        return str(total + cur)
    return num(m.group(1)) + (f"之{num(m.group(2))}" if m.group(2) else "")


@dataclass(slots=True)
class Version:
    iri: str
    key: str
    title: str
    kind: str
    docno: str | None
    date: str | None  # date of issue (eli:date_document)
    version_date: str | None
    entry_into_force: str | None
    page_validity: str | None
    work: str | None = None  # work IRI (laws only)
    end: str | None = None  # eli:date_no_longer_in_force
    status: str = "in_force"
    repealed_by: list[str] = field(default_factory=list)  # document IRIs

    @property
    def start(self) -> str | None:
        return self.entry_into_force or self.version_date or self.date

    @property
    def ref_date(self) -> str | None:
        """The date a citation of this document speaks from."""
        return self.version_date or self.date


@dataclass(slots=True)
class Work:
    iri: str
    title: str
    versions: list[str]  # document IRIs in date order


@dataclass(slots=True)
class Link:
    citation: str  # citation node IRI
    source: str  # citing document IRI
    owner: str  # measure (or document) IRI the citation is in
    kind: str
    title: str
    article: str | None
    short: bool
    start: int | None
    end: int | None
    target: str | None = None  # cited document (edition) IRI
    work: str | None = None  # cited work IRI
    target_measure: str | None = None  # the cited article, when named and found
    how: str | None = None  # how the title matched: exact | prc | wrapper


def group_works(versions: dict[str, Version]) -> dict[str, Work]:
    groups: dict[str, list[Version]] = defaultdict(list)
    for v in versions.values():
        if v.kind == "law":
            groups[norm_title(v.title)].append(v)
    works = {}
    for title, vs in groups.items():
        vs.sort(key=lambda v: (v.version_date or v.date or "", v.start or "", v.key))
        w = Work(work_iri(title), vs[0].title, [v.iri for v in vs])
        for v in vs:
            v.work = w.iri
        works[w.iri] = w
    return works


def title_index(versions: dict[str, Version], works: dict[str, Work]) -> dict[str, dict[str, set[str]]]:
    """Normalised title form -> how it matches (exact | prc | wrapper) -> work or document IRIs."""
    index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for v in versions.values():
        if v.kind == "attachment":
            continue
        ref = v.work or v.iri
        t = norm_title(v.title)
        index[t]["exact"].add(ref)
        if t.startswith(_PRC) and len(t) > len(_PRC) + 1:
            index[t[len(_PRC):]]["prc"].add(ref)
        m = _WRAPPER.search(t)
        if m and len(m.group(1)) >= 4:
            index[m.group(1)]["wrapper"].add(ref)
        if v.docno:
            index[norm_title(v.docno)]["exact"].add(ref)
    return index


def resolve(link: Link, src: Version, index, versions: dict[str, Version], works: dict[str, Work]) -> None:
    t = norm_title(link.title)
    forms = index.get(t) or {}
    if not forms and not t.startswith(_PRC):
        forms = {("prc" if h == "exact" else h): r for h, r in (index.get(_PRC + t) or {}).items() if h == "exact"}
    order = ("exact", "prc") if link.short else ("exact", "prc", "wrapper")
    own = {src.iri, src.work}
    for how in order:
        refs = set(forms.get(how, ())) - own
        if not refs:
            continue
        if len(refs) > 1:  # ambiguous: prefer laws (national) over other kinds
            laws = {r for r in refs if r in works}
            refs = laws if len(laws) == 1 else refs
        if len(refs) != 1:
            return
        (ref,) = refs
        link.how = how
        if ref in works:
            link.work = ref
            link.target = edition_at(works[ref], versions, src.ref_date)
        else:
            link.target = ref
        return


def edition_at(work: Work, versions: dict[str, Version], day: str | None) -> str | None:
    """The edition of ``work`` a document of ``day`` cites: the latest not dated after it."""
    vs = [versions[k] for k in work.versions]
    if not day:
        return vs[-1].iri
    ok = [v for v in vs if (v.version_date or v.date or "") <= day]
    return ok[-1].iri if ok else None
