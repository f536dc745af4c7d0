"""Draw a random sample of citation occurrences from the TEXT of an ingested corpus, for judging by hand.

    python scripts/draw_citation_sample.py --data DIR [--seed 2026] [--titles 120] [--clauses 60] [--named 40] -o FILE

Two frames, drawn independently of what the citation extractor finds, so recall is measured:

- ``title``: every 《…》 occurrence in every document's cleaned text (any content);
- ``clause``: every 根据 / 依照 / 依据 occurrence, the clause running from the cue word to the
  next ，。；：or line end (at most 120 characters);
- ``named``: the clauses of a wider cue list (根据 / 依照 / 依据 / 按照 / 违反 / 参照 / 适用) without
  《》 that still contain 法 or 条例 once the words that are no law name are taken out (本法, 本条例,
  依法, 办法, 法律, 法规, 违法 …): where short law names (教育法) are cited, if anywhere.

Occurrences are drawn uniformly from each frame with ``random.Random(seed)``; each gets a split
(``dev`` / ``test``, alternating in draw order). The output is a skeleton to be judged: each item's
``citations`` list is filled by reading the clause (the title as written, its span, the cited work's
title in the corpus or null, and the edition meant for the citing document's date). The listing
printed alongside gives the context and the corpus titles that contain the cited name, so a judge
can look them up; it does not show what the extractor found.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.serialize import load_document  # noqa: E402

TITLE = re.compile(r"《([^《》\n]{1,120}?(?:《[^《》\n]*》[^《》\n]*?)*)》")
CUE = re.compile(r"根据|依照|依据")
WIDE_CUE = re.compile(r"根据|依照|依据|按照|违反|参照|适用")
CLAUSE_END = re.compile(r"[，。；：;\n]")
NOT_A_NAME = re.compile(r"本法|本条例|该法|此法|依法|办法|方法|合法|违法|非法|执法|立法|司法|守法|法律|法规|法定|法人|法院|法制|法治|"
                        r"法官|法庭|法规定|宪法")


def occurrences(data: Path):
    """(frame, key, title, start, end) of every occurrence, in a stable order."""
    manifest = json.loads((data / "generations" / (data / "CURRENT").read_text().strip() / "manifest.json")
                          .read_text(encoding="utf-8"))["documents"]
    for key in sorted(manifest):
        entry = manifest[key]
        if entry.get("kind") == "attachment":
            continue
        doc = load_document(data / "docs" / f"{entry['sha1']}.json")
        for m in TITLE.finditer(doc.text):
            yield "title", key, doc, m.start(), m.end()
        for m in WIDE_CUE.finditer(doc.text):
            e = CLAUSE_END.search(doc.text, m.end())
            end = min(e.start() if e else len(doc.text), m.start() + 120)
            clause = doc.text[m.start():end]
            if CUE.fullmatch(m.group(0)):
                yield "clause", key, doc, m.start(), end
            if "《" not in clause and re.search("法|条例", NOT_A_NAME.sub("", clause)):
                yield "named", key, doc, m.start(), end


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--titles", type=int, default=120)
    ap.add_argument("--clauses", type=int, default=60)
    ap.add_argument("--named", type=int, default=40)
    ap.add_argument("-o", "--out", required=True, type=Path)
    a = ap.parse_args()
    frames: dict[str, list] = {"title": [], "clause": [], "named": []}
    titles: dict[str, str] = {}
    docs = {}
    for frame, key, doc, s, e in occurrences(a.data):
        frames[frame].append((key, s, e))
        docs[key] = (doc.title, doc.date, len(doc.text))
    rng = random.Random(a.seed)
    drawn = [("title", x) for x in rng.sample(frames["title"], a.titles)]
    drawn += [("clause", x) for x in rng.sample(frames["clause"], a.clauses)]
    drawn += [("named", x) for x in rng.sample(frames["named"], a.named)]
    items = []
    for n, (frame, (key, s, e)) in enumerate(drawn):
        items.append({"n": n, "split": "dev" if n % 2 == 0 else "test", "frame": frame, "source": key,
                      "source_title": docs[key][0], "source_date": docs[key][1], "start": s, "end": e,
                      "citations": None, "note": ""})
    body = {"about": f"random.Random({a.seed}): {a.titles} of {len(frames['title'])} 《…》 occurrences and "
                     f"{a.clauses} of {len(frames['clause'])} 根据/依照/依据 clauses and {a.named} of {len(frames['named'])} "
                     f"clauses naming a law without 《》 of the corpus text",
            "items": items}
    a.out.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    print(body["about"])


if __name__ == "__main__":
    main()
