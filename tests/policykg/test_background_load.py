"""The graph is bulk-loaded while the workers parse: same graph as loading after, replacements in order,
and a failed load leaves the live generation as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg import merge as merge_mod
from policykg.pipeline import Pipeline
from policykg.service import PolicyKG
from policykg.settings import Settings

SEED_KEY = "冀政字〔2021〕61号"


def _quads(data: Path) -> set[str]:
    """Every quad of the live generation's store, as N-Quads text."""
    from graph.store_oxigraph import OxigraphStore

    store = OxigraphStore(data / "generations" / (data / "CURRENT").read_text().strip() / "store", read_only=True)
    try:
        return {str(q) for q in store.quads()}
    finally:
        store.close()


def _two_ingests(data: Path, first: list[Path], second: list[Path]) -> list:
    kg = PolicyKG(Settings(data=data, encoder="none", workers=1), encoder=False)
    return [kg.ingest(first, embed=False), kg.ingest(second, embed=False)]


@pytest.fixture
def edited_seed(tmp_path, seed_path) -> Path:
    path = tmp_path / "seed-v2.txt"
    path.write_text(seed_path.read_text("utf-8").replace("提升职业教育整体办学水平", "全面提升职业教育办学水平"), "utf-8")
    return path


def test_loading_while_parsing_gives_the_graph_of_loading_after(tmp_path, monkeypatch, seed_path, guofa4_path,
                                                                edited_seed, corpus_dir):
    third = sorted((corpus_dir / "gov-policy").glob("*.txt"))[0]
    monkeypatch.setattr(merge_mod, "SPOOL_CHUNK", 1)  # one spool file per document: each loads on its own
    during = _two_ingests(tmp_path / "during", [seed_path, guofa4_path], [guofa4_path, edited_seed, third])
    assert during[1].replaced == [SEED_KEY], during[1].as_dict()
    assert all(r.stages["graph_load"]["wall"] > 0 for r in during), during[1].stages
    monkeypatch.setattr(Pipeline, "_begin_early", lambda self, live, merge: None)  # load after parsing, as before
    after = _two_ingests(tmp_path / "after", [seed_path, guofa4_path], [guofa4_path, edited_seed, third])
    assert "graph_load" not in after[1].stages
    got, want = _quads(tmp_path / "during"), _quads(tmp_path / "after")
    assert got == want, f"{len(got ^ want)} quads differ, e.g. {sorted(got ^ want)[:3]}"
    assert any("全面提升职业教育办学水平" in q for q in got) and not any("提升职业教育整体办学水平" in q for q in got)


def test_a_failed_background_load_leaves_the_live_generation(tmp_path, monkeypatch, seed_path, guofa4_path,
                                                             edited_seed):
    from graph.store_oxigraph import OxigraphStore

    data = tmp_path / "data"
    kg = PolicyKG(Settings(data=data, encoder="none", workers=1), encoder=False)
    kg.ingest([seed_path, guofa4_path], embed=False)
    before, live = _quads(data), (data / "CURRENT").read_text()
    monkeypatch.setattr(merge_mod, "SPOOL_CHUNK", 1)
    calls = []

    def failing(self, source):
        calls.append(source)
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(OxigraphStore, "load_nquads", failing)
    with pytest.raises(OSError, match="disk full"):
        kg.ingest([edited_seed], embed=False)
    assert calls, "the load ran"
    assert (data / "CURRENT").read_text() == live
    assert sorted(p.name for p in (data / "generations").iterdir()) == [live.strip()], "no half-built generation left"
    assert not list(data.glob("tmp-ingest-*")), "the spool is removed"
    monkeypatch.undo()
    assert _quads(data) == before
