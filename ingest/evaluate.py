"""Entity extraction measured against a hand-checked annotation.

The gold file (``tests/data/seed_entities.jsonl``) has one JSON object per mention:
``{"measure": n, "text": surface, "type": EntityType value, "start": s, "end": e}``, offsets
into the measure's text (which starts at its printed number, "1. …", with the seed's
mid-sentence blank-line break joined). Annotation guidelines used for the seed:

- organisations (institutions, government bodies, enterprises, parks and platforms, alliances)
  are annotated when *named*; generic phrases (职业学校, 中职学校, 保定市职业学校, 产业园区,
  专家咨询委员会) are not; collective bodies (市、县两级政府, 财政部门) and shared-suffix lists
  (人力资源社会保障、扶贫、农业农村等部门, one mention) are annotated as ``generic`` roles, as in the
  guidelines of the non-seed gold (``tests/data/entity_gold/GUIDELINES.md``);
- an organisation's own sub-name is not annotated separately (保定 in 保定学院), except a
  parent organisation named inside (百度 in 百度定兴大型数据中心);
- places: every name of a place, region or landmark, including 保定 in slogans (数字保定);
- industries: the shortest phrase naming an industry or sector, also inside specialty or
  cluster names (新能源汽车 in 新能源汽车技术; 文旅 in 文旅产业);
- programmes: named national or local plans, projects, brands and initiatives (双高计划,
  鲁班工坊, 一带一路), without their quotation marks.

Matching is exact on (measure, start, end, type group); groups merge the three kinds of
institution. ``evaluate_entities`` returns per-group figures plus ``institution+government``
and ``all`` (micro-averaged).

>>> gold = [{"measure": 1, "start": 0, "end": 3, "type": "university"}]
>>> pred = [{"measure": 1, "start": 0, "end": 3, "type": "vocational_college"}]
>>> evaluate_entities(gold, pred)["institution"]["f1"]
1.0
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

TYPE_GROUPS: dict[str, str] = {
    "vocational_college": "institution",
    "university": "institution",
    "school": "institution",
    "government_body": "government",
    "enterprise": "enterprise",
    "park": "park",
    "alliance": "alliance",
    "industry": "industry",
    "place": "place",
    "programme": "programme",
    "organisation": "institution",
    "generic": "generic",
}
GROUPS = ["institution", "government", "enterprise", "park", "alliance", "industry", "place", "programme", "generic"]
COMBINED = {"institution+government": {"institution", "government"}, "all": set(GROUPS)}


def load_gold(path: Path) -> list[dict]:
    """Read a JSONL annotation file."""
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _key(item: Mapping) -> tuple[int, int, int, str]:
    t = item["type"]
    t = t.value if hasattr(t, "value") else str(t)
    return (int(item["measure"]), int(item["start"]), int(item["end"]), TYPE_GROUPS.get(t, t))


def _scores(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def evaluate_entities(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> dict[str, dict]:
    """Precision, recall, F1 and counts per type group (and combined rows).

    Items are mappings with ``measure``, ``start``, ``end`` and ``type`` (an ``EntityType``
    or its value). Duplicates count once.
    """
    g, p = {_key(x) for x in gold}, {_key(x) for x in predicted}
    out: dict[str, dict] = {}
    for group in GROUPS:
        gg = {k for k in g if k[3] == group}
        pp = {k for k in p if k[3] == group}
        out[group] = _scores(len(gg & pp), len(pp - gg), len(gg - pp))
    for name, groups in COMBINED.items():
        tp = sum(out[x]["tp"] for x in groups)
        fp = sum(out[x]["fp"] for x in groups)
        fn = sum(out[x]["fn"] for x in groups)
        out[name] = _scores(tp, fp, fn)
    return out


def errors(gold: Iterable[Mapping], predicted: Iterable[Mapping]) -> dict[str, list[tuple]]:
    """The false positives and false negatives, as (measure, start, end, group) keys."""
    g, p = {_key(x) for x in gold}, {_key(x) for x in predicted}
    return {"fp": sorted(p - g), "fn": sorted(g - p)}


def format_table(results: Mapping[str, Mapping]) -> str:
    """A plain-text table of ``evaluate_entities`` results.

    >>> print(format_table({"place": {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}}))
    type                     precision  recall      f1    tp    fp    fn
    place                       1.0000  0.5000  0.6667     1     0     1
    """
    lines = [f"{'type':<24} {'precision':>9} {'recall':>7} {'f1':>7} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name, r in results.items():
        lines.append(
            f"{name:<24} {r['precision']:>9.4f} {r['recall']:>7.4f} {r['f1']:>7.4f} {r['tp']:>5} {r['fp']:>5} {r['fn']:>5}"
        )
    return "\n".join(lines)


_MEASURE = re.compile(r"^(\d{1,2})\.\s", re.M)
_END = re.compile(r"^(?:[一二三四五六七八九十]+、|附件[:：])", re.M)


def reference_measures(raw: str) -> dict[int, str]:
    """Measures of a "1. … 18." document by a plain regex: the texts gold offsets refer to.

    From the printed number to the next measure, section heading (一、) or attachment list,
    with a mid-sentence blank-line break joined.
    """
    starts = [(int(m.group(1)), m.start()) for m in _MEASURE.finditer(raw)]
    att = raw.find("附件")
    end_m = _END.search(raw, max(0, att - 10)) if att >= 0 else None
    body_end = end_m.start() if end_m else len(raw)
    out: dict[int, str] = {}
    for n, s in starts:
        if s > body_end:
            break
        e = min([t for _, t in starts if t > s] + [body_end])
        h = _END.search(raw, s, e)
        text = raw[s : h.start() if h else e].strip()
        out[n] = re.sub(r"(?<=[^。；：！？\n])\n\n(?=\S)", "", text)
    return out


def _nonspace(text: str) -> list[int]:
    out, k = [], 0
    for ch in text:
        out.append(k)
        k += not ch.isspace()
    out.append(k)
    return out


def evaluate_file(path: Path, gold_path: Path) -> dict[str, dict]:
    """Parse ``path`` with the real pipeline and score its mentions against ``gold_path``.

    Positions are compared in non-whitespace characters so whitespace choices of the cleaner
    do not matter.
    """
    from ingest.document import parse_file

    doc = parse_file(path)
    ref = reference_measures(Path(path).read_text(encoding="utf-8"))
    pred = []
    for m in doc.measures:
        ns = _nonspace(doc.text[m.start : m.end])
        for x in m.mentions:
            pred.append({"measure": m.number, "start": ns[x.start - m.start], "end": ns[x.end - m.start], "type": x.type})
    gold = []
    for g in load_gold(gold_path):
        ns = _nonspace(ref[g["measure"]])
        gold.append({**g, "start": ns[g["start"]], "end": ns[g["end"]]})
    return evaluate_entities(gold, pred)


def main(argv: list[str] | None = None) -> int:
    """``python -m ingest.evaluate [DOCUMENT GOLD]``: print the per-type table (default: the seed)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[1]
    doc = Path(args[0]) if args else root / ".." / "shared" / "corpus" / "seed" / "baoding-vocational-2021.txt"
    gold = Path(args[1]) if len(args) > 1 else root / "tests" / "data" / "seed_entities.jsonl"
    print(format_table(evaluate_file(doc, gold)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
