"""Boundary and type rules applied after the gazetteer and suffix passes of :mod:`ingest.entities`.

The phases, in order (each a function of its own module):

1. **Places** (:mod:`ingest.entity_places`): chains of divisions split (河北省邢台市), renamed units
   (宁乡市), one-character abbreviation runs (港澳), facility and area tails (平潭口岸, 营口片区).
2. **Filters**: nothing inside a cited title 《…》 is a mention; 国办 in 国办发〔2019〕4号 is none; no
   place inside a national set phrase (健康中国); a short name (two characters, or a place's short form
   such as 和政 for 和政县) must start and end on word boundaries of jieba's general dictionary
   (:mod:`ingest.entity_words`): 和政 is not found in 贸易和政策, 新平 not in 创新平台.
3. **Generic roles** (:mod:`ingest.entity_classes`): governments of a level, shared-suffix lists,
   the party's units of a class, class nouns (小微企业, 三级公立医院).
4. **Specific bodies** (:mod:`ingest.entity_bodies`): functional names of State Council departments,
   offices, bodies of the issuing place, departments of a named place or body, party committees.
5. **The Party**: 党 as a word (坚持党的领导) is the Communist Party of China.

>>> [(m.text, m.type.value) for m in apply_rules("依据《国务院关于X的通知》，国务院办公厅", [])]
[]
"""

from __future__ import annotations

import re

from ingest import entity_bodies as bodies
from ingest import entity_places as places
from ingest.entity_classes import class_nouns, level_and_list_generics
from ingest.entity_words import on_word_boundaries
from ingest.model import EntityType, Mention

ET = EntityType
_TITLE = re.compile(r"《[^《》\n]{1,120}》")
_DOCNO_AFTER = re.compile(r"^(?:发|函|字|电)?〔")
_PARTY = re.compile(r"党(?=的|对|和国家|和政府)")


def apply_rules(text: str, mentions: list[Mention], offset: int = 0, home=None) -> list[Mention]:
    """The mentions of ``text`` after the rules above (spans shifted by ``offset``).

    ``home``: the gazetteer place of the issuing government (宁波市 for a 宁波市 regulation); its bodies
    named by level and function (市教育行政主管部门, 省人民政府) become mentions of those bodies.
    """
    from ontology.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    titles = [t.span() for t in _TITLE.finditer(text)] if "《" in text else []

    def inside_title(s: int, e: int) -> bool:
        return any(a < s and e < b for a, b in titles)

    mentions = places.chain_continuations(text, places.split_chains(mentions, gaz), offset)
    mentions = places.renamed_units(text, mentions, offset, gaz)
    mentions = mentions + places.abbreviation_runs(text, mentions, offset, gaz)
    mentions.sort(key=lambda m: (m.start, -m.end))
    out = _filtered(text, places.place_tails(text, mentions, offset), offset, gaz, inside_title)
    out = level_and_list_generics(text, out, offset, inside_title)
    out = _specific_bodies(text, out, offset, gaz, home)
    out = out + _party(text, out, offset, gaz, inside_title) if "党" in text else out
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _filtered(text: str, mentions: list[Mention], offset: int, gaz, inside_title) -> list[Mention]:
    """Mentions outside cited titles, document numbers and slogans, on word boundaries where short."""
    slogans = places.slogan_spans(text)
    out: list[Mention] = []
    for m in mentions:
        s, e = m.start - offset, m.end - offset
        if inside_title(s, e) or _DOCNO_AFTER.match(text[e : e + 2]):
            continue
        if m.type is ET.PLACE and (places.is_slogan_place(s, e, slogans) or text[e : e + 1] == "资"):
            continue  # 健康中国战略; 港澳台资企业 (capital from a place names no place)
        if places.needs_boundary(m, gaz) and not on_word_boundaries(text, s, e) and \
                not (out and places.follows_ancestor(out[-1], m, gaz)):
            continue
        out.append(m)
    return out


def _specific_bodies(text: str, out: list[Mention], offset: int, gaz, home) -> list[Mention]:
    if "国务院" in text:
        out = bodies.state_council_functions(text, out, offset, gaz)
    out = class_nouns(text, out, offset)
    out = bodies.offices(text, out, offset)
    if home is not None:
        out = bodies.home_bodies(text, out, offset, home)
    out = bodies.department_of_place(text, out, offset)
    if "委" in text:
        out = bodies.party_committees(text, out, offset)
    out = bodies.classes_and_charters(text, out, offset)
    return [bodies.with_local_aliases(m, gaz) for m in out]


def _party(text: str, out: list[Mention], offset: int, gaz, inside_title) -> list[Mention]:
    """党 as a word (坚持党的领导, 党的十九大): the Communist Party of China."""
    cpc = gaz.get("communist-party-of-china")
    add = []
    for x in _PARTY.finditer(text):
        s = x.start()
        if cpc is None or inside_title(s, s + 1) or any(m.start - offset <= s < m.end - offset for m in out):
            continue
        if on_word_boundaries(text, s, s) or s == 0:  # a word starts here (党的领导 is one jieba word)
            add.append(Mention(text="党", start=offset + s, end=offset + s + 1, entity=cpc.id, type=cpc.type,
                               label=cpc.zh))
    return add
