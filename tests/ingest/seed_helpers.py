"""Shared helpers for the entity tests: the seed file, its measures and the gold annotation."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "corpus" / "seed" / "baoding-vocational-2021.txt"
GOV_4 = next((REPO / ".." / "shared" / "corpus" / "gov-policy").glob("国发〔2019〕4号_*.txt"), None)
GOLD = REPO / "tests" / "data" / "seed_entities.jsonl"

_MEASURE = re.compile(r"^(\d{1,2})\.\s", re.M)
_END = re.compile(r"^(?:[一二三四五六七八九十]+、|附件[:：])", re.M)


def regex_measures(raw: str) -> dict[int, str]:
    """The seed's measures by a simple regex (the reference the gold offsets are relative to):
    from the printed number to the next measure, section heading or attachment list, with the
    mid-sentence blank-line break joined."""
    starts = [(int(m.group(1)), m.start()) for m in _MEASURE.finditer(raw)]
    body_end = _END.search(raw, raw.index("附件") - 10).start()
    out = {}
    for n, s in starts:
        if s > body_end:
            break
        e = min([t for _, t in starts if t > s] + [body_end])
        h = _END.search(raw, s, e)
        text = raw[s : h.start() if h else e].strip()
        out[n] = re.sub(r"(?<=[^。；：！？\n])\n\n(?=\S)", "", text)
    return out


def nonspace_positions(text: str) -> list[int]:
    """For each character position, how many non-whitespace characters precede it."""
    out, k = [], 0
    for ch in text:
        out.append(k)
        if not ch.isspace():
            k += 1
    out.append(k)
    return out
