"""On the hand-annotated non-seed documents: every recognised entity's involving answer is exact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph import iri
from tests.graph.helpers import view_of

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / ".." / "shared" / "corpus"
GOLD = ROOT / "tests" / "data" / "entity_gold"


@pytest.fixture(scope="module")
def gold_docs():
    from ingest.document import parse_file

    docs = []
    for path in sorted(GOLD.glob("*.jsonl")):
        header = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
        docs.append(parse_file(CORPUS / header["doc"]))
    assert len(docs) >= 4
    return docs


@pytest.fixture(scope="module")
def view(gold_docs):
    return view_of(gold_docs)


def test_every_recognised_entity_is_answered_exactly(view, gold_docs):
    checked = 0
    for doc in gold_docs:
        expected: dict[str, set[int]] = {}
        for m in doc.measures:
            for x in m.mentions:
                expected.setdefault(iri.entity_iri(x.entity), set()).add(m.ordinal)
        for e, ordinals in expected.items():
            got = {i.ordinal for i in view.measures_involving(e) if i.doc_key == doc.key}
            assert got == ordinals, f"{doc.key} {e}: expected {sorted(ordinals)}, got {sorted(got)}"
            checked += 1
    assert checked > 100, checked


def test_every_name_of_a_recognised_entity_resolves_to_it(view, gold_docs):
    """Each surface form and alias of a recognised body or place finds its entity by name."""
    for doc in gold_docs:
        for m in doc.measures:
            for x in m.mentions:
                if x.type.value not in ("government_body", "organisation", "place"):
                    continue
                target = iri.entity_iri(x.entity)
                for name in (x.label, *x.aliases):
                    assert target in [e.iri for e in view.resolve(name)], (doc.key, name, x.entity)
