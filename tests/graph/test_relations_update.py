"""An update rewrites only what changed in the relations graph, and the graph stays what a full recomputation gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = [pytest.mark.corpus]


def _current(data: Path) -> Path:
    return data / "generations" / (data / "CURRENT").read_text().strip()


def _relations_graph_is_recomputed_exactly(data: Path) -> int:
    """Assert the live relations graph equals one computed afresh from the live store; its size."""
    from pyoxigraph import NamedNode, Store

    from graph.align_rdf import alignment_quads
    from graph.relations import RELATIONS_GRAPH, Relations
    from graph.store_oxigraph import OxigraphStore

    store = OxigraphStore(_current(data) / "store", read_only=True)
    try:
        rel = Relations.compute(store)
        fresh = Store()  # the store's own forms of the literals (0.0720 is kept as 0.072)
        fresh.extend(rel.quads() + alignment_quads(store, rel, RELATIONS_GRAPH))
        have = set(store.store.quads_for_pattern(None, None, None, NamedNode(RELATIONS_GRAPH)))
        assert set(fresh.quads_for_pattern(None, None, None, None)) == have
        saved = Relations.load(_current(data) / "relations.json")  # the table the service reads, too
        assert (saved.versions, saved.works, saved.links) == (rel.versions, rel.works, rel.links)
        return len(have)
    finally:
        store.close()


def test_an_update_patches_the_relations_graph_and_reuses_alignments(tmp_path, monkeypatch, seed_path, guofa4_path,
                                                                     corpus_dir):
    import graph.align as align

    laws = sorted((corpus_dir / "laws").rglob("*职业教育法*"))[:2]
    data = tmp_path / "data"
    kg = PolicyKG(Settings(data=data, encoder="none", workers=1), encoder=False)
    kg.ingest([seed_path, guofa4_path, *laws], embed=False)
    size = _relations_graph_is_recomputed_exactly(data)
    assert size > 100 and (_current(data) / "relations.nq").is_file() and (_current(data) / "alignments.json").is_file()

    calls: list[str] = []
    real = align.align_documents
    monkeypatch.setattr(align, "align_documents", lambda a, b: calls.append(a.key) or real(a, b))
    import graph.relations as relations

    read: list = []
    real_read = relations._read_rows
    monkeypatch.setattr(relations, "_read_rows", lambda store, graphs: read.append(graphs) or real_read(store, graphs))
    law = tmp_path / laws[0].name
    law.write_text(laws[0].read_text(encoding="utf-8") + "\n本法的附加说明。\n", encoding="utf-8")
    report = kg.ingest([law], embed=False)
    assert (report.added or report.replaced) and calls == [], "the seed and 国发〔2019〕4号 are unchanged: their alignment is reused"
    from graph.iri import document_iri
    from policykg.datadir import DataDir

    # the facts of unchanged documents come from the live generation's rows: only the other graphs are read
    changed = {*report.replaced, *report.added}
    assert len(read) == 1 and read[0] is not None
    assert {document_iri(k) for k in changed} <= set(read[0])
    unchanged = {document_iri(k) for k in DataDir(data).current().manifest().documents if k not in changed}
    assert unchanged and not unchanged & set(read[0])
    _relations_graph_is_recomputed_exactly(data)

    edited = tmp_path / guofa4_path.name
    edited.write_text(guofa4_path.read_text(encoding="utf-8") + "\n本方案的附加说明。\n", encoding="utf-8")
    report = kg.ingest([edited], embed=False)
    assert report.replaced and calls, "国发〔2019〕4号 changed: the pair is aligned again"
    _relations_graph_is_recomputed_exactly(data)
