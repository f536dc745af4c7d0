"""graph.tasks on the illustrative attachments of 冀政字〔2021〕61号 in a real Oxigraph store."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import iri
from graph.build import document_quads
from graph.store import get_backend
from graph.tasks import task_links_quads, tasks
from ingest.attachments.link import link_tasks
from ingest.attachments.readers import read_attachment
from ingest.attachments.title import attach_to_parent
from core.errors import BadInputError

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "attachments"
SEED = REPO / "corpus" / "baoding-vocational-2021.txt"  # ships with the repo
BAODING = iri.entity_iri("baoding-municipal-government")


@pytest.fixture(scope="module")
def store():
    from ingest.document import parse_file

    parent = parse_file(SEED)
    s = get_backend("oxigraph")()
    s.replace_document(parent.key, document_quads(parent))
    for n, ext in ((1, ".docx"), (2, ".csv"), (3, ".xlsx")):
        (path,) = DATA.glob(f"sample-附件{n}-*-illustrative{ext}")
        doc = read_attachment(path)
        assert attach_to_parent(doc, [parent])
        s.replace_document(doc.key, document_quads(doc) + task_links_quads(link_tasks(doc, parent), doc, parent))
    s.parent_key = parent.key
    return s


def test_tasks_led_by_baoding_government_due_by_end_of_2022(store):
    got = tasks(store, org_iri=BAODING, role="lead", due_by="2022-12-31")
    assert [(t["attachment_title"], t["row"]) for t in got] == [("保定市建设任务清单", r) for r in (1, 2, 5, 7, 13, 14)]
    row7 = next(t for t in got if t["row"] == 7)
    assert row7["lead"] == [{"iri": BAODING, "label": "保定市人民政府"}], "保定市人民政府 and 保定市政府 are one node"
    assert all(t["deadline"] <= "2022-12-31" for t in got)
    assert all(t["parent"] == store.parent_key for t in got)
    assert tasks(store, org_iri=BAODING, role="lead", due_by="2022年底") == got


def test_ongoing_tasks_are_left_out_of_due_by(store):
    everything = tasks(store, org_iri=BAODING)
    assert any(t["deadline_text"] == "长期坚持" and t["deadline"] is None for t in everything)
    assert all(t["deadline"] for t in tasks(store, org_iri=BAODING, due_by="2030-12-31"))


def test_tasks_of_a_measure_carry_confidence_and_evidence(store):
    measure = iri.measure_iri(store.parent_key, 17)
    got = tasks(store, measure_iri=measure)
    assert {(t["attachment_title"], t["row"]) for t in got} >= {("河北省支持政策与措施清单", 7), ("保定市建设任务清单", 14)}
    for t in got:
        (m,) = [m for m in t["measures"] if m["iri"] == measure]
        assert m["number"] == 17 and m["doc_key"] == store.parent_key
        assert 0 < m["confidence"] <= 1 and m["evidence_kind"] in {"explicit", "shared_entities", "text_similarity"}
    explicit = next(t for t in got if t["row"] == 7 and t["attachment_title"] == "河北省支持政策与措施清单")
    assert explicit["measures"][0]["evidence_kind"] == "explicit"


def test_roles_and_counts(store):
    assert len(tasks(store)) == 31
    support = tasks(store, org_iri=iri.entity_iri("市教育局"), role="support")
    assert [t["row"] for t in support] == [14]
    with pytest.raises(BadInputError, match="Choose from 'lead', 'responsible', 'support'"):
        tasks(store, role="owner")
    with pytest.raises(BadInputError, match="Cannot read due date"):
        tasks(store, due_by="soon")
