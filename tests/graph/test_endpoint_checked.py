"""The query process remembers which query texts passed the check; a refused text is checked every time."""

from __future__ import annotations

import pytest

from core.errors import QueryRefusedError
from graph.endpoint import sandbox

LOOKUP = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?e WHERE { ?e skos:prefLabel 'x'@zh }"
SERVICE = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


@pytest.fixture(autouse=True)
def empty_memory():
    sandbox._checked.clear()
    yield
    sandbox._checked.clear()


def test_an_accepted_query_is_remembered_and_kept_fresh_by_use():
    other = LOOKUP.replace("'x'", "'y'")
    sandbox.checked(LOOKUP)
    sandbox.checked(other)
    assert list(sandbox._checked) == [LOOKUP, other]
    sandbox.checked(LOOKUP)  # from memory: now the most recently used
    assert list(sandbox._checked) == [other, LOOKUP]


def test_a_refused_query_is_refused_every_time_and_never_remembered():
    for _ in range(3):
        with pytest.raises(QueryRefusedError):
            sandbox.checked(SERVICE)
    assert SERVICE not in sandbox._checked


def test_the_memory_is_bounded_and_long_texts_are_not_kept(monkeypatch):
    monkeypatch.setattr(sandbox, "CHECKED_MAX", 3)
    for i in range(5):
        sandbox.checked(f"SELECT * WHERE {{ ?s ?p {i} }}")
    assert len(sandbox._checked) == 3 and "SELECT * WHERE { ?s ?p 4 }" in sandbox._checked
    long = "SELECT * WHERE { ?s ?p ?o } #" + "x" * sandbox.CHECKED_MAX_CHARS
    sandbox.checked(long)
    assert long not in sandbox._checked
