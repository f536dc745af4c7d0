"""Structure found in a corpus, per folder: how many documents have numbered measures, sections,
items, section leads, decimal numbering or 第N节, and which numbered documents collapse.

    python bench/structure_report.py                      # ../shared/corpus, one line per top folder
    python bench/structure_report.py PATH... --depth 2    # any folders, grouped two levels deep
    python bench/structure_report.py --list-collapsed     # name the collapsed documents

A document *has numbering* when two of its lines open with the first two numbers of one scheme
(一、/二、, （一）/（二）, 1./2., 1.1/1.2, 第一条/第二条, 第一章/第二章), found by a check independent of
the parser. It *collapses* when it has numbering but fewer than two units (measures and section
leads). Refs (``measure_label``) repeated inside a document are counted too: both must be 0.
Parse time (read, clean, parse; no entities) is printed with the characters per second.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.clean import clean_page  # noqa: E402
from ingest.read import iter_files, read_file  # noqa: E402
from ingest.refs import normalise_ref  # noqa: E402
from ingest.structure import parse_structure  # noqa: E402

#: (first, second) line openings of each scheme.
PAIRS = [
    (r"一、", r"二、"), (r"[（(]一[）)]", r"[（(]二[）)]"), (r"1[.．、]\D", r"2[.．、]\D"), (r"1[.．]1\D", r"1[.．]2\D"),
    (r"第一条", r"第二条"), (r"第一章", r"第二章"),
]


def has_numbering(text: str) -> bool:
    """Two lines open with the first two numbers of one scheme (the second after the first), after any
    Markdown heading marks."""
    lines = [re.sub(r"^#+\s*", "", ln.strip()) for ln in text.splitlines() if ln.strip()]
    for a, b in PAIRS:
        ra, rb = re.compile(a), re.compile(b)
        first = next((i for i, ln in enumerate(lines) if ra.match(ln)), None)
        if first is not None and any(rb.match(ln) for ln in lines[first + 1 :]):
            return True
    return False


def duplicate_refs(doc) -> int:
    """How many measure, item and section refs repeat another in the same document."""
    refs = [normalise_ref(m.ref) for m in doc.measures if m.ref]
    refs += [normalise_ref(i.ref) for m in doc.measures for i in m.items]
    secs = [normalise_ref(s.ref) for s in doc.sections]
    return len(refs) - len(set(refs)) + len(secs) - len(set(secs))


def survey(paths: list[Path], base: Path | None, depth: int) -> tuple[dict, dict, float, int]:
    rows: dict[str, Counter] = defaultdict(Counter)
    collapsed: dict[str, list[str]] = defaultdict(list)
    chars, t0 = 0, time.perf_counter()
    for path in iter_files(paths):
        rel = path.relative_to(base) if base and path.is_relative_to(base) else Path(path.name)
        group = "/".join(rel.parts[:depth]) if len(rel.parts) > depth else (rel.parts[0] if len(rel.parts) > 1 else ".")
        raw = read_file(path)
        text, meta = clean_page(raw.text)
        doc = parse_structure(text, meta, source=str(path), sha1=raw.sha1)
        chars += len(text)
        r = rows[group]
        units = len([m for m in doc.measures if m.label]) + sum(1 for s in doc.sections if s.lead)
        numbered = has_numbering(text)
        r["documents"] += 1
        r["has numbering"] += numbered
        r["numbered measures"] += any(m.label for m in doc.measures)
        r["sections"] += bool(doc.sections)
        r["items"] += any(m.items for m in doc.measures)
        r["section leads"] += any(s.lead for s in doc.sections)
        r["decimal 1.1"] += any("." in m.label and m.label[0].isdigit() and not m.label.endswith(".") for m in doc.measures)
        r["第N节"] += any(s.level > 1 for s in doc.sections)
        r["restarting numbering"] += any(m.ref != m.label for m in doc.measures)
        r["measures total"] += len([m for m in doc.measures if m.label])
        r["items total"] += sum(len(m.items) for m in doc.measures)
        r["duplicate refs"] += duplicate_refs(doc)
        if numbered and units < 2:
            r["collapsed"] += 1
            collapsed[group].append(str(rel))
    return rows, collapsed, time.perf_counter() - t0, chars


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / ".." / "shared" / "corpus"])
    ap.add_argument("--depth", type=int, default=1, help="Group by this many folder levels (default 1).")
    ap.add_argument("--list-collapsed", action="store_true")
    args = ap.parse_args()
    base = args.paths[0].resolve() if len(args.paths) == 1 and args.paths[0].is_dir() else None
    paths = [p.resolve() for p in args.paths]
    rows, collapsed, secs, chars = survey(paths, base, args.depth)
    cols = ["documents", "has numbering", "numbered measures", "sections", "items", "section leads", "decimal 1.1",
            "第N节", "restarting numbering", "measures total", "items total", "collapsed", "duplicate refs"]
    total = Counter()
    print("folder\t" + "\t".join(cols) + "\tshare with numbered measures")
    for group in sorted(rows):
        r = rows[group]
        total.update(r)
        print(f"{group}\t" + "\t".join(str(r[c]) for c in cols) + f"\t{r['numbered measures'] / r['documents']:.1%}")
    print("all\t" + "\t".join(str(total[c]) for c in cols) + f"\t{total['numbered measures'] / max(1, total['documents']):.1%}")
    print(f"parsed {total['documents']} files, {chars:,} characters in {secs:.1f} s ({chars / secs:,.0f} chars/s, one core)")
    if args.list_collapsed:
        for group, names in sorted(collapsed.items()):
            for n in names:
                print(f"collapsed\t{group}\t{n}")


if __name__ == "__main__":
    main()
