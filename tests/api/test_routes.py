"""The JSON API through real HTTP against the app under uvicorn, on the real index."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest


pytestmark = pytest.mark.server

SEED_KEY = "冀政字〔2021〕61号"
COLLEGE = "河北软件职业技术学院"
EXPECTED = {6, 7, 15}


def seed_measures(results: list[dict]) -> set[int]:
    return {r["measure"] for r in results if r["document_key"] == SEED_KEY}


def test_health_and_stats(client):
    assert client.get("/health").json()["status"] == "ok"
    stats = client.get("/stats").json()
    assert stats["documents"] >= 2 and stats["measures"] > 20 and stats["triples"] > 100, stats


def test_search_college_finds_its_measures_with_evidence(client):
    body = client.get("/search", params={"q": COLLEGE, "k": 10}).json()
    got = seed_measures(body["results"])
    assert EXPECTED <= got, f"expected measures {EXPECTED} among the results, got {got}"
    for r in body["results"]:
        if r["document_key"] == SEED_KEY and r["measure"] in EXPECTED:
            assert any(COLLEGE in e["text"] for e in r["evidence"]), f"no evidence quoting {COLLEGE}: {r['evidence']}"
            assert r["why"], "a result must say why it matched"


@pytest.mark.parametrize("name", [COLLEGE, "Hebei Software Institute"])
def test_measures_involving_is_exact(client, name):
    resp = client.get("/measures", params={"involving": name})
    assert resp.status_code == 200, f"{name!r} (the gazetteer's English name) answers {resp.status_code}: {resp.text[:300]}"
    body = resp.json()
    assert seed_measures(body["results"]) == EXPECTED, f"expected exactly {EXPECTED}, got {seed_measures(body['results'])}"
    assert all(r["roles"] for r in body["results"]), "every result names its roles"


def test_documents_and_document_with_bracket_key(client):
    docs = client.get("/documents").json()
    keys = {d["key"] for d in docs}
    assert SEED_KEY in keys and "国发〔2019〕4号" in keys, keys
    doc = client.get(f"/documents/{quote(SEED_KEY)}").json()
    assert doc["docno"] == SEED_KEY and doc["title"].startswith("教育部河北省人民政府")
    measures = [m for s in doc["sections"] for m in s["measures"]]
    assert len(measures) >= 15, f"expected at least 15 measures, got {len(measures)}"
    assert "国发〔2019〕4号" in [c if isinstance(c, str) else c.get("key") for c in doc["cites"]], doc["cites"]


def test_measure_detail_links_entities(client):
    m = client.get(f"/documents/{quote(SEED_KEY)}/measures/6").json()
    assert m["measure"] == 6 and COLLEGE in m["text"]
    spans = [x for x in m["mentions"] if x["text"] == COLLEGE]
    assert spans, f"no mention of {COLLEGE}: {[x['text'] for x in m['mentions']]}"
    off = m["start"]
    assert m["text"][spans[0]["start"] - off:spans[0]["end"] - off] == COLLEGE


def test_entity_by_name_key_and_iri(client):
    ent = client.get(f"/entities/{COLLEGE}").json()
    assert ent["label_zh"] == COLLEGE and seed_measures(ent["measures"]) == EXPECTED
    for ref in (ent["key"], ent["iri"]):
        again = client.get(f"/entities/{quote(ref, safe='')}")
        assert again.status_code == 200 and again.json()["iri"] == ent["iri"], (ref, again.text[:200])
    ms = client.get(f"/entities/{quote(ent['iri'], safe='')}/measures").json()
    assert seed_measures(ms) == EXPECTED
    nb = client.get(f"/entities/{quote(COLLEGE)}/neighbourhood").json()
    ids = {n["id"] for n in nb["nodes"]}
    assert ent["iri"] in ids and len(ids) > 3 and nb["edges"], nb


def test_entities_list_filters(client):
    found = client.get("/entities", params={"q": "软件职业"}).json()
    assert any(e["label_zh"] == COLLEGE for e in found), [e["label_zh"] for e in found]
    typed = client.get("/entities", params={"type": "vocational_college", "limit": 500}).json()
    assert typed and all(e["type"] == "vocational_college" for e in typed)


def test_tasks_endpoint_answers(client):
    resp = client.get("/tasks", params={"due_by": "2030"})
    assert resp.status_code == 200 and isinstance(resp.json(), list), resp.text[:300]


@pytest.mark.parametrize("fmt,media,ext,parse", [
    ("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
    ("nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    ("trig", "application/trig", "trig", ox.RdfFormat.TRIG),
    ("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
])
def test_export_formats(client, fmt, media, ext, parse):
    resp = client.get("/export", params={"format": fmt})
    assert resp.status_code == 200, resp.text[:300]
    assert resp.headers["content-type"].startswith(media), resp.headers["content-type"]
    assert resp.headers["content-disposition"] == f'attachment; filename="policykg.{ext}"'
    store = ox.Store()
    store.load(resp.content, format=parse)
    assert len(store) > 100, f"{fmt}: only {len(store)} quads"


def test_web_page_is_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "政策知识图谱" in page.text
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200, asset
    assert "/search" in client.get("/openapi.json").json()["paths"]


def test_search_pages_with_total_and_offset_and_says_no_close_match(client):
    first = client.get("/search", params={"q": "职业教育 校企合作", "k": 3}).json()
    second = client.get("/search", params={"q": "职业教育 校企合作", "k": 3, "offset": 3}).json()
    assert first["total"] == second["total"] > 6 and second["offset"] == 3, (first["total"], second["offset"])
    both = client.get("/search", params={"q": "职业教育 校企合作", "k": 6}).json()
    assert [r["iri"] for r in first["results"] + second["results"]] == [r["iri"] for r in both["results"]]
    none = client.get("/search", params={"q": "xyzzy plugh 火星殖民"}).json()
    assert none["results"] == [] and none["why"] == "no_close_match" and none["total"] == 0, none
