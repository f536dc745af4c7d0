from __future__ import annotations

from graph import iri
from graph.build import document_quads
from graph.links import compute_links, refresh_links, title_forms
from graph.store_oxigraph import OxigraphStore
from ingest.model import AttachmentRef, Document

SEED_KEY = "冀政字〔2021〕61号"
GF4_KEY = "国发〔2019〕4号"
CITES = "http://data.europa.eu/eli/ontology#cites"


def test_title_forms_unwrap_notices():
    assert "国家职业教育改革实施方案" in title_forms("国务院关于印发国家职业教育改革实施方案的通知")
    assert "关于加强X工作的意见" in title_forms("国务院办公厅转发关于加强X工作的意见的通知")


def test_seed_cites_state_council_plan(filled_store):
    rows = filled_store.query(f"SELECT ?a ?b WHERE {{ GRAPH <{iri.LINKS_GRAPH}> {{ ?a <{CITES}> ?b }} }}")
    pairs = {(iri.key_from_document_iri(r["a"]), iri.key_from_document_iri(r["b"])) for r in rows}
    assert pairs == {(SEED_KEY, GF4_KEY)}, f"expected the seed to cite {GF4_KEY}, got {pairs}"


def test_docno_citation_and_annex_by_title():
    store = OxigraphStore()
    parent = Document(key="P〔2020〕1号", title="父文件", text="", docno="P〔2020〕1号",
                      cites=["Q[2019]2号"], attachments=[AttachmentRef(1, "任务清单")])
    cited = Document(key="Q〔2019〕2号", title="被引文件", text="", docno="Q〔2019〕2号")
    annex = Document(key="sha1:abc", title="任务清单", text="", kind="attachment")
    for d in (parent, cited, annex):
        store.replace_document(d.key, document_quads(d))
    n = refresh_links(store)
    got = {(q.subject.value, q.predicate.value.rsplit("#", 1)[1], q.object.value) for q in compute_links(store)}
    p, c, a = (iri.document_iri(k) for k in (parent.key, cited.key, annex.key))
    assert got == {(p, "cites", c), (p, "has_annex", a), (a, "is_annex_of", p)}, got
    assert n == 3
    # recomputed, not accumulated: deleting the cited document removes the link
    store.delete_document(cited.key)
    refresh_links(store)
    rows = store.query(f"SELECT * WHERE {{ GRAPH <{iri.LINKS_GRAPH}> {{ ?a <{CITES}> ?b }} }}")
    assert rows == [], rows
