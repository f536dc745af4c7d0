from __future__ import annotations

import pytest

from graph import iri
from graph.view import GraphView

SEED_KEY = "冀政字〔2021〕61号"
GF4_KEY = "国发〔2019〕4号"
HSVC = iri.entity_iri("hebei-software-vocational-college")


@pytest.fixture(scope="module")
def view(filled_store):
    return GraphView.load(filled_store)


@pytest.mark.parametrize("name", ["河北软件职业技术学院", "河北软件职院", "Hebei Software Vocational College",
                                  "  hebei software vocational COLLEGE "])
def test_resolve_by_zh_alias_and_english(view, name):
    got = [e.iri for e in view.resolve(name)]
    assert got == [HSVC], f"resolve({name!r}): expected [{HSVC}], got {got}"


def test_measures_involving_is_exact_with_evidence(view, seed_doc):
    inv = view.measures_involving(HSVC)
    assert [(i.doc_key, i.number) for i in inv] == [(SEED_KEY, 6), (SEED_KEY, 7), (SEED_KEY, 15)]
    expected = {m.ordinal for m in seed_doc.measures if any(x.entity == "hebei-software-vocational-college" for x in m.mentions)}
    assert {i.ordinal for i in inv} == expected
    assert "lead" in inv[1].roles, inv[1].roles
    for i in inv:
        for ev in i.evidence:
            assert seed_doc.text[ev.start : ev.end] == ev.text
    assert view.measures_involving("https://example.org/nothing") == []


def test_every_mention_is_answered(view, two_docs):
    """For every entity in the two documents, measures_involving equals the mentions' measures."""
    for doc in two_docs:
        expected: dict[str, set[int]] = {}
        for m in doc.measures:
            for x in m.mentions:
                expected.setdefault(iri.entity_iri(x.entity), set()).add(m.ordinal)
        for e, ordinals in expected.items():
            got = {i.ordinal for i in view.measures_involving(e) if i.doc_key == doc.key}
            assert got == ordinals, f"{e}: expected {sorted(ordinals)}, got {sorted(got)}"


def test_measures_documents_and_sections(view):
    seed = view.document(SEED_KEY)
    assert seed is not None and len(seed.measures) == 18 and seed.date == "2021-11-04"
    gf4 = view.document(GF4_KEY)
    assert gf4 is not None and len(gf4.measures) == 20
    m = view.measure(iri.measure_iri(SEED_KEY, 6))
    assert (m.number, m.label, m.heading) == (6, "6.", "加快构建多元办学格局"), m
    assert m.section and m.section.startswith("二、"), m.section
    assert m.docno == SEED_KEY and m.text.startswith("6.")
    assert [d.key for d in view.documents()] == sorted([SEED_KEY, GF4_KEY])


def test_cites_and_cited_by(view):
    assert view.cites(SEED_KEY) == [GF4_KEY]
    assert view.cited_by(GF4_KEY) == [SEED_KEY]
    assert view.cites(GF4_KEY) == []


def test_entities_related_neighbourhood_stats(view):
    m6 = iri.measure_iri(SEED_KEY, 6)
    ents = {e.iri: roles for e, roles in view.entities_of(m6)}
    assert HSVC in ents and "support_target" in ents[HSVC], ents.get(HSVC)
    related = view.related_measures(m6, limit=5)
    assert related and all(m != m6 and w > 0 and shared for m, w, shared in related)
    assert related == sorted(related, key=lambda r: (-r[1], r[0]))
    hood = view.neighbourhood(HSVC, depth=1)
    ids = {n["id"] for n in hood["nodes"]}
    assert {HSVC, m6, iri.measure_iri(SEED_KEY, 7), iri.measure_iri(SEED_KEY, 15)} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in hood["edges"])
    stats = view.stats()
    assert stats["documents"] == 2 and stats["measures"] == 38, stats
    assert stats["entities"].get("vocational_college", 0) >= 4, stats
    assert stats["triples"] > 1000
    assert view.label_index()["河北软件职院"] == [HSVC]


# --- the saved view: same answers as the SPARQL-loaded one; damage is detected -----------------


def _answers(v: GraphView) -> dict:
    """Everything the view answers, as plain values."""
    from dataclasses import astuple

    ents = v.entities()
    measures = v.measures()
    return {
        "documents": [astuple(d) for d in v.documents()],
        "measures": [astuple(m) for m in measures],
        "entities": [astuple(e) for e in ents],
        "labels": v.label_index(),
        "resolve": {e.label_zh: [x.iri for x in v.resolve(e.label_zh)] for e in ents},
        "involving": {e.iri: [astuple(i) for i in v.measures_involving(e.iri)] for e in ents},
        "entities_of": {m.iri: [(e.iri, r) for e, r in v.entities_of(m.iri)] for m in measures},
        "related": {m.iri: v.related_measures(m.iri) for m in measures},
        "links": {d.key: (v.cites(d.key), v.cited_by(d.key), v.annexes(d.key)) for d in v.documents()},
        "hood": {x: v.neighbourhood(x, depth=2) for x in [HSVC, iri.measure_iri(SEED_KEY, 6), iri.document_iri(GF4_KEY)]},
        "stats": v.stats(),
    }


@pytest.fixture(scope="module")
def saved_dir(view, tmp_path_factory):
    folder = tmp_path_factory.mktemp("view") / "view"
    view.save(folder)
    return folder


def test_saved_view_answers_like_sparql(view, saved_dir):
    saved = GraphView.open(saved_dir, store=None)
    want, got = _answers(view), _answers(saved)
    for part in want:
        assert got[part] == want[part], f"{part}: saved view differs from the SPARQL-loaded one"
    assert want["involving"][HSVC] and want["hood"][HSVC]["edges"], "the comparison must cover real answers"


def test_neighbourhood_matches_networkx_walk(view):
    g = view.nx
    for node in [HSVC, iri.measure_iri(SEED_KEY, 6), iri.document_iri(SEED_KEY)]:
        hood = view.neighbourhood(node, depth=1, limit=1000)
        expected = {node} | set(g.successors(node)) | set(g.predecessors(node))
        assert {n["id"] for n in hood["nodes"]} == expected, node
        edges = sorted((e["source"], e["target"], e["label"]) for e in hood["edges"])
        want = sorted((a, b, d["label"]) for a, b, d in g.edges(data=True) if a in expected and b in expected)
        assert edges == want, f"{node}: edges differ from networkx"


def test_open_without_saved_view_uses_the_store(filled_store, tmp_path, view):
    v = GraphView.open(tmp_path / "absent", filled_store)
    assert v.stats() == view.stats()


@pytest.mark.parametrize("victim", ["texts.bin", "strings.json", "m_int.npy", "manifest.json"])
def test_damaged_saved_view_is_detected(saved_dir, tmp_path, victim):
    import shutil

    from core.errors import IndexCorruptError

    folder = tmp_path / "view"
    shutil.copytree(saved_dir, folder)
    data = bytearray((folder / victim).read_bytes())
    data[len(data) // 2] ^= 0x55  # same size, one byte changed
    (folder / victim).write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError) as err:
        GraphView.open(folder, store=None)
    assert "--rebuild" in str(err.value) and "view" in str(err.value), str(err.value)


def test_missing_or_truncated_view_file_is_detected(saved_dir, tmp_path):
    import shutil

    from core.errors import IndexCorruptError

    folder = tmp_path / "view"
    shutil.copytree(saved_dir, folder)
    (folder / "ev_pos.npy").write_bytes((folder / "ev_pos.npy").read_bytes()[:-8])
    with pytest.raises(IndexCorruptError, match="ev_pos.npy"):
        GraphView.open(folder, store=None)
    (folder / "ev_pos.npy").unlink()
    with pytest.raises(IndexCorruptError, match="missing"):
        GraphView.open(folder, store=None)


def _rewrite(folder, name: str, data: bytes) -> None:
    """Replace a saved view file and its manifest entry, as a save by other code would have written it."""
    import json
    import zlib

    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = {"size": len(data), "crc32": zlib.crc32(data)}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_saved_tables_round_trip_field_by_field(view, saved_dir):
    from dataclasses import fields

    import numpy as np

    from graph.view_files import load_tables
    from graph.view_records import ViewTables

    saved, loaded = view._tables, load_tables(saved_dir)
    for f in fields(ViewTables):
        a, b = getattr(saved, f.name), getattr(loaded, f.name)
        if f.name == "m_text":
            assert (a.blob, a.offsets.tolist()) == (b.blob, b.offsets.tolist()), "m_text differs after a save"
        elif isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and np.array_equal(a, b), f"{f.name} differs after a save"
        else:
            assert a == b, f"{f.name} differs after a save"


@pytest.mark.parametrize("change", ["drop m_secnum", "add m_extra"])
def test_tables_of_another_layout_ask_for_a_rebuild(saved_dir, tmp_path, change):
    """Intact files whose fields are not ViewTables' (saved by other code) give a rebuild error, not answers."""
    import json
    import shutil

    from core.errors import IndexCorruptError

    folder = tmp_path / "view"
    shutil.copytree(saved_dir, folder)
    strings = json.loads((folder / "strings.json").read_bytes())
    if change.startswith("drop"):
        del strings["m_secnum"]
    else:
        strings["m_extra"] = []
    _rewrite(folder, "strings.json", json.dumps(strings, ensure_ascii=False).encode())
    with pytest.raises(IndexCorruptError) as err:
        GraphView.open(folder, store=None)
    message = str(err.value)
    assert "--rebuild" in message and ("m_secnum" in message or "m_extra" in message), message


def test_view_saved_in_another_format_is_read_from_the_store(saved_dir, tmp_path, filled_store, view):
    import json
    import shutil

    folder = tmp_path / "view"
    shutil.copytree(saved_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert _answers(GraphView.open(folder, filled_store)) == _answers(view)


def test_incremental_tables_equal_full(two_docs, monkeypatch):
    """Tables updated from earlier ones (only changed graphs queried) equal tables queried whole."""
    from dataclasses import replace

    from graph import view_tables
    from graph.build import document_quads
    from graph.links import refresh_links
    from graph.store_oxigraph import OxigraphStore
    from tests.graph.helpers import fill

    monkeypatch.setattr(view_tables, "INCREMENTAL_SHARE", 1.0)
    seed, gf4 = two_docs
    store = OxigraphStore()
    asked: list[str] = []
    query = store.query
    monkeypatch.setattr(store, "query", lambda q: asked.append(q) or query(q))  # records what is asked

    def step(change, changed_keys, queried=True):
        previous = view_tables.collect_tables(store)
        change()
        refresh_links(store)
        asked.clear()
        inc = GraphView(view_tables.collect_tables(store, previous, {iri.document_iri(k) for k in changed_keys}))
        restricted = [q for q in asked if "pkg:text ?text" in q]
        assert bool(restricted) == queried and all(
            "VALUES ?g" in q and iri.document_iri(changed_keys[0]) in q for q in restricted
        ), f"only the changed graph should be queried for measures, got {len(restricted)} queries"
        assert _answers(inc) == _answers(GraphView.load(store)), f"incremental != full after changing {changed_keys}"
        return inc

    fill(store, [seed])
    inc = step(lambda: store.replace_document(gf4.key, document_quads(gf4)), [gf4.key])  # added
    assert inc.stats()["measures"] == 38
    shorter = replace(seed, measures=seed.measures[:-1])
    inc = step(lambda: store.replace_document(seed.key, document_quads(shorter)), [seed.key])  # replaced
    assert inc.stats()["measures"] == 37 and inc.cites(SEED_KEY) == [GF4_KEY]
    inc = step(lambda: store.delete_document(gf4.key), [gf4.key], queried=False)  # deleted
    assert inc.document(GF4_KEY) is None and len(inc.measures_involving(HSVC)) == 3


def test_measure_count_equals_the_involvement_list(view):
    for ent in view.entities():
        assert view.measure_count(ent.iri) == len(view.measures_involving(ent.iri)), ent.label_zh
    assert view.measure_count("https://example.org/no-such-entity") == 0


def test_involving_pages_concatenate_to_the_whole_answer(view):
    """Pages of any size, for one entity or several, concatenate to the full sorted answer; totals are exact."""
    counts = sorted(((view.measure_count(e.iri), e.iri) for e in view.entities()), reverse=True)
    big = [iri for n, iri in counts[:3] if n]
    assert len(big) == 3 and counts[0][0] >= 10, counts[:3]
    for iris in ([big[0]], big, [big[1], big[0], big[1]]):
        total, whole = view.involving_page(iris)
        expected = sorted({i.measure_iri: (i.doc_key, i.ordinal) for e in iris for i in view.measures_involving(e)}
                          .items(), key=lambda kv: kv[1])
        assert total == len(expected) == len(whole), (total, len(expected), len(whole))
        assert [invs[0][1].measure_iri for invs in whole] == [m for m, _ in expected]
        for invs in whole:  # one (entity, involvement) per entity that involves the measure, in the order asked
            got = [e for e, _ in invs]
            assert got == [e for e in dict.fromkeys(iris) if e in got], got
            assert len({inv.measure_iri for _, inv in invs}) == 1
        for size in (1, 3, 7):
            pages = []
            for off in range(0, total + size, size):
                t, page = view.involving_page(iris, off, size)
                assert t == total and len(page) == max(0, min(size, total - off)), (off, size, t, len(page))
                pages += page
            assert pages == whole, f"pages of {size} differ from the whole answer"
    assert view.involving_page(["https://example.org/nothing"], 0, 5) == (0, [])
    assert view.measures_involving(big[0], 2, 3) == view.measures_involving(big[0])[2:5]
