"""Fingerprints of what ingest produces, to show a refactoring changed nothing.

Writes to OUT: ``parse.json`` (a hash of every corpus file's parsed document, cleaning and
structure only, and of every attachment fixture read), ``quads.json`` (a hash of the quads of the
61 policies, the seed and the sample attachments, and of the gazetteer graph), ``view/`` (the
graph view of those documents, saved) and ``answers.json`` (what the view answers). Compare two
runs with ``--compare A B``: the JSON files and the view's contents must be equal (the byte order
of ``strings.json``'s label map follows Python's string hashing and may differ between runs).

    python scripts/fingerprint.py /tmp/before            # on the old code
    python scripts/fingerprint.py /tmp/after             # on the new code
    python scripts/fingerprint.py --compare /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ATTACHMENTS = ROOT / "tests" / "data" / "attachments"


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _of(make) -> str:
    """The hash of ``make()``'s fields, or the error it raised (a refused file is part of the behaviour)."""
    try:
        return _hash(repr(dataclasses.asdict(make())))
    except Exception as exc:  # noqa: BLE001 - the error itself is the fingerprint of a refused file
        return f"ERR {type(exc).__name__}: {str(exc)[:200]}"


def parse_fingerprints(corpus: Path) -> dict[str, str]:
    from ingest.attachments.readers import read_attachment
    from ingest.document import parse_file

    out = {p.relative_to(corpus).as_posix(): _of(lambda p=p: parse_file(p, annotate=False))
           for p in sorted([*corpus.rglob("*.txt"), *corpus.rglob("*.md")])}
    for p in sorted(ATTACHMENTS.iterdir()):
        if p.suffix not in (".json", ".py"):
            out[p.name] = _of(lambda p=p: read_attachment(p))
    return out


def build_store(corpus: Path):
    """The store of the 61 policies, the seed and the sample attachments, and the hash of each one's quads."""
    from graph import iri
    from graph.build import document_quads, gazetteer_quads, ontology_quads
    from graph.store_oxigraph import OxigraphStore
    from ingest.attachments.readers import read_attachment
    from ingest.document import parse_file

    store, hashes = OxigraphStore(), {}
    docs = [parse_file(p) for p in sorted([*(corpus / "gov-policy").glob("*.txt"), *(corpus / "seed").glob("*.txt")])]
    docs += [read_attachment(p) for p in sorted(ATTACHMENTS.glob("sample-*"))]
    for d in docs:
        quads = document_quads(d)
        hashes[d.key] = _hash("\n".join(map(str, quads)))
        store.replace_document(d.key, quads)
    gazetteer = gazetteer_quads()
    hashes["gazetteer"] = _hash("\n".join(map(str, gazetteer)))
    store.replace_graph(iri.GAZETTEER_GRAPH, gazetteer)
    store.replace_graph(iri.ONTOLOGY_GRAPH, ontology_quads())
    return store, hashes


def view_answers(view) -> dict:
    measures = view.measures()
    return {
        "stats": view.stats(),
        "involving": {e.key: [(i.doc_key, i.ordinal, i.roles, [(x.text, x.start) for x in i.evidence])
                              for i in view.measures_involving(e.iri)] for e in view.entities() if view.measure_count(e.iri)},
        "neighbourhoods": [view.neighbourhood(m.iri) for m in measures[:50]],
        "related": [view.related_measures(m.iri) for m in measures[:200]],
    }


def fingerprint(out: Path, corpus: Path) -> None:
    from graph.view import GraphView

    out.mkdir(parents=True, exist_ok=True)
    (out / "parse.json").write_text(json.dumps(parse_fingerprints(corpus), ensure_ascii=False, indent=0))
    store, hashes = build_store(corpus)
    (out / "quads.json").write_text(json.dumps(hashes, ensure_ascii=False, indent=0))
    view = GraphView.load(store)
    view.save(out / "view")
    answers = json.loads(json.dumps(view_answers(view), ensure_ascii=False, default=list))
    (out / "answers.json").write_text(json.dumps(answers, ensure_ascii=False, sort_keys=True))


def compare(a: Path, b: Path) -> bool:
    import numpy as np

    same = True
    for name in ("parse.json", "quads.json", "answers.json", "view/strings.json"):
        equal = json.loads((a / name).read_bytes()) == json.loads((b / name).read_bytes())
        print(f"{name}: {'same' if equal else 'DIFFERENT'}")
        same &= equal
    for f in sorted((a / "view").glob("*.npy")):
        equal = np.array_equal(np.load(f), np.load(b / "view" / f.name))
        same &= equal
        print(f"view/{f.name}: {'same' if equal else 'DIFFERENT'}")
    equal = (a / "view/texts.bin").read_bytes() == (b / "view/texts.bin").read_bytes()
    print(f"view/texts.bin: {'same' if equal else 'DIFFERENT'}")
    return same and equal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="folder to write the fingerprints to")
    parser.add_argument("--corpus", type=Path, default=ROOT / ".." / "shared" / "corpus")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        raise SystemExit(0 if compare(*args.compare) else 1)
    if args.out is None:
        parser.error("give OUT, or --compare A B")
    fingerprint(args.out, args.corpus.resolve())  # resolved: parsed documents keep their source path


if __name__ == "__main__":
    main()
