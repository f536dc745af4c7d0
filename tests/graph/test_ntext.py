"""N-Quads text terms (graph.ntext): every literal reads back as the value it was made from."""

import random

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Store, parse

from graph import iri
from graph import vocab as V
from graph.ntext import T, decimal, integer, label, lang, lit, node, quad, to_bytes, to_quads, typed, zh

HOSTILE = ['', '"', '\\', '\\"', '"\\', 'a\nb', 'a\r\nb', '\r', 'tab\there', 'nul\x00', '\x01\x1f\x7f',
           '\u2028\u2029', '行"内\\n"', '😀𠀀', '\\u0041', '\\U0001F600', ' ^^<x> ', '"@en', '" .\n<a> <b> <c> <d> .',
           '\ufeff', '\ufffd']


def _one(o: str):
    g = node("https://example.org/g")
    return to_quads([quad(node("https://example.org/s"), T.RDF_TYPE, o, g)])[0].object


@pytest.mark.parametrize("s", HOSTILE)
def test_literals_read_back(s):
    assert _one(lit(s)) == Literal(s)
    assert _one(zh(s)) == Literal(s, language="zh")
    assert _one(lang(s, "en")) == Literal(s, language="en")
    assert _one(typed(s, T.XSD_DATE)) == Literal(s, datatype=V.XSD_DATE)


def test_random_text_reads_back():
    rng = random.Random(11)
    alphabet = ['"', '\\', '\n', '\r', '\t', 'a', '中', '〔', '\x00', '😀', 'u', 'U', '0', ' ', '.', '<', '>']
    values = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    g, s = node("https://example.org/g"), node("https://example.org/s")
    got = [q.object for q in to_quads([quad(s, T.PKG_TEXT, lit(v), g) for v in values])]
    assert got == [Literal(v) for v in values]


def test_numbers_and_labels():
    assert _one(integer(42)) == Literal("42", datatype=V.XSD_INTEGER)
    assert _one(decimal(2.0)) == Literal("2", datatype=V.XSD_DECIMAL)
    assert _one(decimal(0.35)) == Literal("0.35", datatype=V.XSD_DECIMAL)
    assert _one(label("河北省")).language == "zh"
    assert _one(label("Hebei")).language == "en"


def test_minted_iris_need_no_escaping():
    """IRIs are written as they are: those graph.iri mints from hostile keys are still valid terms."""
    key = '国发〔2019〕4号 <x> "y" {z}|^`\\'
    subjects = [iri.document_iri(key), iri.entity_iri(key), iri.involvement_iri(iri.measure_iri(key, 1), key, 'lead "x"')]
    quads = to_quads([quad(node(s), T.RDF_TYPE, T.PKG_MEASURE, node(iri.document_iri(key))) for s in subjects])
    assert [q.subject for q in quads] == [NamedNode(s) for s in subjects]


def test_bulk_loader_takes_the_bytes():
    g, s = node("https://example.org/g"), node("https://example.org/s")
    lines = [quad(s, T.PKG_TEXT, lit(v), g) for v in HOSTILE]
    store = Store()
    store.bulk_load(to_bytes(lines), format=RdfFormat.N_QUADS)
    assert {q.object for q in store} == {Literal(v) for v in HOSTILE}
    assert list(parse(to_bytes(lines), format=RdfFormat.N_QUADS)) == to_quads(lines)
