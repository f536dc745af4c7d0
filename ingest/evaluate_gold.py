"""Entity recognition and "which measures involve X" measured on hand-annotated documents.

The gold (``tests/data/entity_gold/*.jsonl``, format in its ``GUIDELINES.md``) gives mentions as
offsets into the RAW corpus file, typed ``government`` / ``organisation`` / ``place`` / ``generic``,
each with the canonical name of what it refers to. The pipeline parses the file into cleaned text
(``Document.text``); this module aligns the cleaned text back to the raw text character by character
(:func:`align`: the cleaner only drops header lines, page chrome and whitespace), runs the recogniser
over every line of the body and scores exact (start, end, group) matches per group.

The involving questions (``tests/data/involving_questions.jsonl``) are answered by the real service
over an index of the annotated documents; the expected set of a question is every measure whose span
contains a gold mention of its entity. A question counts as exact when the answer, restricted to
the question's document, equals that set.

>>> align("ab c", "# h\\nab\\n c")
[4, 5, 6, 8, 9]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from pathlib import Path

from ingest.evaluate import _scores

GOLD_GROUPS = ("government", "organisation", "place", "generic")
#: predicted entity type -> gold group (industries and programmes are outside this gold)
PRED_GROUP = {
    "government_body": "government",
    "vocational_college": "organisation",
    "university": "organisation",
    "school": "organisation",
    "enterprise": "organisation",
    "alliance": "organisation",
    "park": "organisation",
    "organisation": "organisation",
    "place": "place",
    "generic": "generic",
}
COMBINED = {"government+organisation": {"government", "organisation"}, "all": set(GOLD_GROUPS)}
_LAW_BODY = "<!-- INFO END -->"
_HEADER_LINE = re.compile(r"^(?:标题|发文字号|发文机关|来源URL|索引号|发布日期|成文日期|主题分类)[：:]")


def load_gold_dir(folder: Path, split: str | None = None) -> list[tuple[dict, list[dict]]]:
    """(header, mentions) of every gold file in ``folder`` (of one split if given), sorted by file name."""
    out = []
    for path in sorted(Path(folder).glob("*.jsonl")):
        lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        if not lines or "doc" not in lines[0]:
            continue
        if split and lines[0].get("split") != split:
            continue
        out.append((lines[0], lines[1:]))
    return out


def body_start(raw: str) -> int:
    """Offset where the annotated body begins: after ``<!-- INFO END -->`` or the metadata header block."""
    i = raw.find(_LAW_BODY)
    if i >= 0:
        return i + len(_LAW_BODY)
    pos = 0
    for line in raw.splitlines(keepends=True):
        if line.strip() and not _HEADER_LINE.match(line):
            break
        pos += len(line)
    return pos


def align(clean: str, raw: str) -> list[int]:
    """For every offset of ``clean`` (and its end), the matching offset in ``raw``.

    Non-whitespace characters are matched in order (longest common blocks); offsets of unmatched
    characters take the position after the previous matched one.
    """
    ci = [i for i, c in enumerate(clean) if not c.isspace()]
    ri = [i for i, c in enumerate(raw) if not c.isspace()]
    a = "".join(clean[i] for i in ci)
    b = "".join(raw[i] for i in ri)
    m = SequenceMatcher(None, a, b, autojunk=False)
    to_raw: dict[int, int] = {}
    for blk in m.get_matching_blocks():
        for k in range(blk.size):
            to_raw[ci[blk.a + k]] = ri[blk.b + k]
    out, last = [], 0
    for i in range(len(clean) + 1):
        if i in to_raw:
            last = to_raw[i]
            out.append(last)
        else:
            out.append(last + 1 if i and (i - 1) in to_raw else last)
    return out


def _raw_span(pos: list[int], start: int, end: int) -> tuple[int, int]:
    return pos[start], pos[end - 1] + 1 if end > start else pos[start]


def predicted_mentions(doc, raw: str) -> list[dict]:
    """Every mention the recogniser finds in the body of ``doc``, with raw-file offsets."""
    from ingest.entities import document_names, extract_mentions, home_place

    home = home_place(doc)
    names = document_names(doc.text, home, extract=extract_mentions)
    pos = align(doc.text, raw)
    lo = body_start(raw)
    out = []
    offset = 0
    for line in doc.text.split("\n"):
        for m in extract_mentions(line, offset=offset, home=home, names=names):
            group = PRED_GROUP.get(m.type.value)
            if group is None:
                continue
            s, e = _raw_span(pos, m.start, m.end)
            if s >= lo:
                out.append({"start": s, "end": e, "group": group, "text": raw[s:e], "entity": m.label})
        offset += len(line) + 1
    return out


def score(gold: Iterable[dict], pred: Iterable[dict]) -> dict[str, dict]:
    """Precision/recall/F1 per gold group on exact (start, end, group), plus combined rows."""
    g = {(x["start"], x["end"], x.get("group") or x["type"]) for x in gold}
    p = {(x["start"], x["end"], x["group"]) for x in pred}
    out = {}
    for group in GOLD_GROUPS:
        gg = {k for k in g if k[2] == group}
        pp = {k for k in p if k[2] == group}
        out[group] = _scores(len(gg & pp), len(pp - gg), len(gg - pp))
    for name, groups in COMBINED.items():
        out[name] = _scores(*(sum(out[x][k] for x in groups) for k in ("tp", "fp", "fn")))
    return out


def evaluate_entities_gold(corpus: Path, gold_dir: Path, split: str | None) -> tuple[dict, list[dict]]:
    """Scores over the gold documents of ``split`` and the per-document errors (for reading the dev half)."""
    from ingest.document import parse_file

    all_gold, all_pred, errors = [], [], []
    for header, mentions in load_gold_dir(gold_dir, split):
        path = Path(corpus) / header["doc"]
        raw = path.read_text(encoding="utf-8")
        pred = predicted_mentions(parse_file(path), raw)
        if header.get("types"):  # a file annotating some types only is scored on those
            pred = [x for x in pred if x["group"] in header["types"]]
        tag = header["doc"]
        all_gold += [{**m, "start": m["start"], "end": m["end"], "group": m["type"], "doc": tag} for m in mentions]
        all_pred += [{**p, "doc": tag} for p in pred]
        g = {(m["start"], m["end"], m["type"]): m for m in mentions}
        p = {(x["start"], x["end"], x["group"]): x for x in pred}
        errors.append({"doc": tag, "fp": [p[k] for k in sorted(p.keys() - g.keys())],
                       "fn": [g[k] for k in sorted(g.keys() - p.keys())]})
    keyed = lambda xs: [{**x, "start": (x["doc"], x["start"]), "end": (x["doc"], x["end"])} for x in xs]  # noqa: E731
    return score(keyed(all_gold), keyed(all_pred)), errors


def expected_sets(path: Path, mentions: list[dict]) -> dict[str, set[int]]:
    """Entity -> ordinals of the measures whose (raw) span contains a gold mention of it."""
    from ingest.document import parse_file

    raw = path.read_text(encoding="utf-8")
    doc = parse_file(path, annotate=False)
    pos = align(doc.text, raw)
    spans = [(m.ordinal, *_raw_span(pos, m.start, m.end)) for m in doc.measures]
    out: dict[str, set[int]] = {}
    for g in mentions:
        for ordinal, s, e in spans:
            if s <= g["start"] and g["end"] <= e:
                out.setdefault(g["entity"], set()).add(ordinal)
    return out


def format_report(scores: dict, involving: dict | None = None) -> str:
    """Plain-text table of the scores and the share of exact involving answers."""
    from ingest.evaluate import format_table

    text = format_table(scores)
    if involving is not None:
        text += f"\ninvolving questions exact: {involving['exact']}/{involving['questions']} ({involving['share']:.2%})"
        for r in involving["rows"]:
            if not r["exact"]:
                text += f"\n  ✗ {r['id']} {r['query']!r}: expected {r['expected']} got {r['got']} ({','.join(r['match'])})"
    return text
