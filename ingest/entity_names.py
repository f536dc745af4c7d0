"""Names a document defines for itself, recognised wherever the document uses them.

- **Defined short forms**: 国家组织药品集中采购和使用试点工作小组（以下简称试点工作小组）: every later
  试点工作小组 is a mention of the group.
- **Bodies the document sets up**: 成立联合采购办公室 / 设立…委员会: the body is named by the document,
  so every use of that name is a mention of it, though no list and no place anchor names it.
- **Towns and villages** named after their county (巴东县官渡口镇马鬃山村): no list goes below the
  county, so the document's own chains name them; later 马鬃山村 / 马鬃山 are mentions of the village.

>>> from ingest.entities import extract_mentions
>>> names = document_names("由甲方组成国家组织药品采购试点工作小组（以下简称试点工作小组）。成立联合采购办公室。",
...                        extract=extract_mentions)
>>> sorted(names)
['联合采购办公室', '试点工作小组']
>>> [(m.text, m.label) for m in defined_mentions("联合采购办公室向试点工作小组报告", [], 0, names)]
[('联合采购办公室', '联合采购办公室'), ('试点工作小组', '国家组织药品采购试点工作小组')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.model import EntityType, Mention

ET = EntityType
_DEFINED = re.compile(r"[（(]以下(?:简称|统称|称)[“\"]?(?P<short>[\u4e00-\u9fff]{2,20}?)[”\"]?[）)]")
_FOUNDED = re.compile(r"(?:成立|设立|组建)(?P<name>[\u4e00-\u9fff]{2,14}?(?:办公室|工作小组|领导小组|小组|委员会|工作组))"
                      r"(?=[，。；、及和（(\n]|$)")
_BELOW_COUNTY = re.compile(r"(?P<town>[\u4e00-\u9fff]{2,4}?(?:镇|乡|街道))?(?P<village>[\u4e00-\u9fff]{2,4}?村)?")
_CUE = re.compile(r"[县市区旗](?=[\u4e00-\u9fff]{2,4}?(?:镇|乡|街道|村))")
_NOT_A_NAME = re.compile(r"各|所有|全|本|城乡|乡镇|乡村|农村|村镇|村民|村级|个|和|及|与|等|的")
_SUFFIX = re.compile(r"(?:办公室|工作小组|领导小组|小组|委员会|工作组)$")
#: words of activity only: a body named by them is described, not named (市、县两级成立改革工作领导小组)
_ACTIVITY = re.compile(r"(?:改革|工作|专项|试点|领导|协调|推进|督导|督查)+")


@dataclass(frozen=True, slots=True)
class DefinedName:
    """A name the document defines: what it refers to."""

    entity: str
    type: EntityType
    label: str


def document_names(text: str, home=None, *, extract) -> dict[str, DefinedName]:
    """The short forms ``text`` defines for bodies and the names of the bodies it sets up.

    ``extract`` is the recogniser (:func:`ingest.entities.extract_mentions`), which finds the body a
    short form stands for; it is passed in because the recogniser itself reads the names found here.
    """
    from ingest.entity_lexicon import GENERIC_ONLY as _GENERIC_ONLY, normalize_key

    out: dict[str, DefinedName] = {}
    for x in _DEFINED.finditer(text) if "以下" in text else ():
        line_start = text.rfind("\n", 0, x.start()) + 1
        before = [m for m in extract(text[line_start : x.start()], offset=line_start, home=home)
                  if m.end == x.start() and m.type.is_organization]
        if before and x.group("short") != before[-1].text:
            out[x.group("short")] = DefinedName(before[-1].entity, before[-1].type, before[-1].label)
    out.update({k: v for k, v in _below_county(text).items() if k not in out})
    for x in _FOUNDED.finditer(text):
        name = x.group("name")
        stem = _SUFFIX.sub("", name)
        bare = _ACTIVITY.sub("", stem)
        if name not in out and len(stem) >= 2 and bare and not _GENERIC_ONLY.fullmatch(bare):
            out[name] = DefinedName(normalize_key(name), ET.GOVERNMENT_BODY, name)
    return out


def _below_county(text: str) -> dict[str, DefinedName]:
    """Towns and villages written after a county (巴东县 + 官渡口镇 + 马鬃山村), with their short forms of
    three or more characters (官渡口, 马鬃山)."""
    from ingest.entity_lexicon import gazetteer_mentions as _gazetteer_mentions, normalize_key
    from ingest.entity_words import on_word_boundaries

    out: dict[str, DefinedName] = {}
    for cue in _CUE.finditer(text):  # the gazetteer pass runs only before a level word + a town or village
        lo = max(0, cue.start() - 11)
        before = [m for m in _gazetteer_mentions(text[lo : cue.start() + 1], lo)
                  if m.end == cue.start() + 1 and m.type is ET.PLACE]
        if not before:
            continue
        m = before[-1]
        x = _BELOW_COUNTY.match(text, m.end)
        parent = m.label
        for group in ("town", "village"):
            name = x.group(group)
            if not name:
                continue
            if _NOT_A_NAME.search(name) or not on_word_boundaries(text, x.end(group), x.end(group)):
                break
            short = name[:-2] if name.endswith("街道") else name[:-1]
            d = DefinedName(normalize_key(parent + name), ET.PLACE, name)
            out.setdefault(name, d)
            if len(short) >= 3:
                out.setdefault(short, d)
            parent = name
    return out


def defined_mentions(text: str, mentions: list[Mention], offset: int, names: dict[str, DefinedName]) -> list[Mention]:
    """``mentions`` with every occurrence of a defined name added (the mentions inside it dropped)."""
    add: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        d = names[name]
        i = text.find(name)
        while i >= 0:
            s, e = offset + i, offset + i + len(name)
            clash = any(m.start < e and s < m.end and not (s <= m.start and m.end <= e) for m in mentions + add)
            if not clash and not any(m.start <= s and e <= m.end for m in add):
                add.append(Mention(text=name, start=s, end=e, entity=d.entity, type=d.type, label=d.label,
                                   source="pattern"))
            i = text.find(name, i + len(name))
    if not add:
        return mentions
    spans = [(m.start, m.end) for m in add]
    return [m for m in mentions if not any(a <= m.start and m.end <= b for a, b in spans)] + add
