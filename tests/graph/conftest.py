"""Shared fixtures for the graph tests: the seed policy, 国发〔2019〕4号, stores, a SPARQL server."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.graph.helpers import fill
from tests.servers import oxigraph_serve

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
SEED = Path(__file__).resolve().parents[2] / "corpus" / "baoding-vocational-2021.txt"  # ships with the repo
SEED_KEY = "冀政字〔2021〕61号"
GF4_KEY = "国发〔2019〕4号"


def _gf4_path() -> Path:
    return next((CORPUS / "gov-policy").glob(f"{GF4_KEY}_*"))


@pytest.fixture(scope="session")
def seed_doc():
    from ingest.document import parse_file

    return parse_file(SEED)


@pytest.fixture(scope="session")
def gf4_doc():
    from ingest.document import parse_file

    return parse_file(_gf4_path())


@pytest.fixture(scope="session")
def two_docs(seed_doc, gf4_doc):
    return [seed_doc, gf4_doc]


@pytest.fixture(scope="session")
def filled_store(two_docs):
    from graph.store_oxigraph import OxigraphStore

    store = OxigraphStore()
    fill(store, two_docs)
    return store


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """Start ``oxigraph serve`` on a free loopback port; yields its base URL."""
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph-server")) as base:
        yield base


@pytest.fixture
def fill_store():
    """The function that fills a store with documents, gazetteer, ontology and links."""
    return fill


@pytest.fixture
def store_factory(tmp_path, request):
    """``store_factory(kind)`` -> a fresh, empty store: oxigraph, memory, sparql, sparql-gsp."""
    return lambda kind: make_store(kind, tmp_path, request)


def make_store(kind: str, tmp_path: Path, request) -> object:
    """A fresh, empty store of the given backend."""
    from graph.store import get_backend

    if kind == "oxigraph":
        return get_backend("oxigraph")(tmp_path / "store")
    if kind == "memory":
        return get_backend("memory")()
    base = request.getfixturevalue("oxigraph_server")
    store = get_backend("sparql")(
        query_url=f"{base}/query", update_url=f"{base}/update", gsp_url=f"{base}/store" if kind == "sparql-gsp" else None
    )
    store._update("CLEAR ALL")
    return store
