"""References to measures: the ref each measure, item and section gets (unique in its document), and
the lookup that reads one back (CLI ``policykg measure DOC REF``, ``GET /documents/{key}/measures/{ref}``).

A measure's ref is its label as printed (``6.``, ``（六）``, ``第六条``, ``1.2``), or, where labels
repeat because numbering restarts in each section, the section's ref and the label (``三（二）``); an
item's is its measure's ref and its own label (``四（一）3.``; a decimal item keeps its full number,
``1.2.1``); a section's is its number without the 、 (``三``), its 第N章, a 节's chapter and 节
(``第二章第一节``), or its decimal number (``1``). A ref that would still repeat gets ``-2``, ``-3`` ….
"""

from __future__ import annotations

import re
import unicodedata

from ingest.model import Document, Item, Measure, Section


def normalise_ref(ref: str) -> str:
    """A measure reference as compared when looking one up: NFKC, no spaces, no trailing ``.`` / ``、``.

    >>> normalise_ref(" 三（二） "), normalise_ref("6．"), normalise_ref("第六条")
    ('三(二)', '6', '第六条')
    """
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", ref)).rstrip(".、")


def join(section_ref: str, label: str) -> str:
    """``三`` + ``（二）`` → ``三（二）``; ``二`` + ``1.`` → ``二、1.`` (a numeral next to a digit would misread)."""
    return f"{section_ref}、{label}" if label[:1].isdigit() and section_ref[-1:] in "一二三四五六七八九十" else section_ref + label


def dedupe(units: list) -> None:
    """Make every ``ref`` unique (compared by :func:`normalise_ref`): a repeat gets ``-2``, ``-3`` …"""
    seen: dict[str, int] = {}
    for u in units:
        key = normalise_ref(u.ref)
        if key in seen:
            seen[key] += 1
            u.ref = f"{u.ref}-{seen[key]}"
        else:
            seen[key] = 1


def measure_refs(measures: list[Measure], sections: list[Section], decimal: bool) -> None:
    """Each measure's ref: its label, or, where labels repeat (numbering restarts per section), the
    section's ref and the label (``三（二）``); and its section's ref as ``section_number``."""
    by_ord = {s.ordinal: s for s in sections}
    keys = [normalise_ref(m.label) for m in measures]
    restart = not decimal and len(set(keys)) < len(keys)
    for m in measures:
        sec = by_ord.get(m.section)
        m.section_number = sec.ref if sec else None
        m.ref = join(sec.ref, m.label) if restart and sec else m.label
    dedupe(measures)


def find_unit(doc: Document, ref: str | int) -> tuple[Measure | None, Item | None, Section | None]:
    """The measure (and item) or section lead a reference names, as ``(measure, item, section)``.

    ``ref`` is, in this order: a measure's ref (``三（二）``, ``6.``, ``第十条``, ``1.2``; compared by
    :func:`normalise_ref`, so ``三(二)`` and ``6`` work), an item's ref (``四（一）3.``, ``1.2.1``), a
    section's ref for its lead paragraph (``三``), a printed label that only one measure (or item)
    has, or the measure's ordinal (a bare integer).

    Raises:
        BadInputError: an empty reference, or a printed label that several measures share.
        NotFoundError: nothing in the document has that reference.
    """
    from core.errors import BadInputError, NotFoundError

    key = normalise_ref(str(ref))
    if not key:
        raise BadInputError(f"Empty measure reference {ref!r}: give its label (e.g. 三（二）, 6., 第十条) or its ordinal.")
    items = [(m, it) for m in doc.measures for it in m.items]
    for m in doc.measures:
        if normalise_ref(m.ref or m.label) == key:
            return m, None, None
    for m, it in items:
        if normalise_ref(it.ref) == key:
            return m, it, None
    for s in doc.sections:
        if s.lead and normalise_ref(s.ref) == key:
            return None, None, s
    printed = [m for m in doc.measures if normalise_ref(m.label) == key]
    printed_items = [(m, it) for m, it in items if normalise_ref(it.label) == key]
    if len(printed) > 1 or (not printed and len(printed_items) > 1):
        refs = "、".join((m.ref for m in printed) if printed else (it.ref for _, it in printed_items[:8]))
        raise BadInputError(f"Several measures of {doc.key} are numbered {ref!r}: name one of {refs}.")
    if printed:
        return printed[0], None, None
    if printed_items:
        return printed_items[0][0], printed_items[0][1], None
    if key.isdigit() and 1 <= int(key) <= len(doc.measures):
        return doc.measures[int(key) - 1], None, None
    some = "、".join(m.ref or m.label or str(m.ordinal) for m in doc.measures[:6])
    raise NotFoundError(f"Document {doc.key} has no measure {ref!r}; its measures are {some}… "
                        f"(GET /documents/{doc.key} lists them all).")
