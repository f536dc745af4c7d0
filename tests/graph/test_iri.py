from __future__ import annotations

import pytest

from graph import iri
from core.errors import BadInputError


def test_document_iri_is_deterministic_and_reversible():
    key = "冀政字〔2021〕61号"
    a, b = iri.document_iri(key), iri.document_iri(key)
    assert a == b, f"expected equal IRIs, got {a} and {b}"
    assert a.isascii() and " " not in a, f"expected a percent-encoded ASCII IRI, got {a}"
    assert iri.key_from_document_iri(a) == key
    assert iri.key_from_document_iri(iri.measure_iri(key, 3)) == key


def test_hash_keys_and_special_characters_are_encoded():
    got = iri.document_iri("sha1:ab/cd ef#1")
    assert got.endswith("sha1%3Aab%2Fcd%20ef%231"), got
    assert iri.key_from_document_iri(got) == "sha1:ab/cd ef#1"


def test_entity_iri_is_type_independent_and_normalised():
    assert iri.entity_iri("保定市政府") == iri.entity_iri(" 保定市 政府 ")
    assert iri.entity_iri("ＡＢＣ") == iri.entity_iri("ABC")
    assert iri.key_from_entity_iri(iri.entity_iri("保定市政府")) == "保定市政府"


def test_span_nodes_derive_from_measure_and_span():
    m = iri.measure_iri("D", 2)
    assert m == "https://w3id.org/policykg/id/doc/D/measure/2"
    assert iri.mention_iri(m, 10, 20) == m + "/mention/10-20"
    assert iri.target_iri(m, 10, 20) == m + "/target/10-20"
    assert iri.involvement_iri(m, "保定市政府", "lead") == iri.involvement_iri(m, "保定市政府 ", "lead")
    assert iri.task_iri("D", 4) == "https://w3id.org/policykg/id/doc/D/task/4"


@pytest.mark.parametrize("bad", ["", "  "])
def test_empty_keys_raise(bad):
    with pytest.raises(BadInputError, match="Empty"):
        iri.document_iri(bad)
    with pytest.raises(BadInputError, match="Empty"):
        iri.entity_iri(bad)
