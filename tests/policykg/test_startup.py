"""Start-up: an ingest saves the graph view per generation; open reads it, and falls back to SPARQL."""

from __future__ import annotations

import shutil

import pytest

from core.errors import IndexCorruptError
from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = pytest.mark.corpus

COLLEGE = "河北软件职业技术学院"
QUERIES = ["哪些措施涉及河北软件职业技术学院", "校企合作 产教融合", "到2022年 目标"]


def _answers(kg: PolicyKG) -> dict:
    first = kg.measures_involving(COLLEGE)["results"][0]
    return {
        "involving": kg.measures_involving(COLLEGE),
        "search": [[(r["iri"], r["score"]) for r in kg.search(q, k=10, mode="bm25")["results"]] for q in QUERIES],
        "documents": kg.documents(),
        "entity": kg.entity(COLLEGE),
        "measure": kg.measure(first["document_key"], kg.state.view.measure(first["iri"]).ordinal),
        "neighbourhood": kg.neighbourhood(COLLEGE, depth=2),
        "stats": kg.stats(),
    }


def _view_dir(data):
    from policykg.datadir import DataDir

    return DataDir(data).current().path / "view"


def test_ingest_saves_the_view_and_open_answers_as_with_sparql(kg_copy):
    view_dir = _view_dir(kg_copy)
    assert (view_dir / "manifest.json").is_file(), f"no saved view in {view_dir}"
    kg = PolicyKG.open(Settings(data=kg_copy, encoder="none"), encoder=False)
    with_view = _answers(kg)
    kg.close()
    shutil.rmtree(view_dir)  # as an older data folder: the view comes from the store
    kg = PolicyKG.open(Settings(data=kg_copy, encoder="none"), encoder=False)
    without = _answers(kg)
    kg.close()
    assert with_view["involving"]["results"], "the comparison must cover real answers"
    for part in with_view:
        assert with_view[part] == without[part], f"{part}: saved view and SPARQL view differ"


def test_damaged_view_is_one_clear_error(kg_copy):
    victim = _view_dir(kg_copy) / "texts.bin"
    data = bytearray(victim.read_bytes())
    data[0] ^= 0x20
    victim.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError) as err:
        PolicyKG.open(Settings(data=kg_copy, encoder="none"), encoder=False)
    msg = str(err.value)
    assert "texts.bin" in msg and "policykg ingest --rebuild" in msg, msg


def test_rebuild_after_damage_restores_the_view(kg_copy, seed_path, guofa4_path):
    (_view_dir(kg_copy) / "strings.json").write_text("{}", encoding="utf-8")
    kg = PolicyKG(Settings(data=kg_copy, encoder="none"), encoder=False)
    kg.ingest([seed_path, guofa4_path], embed=False, rebuild=True)
    kg = PolicyKG.open(Settings(data=kg_copy, encoder="none"), encoder=False)
    got = [r["measure"] for r in kg.measures_involving(COLLEGE)["results"]]
    kg.close()
    assert got == [6, 7, 15], f"expected measures [6, 7, 15] of the seed, got {got}"


def test_incremental_ingest_view_answers_as_with_sparql(tmp_path, seed_path, guofa4_path, monkeypatch):
    """The second ingest queries only its new document for the view; answers match a SPARQL load."""
    from graph import view_tables
    from graph.iri import document_iri

    monkeypatch.setattr(view_tables, "INCREMENTAL_SHARE", 1.0)  # two documents: let one count as few
    settings = Settings(data=tmp_path / "data", encoder="none")
    PolicyKG(settings, encoder=False).ingest([seed_path], embed=False)
    asked: list = []
    collect = view_tables.collect_tables
    monkeypatch.setattr(view_tables, "collect_tables",
                        lambda store, previous=None, changed=None, **kw: asked.append((previous, changed))
                        or collect(store, previous, changed, **kw))
    report = PolicyKG(settings, encoder=False).ingest([guofa4_path], embed=False)
    assert "view" in report.stages, report.stages
    (previous, changed), = asked
    assert previous is not None and changed == {document_iri("国发〔2019〕4号")}, \
        f"the second ingest should update the first view with only its new document, got {changed}"
    kg = PolicyKG.open(settings, encoder=False)
    with_view = _answers(kg)
    kg.close()
    shutil.rmtree(_view_dir(settings.data))
    kg = PolicyKG.open(settings, encoder=False)
    without = _answers(kg)
    kg.close()
    for part in with_view:
        assert with_view[part] == without[part], f"{part}: incrementally saved view and SPARQL view differ"


def test_warm_builds_what_a_first_search_needs(kg_data):
    """``warm`` (the server runs it in a thread once it listens) leaves the dense scan's session (and the
    query encoder's, which encodes its word) and the entity list built, so the first /search builds none."""
    kg = PolicyKG.open(Settings(data=kg_data))
    try:
        index = kg.state.index
        assert index._scan is not None and index._scan._session is None
        kg.warm()
        assert index._scan._session is not None
        assert getattr(kg.state, "entity_list", None) is not None
    finally:
        kg.close()


def test_the_warm_ups_slow_step_waits_for_a_pause_in_calls(kg_data):
    """jieba's own dictionary (the last step of ``warm``) loads once no reading call has begun for a while,
    or after the longest wait, so the searches arriving just after start-up do not share the interpreter
    with it."""
    import threading
    import time

    kg = PolicyKG.open(Settings(data=kg_data, encoder="none"))
    try:
        before = kg.last_call
        kg.stats()
        assert kg.last_call > before, "a reading call must record when it began"
        assert kg.wait_for_quiet(0.3, 10.0) >= 0.25, "just after a call it waits for the pause"
        time.sleep(0.2)
        assert kg.wait_for_quiet(0.1, 10.0) < 0.1, "after a pause it does not wait"
        stop = threading.Event()

        def busy():
            while not stop.is_set():
                kg.stats()
                time.sleep(0.05)

        caller = threading.Thread(target=busy)
        caller.start()
        try:
            waited = kg.wait_for_quiet(0.5, 1.0)
        finally:
            stop.set()
            caller.join()
        assert waited >= 1.0, f"calls every 50 ms: it waits the longest wait, not {waited:.2f} s"
    finally:
        kg.close()
