"""Relations from plain rows: editions, same-date parts, repeal, the edition a citation means, unresolved titles."""

from __future__ import annotations

from graph import iri as I
from graph.relations import Relations


def doc(key, title, kind="law", vdate=None, force=None, date=None, validity=None):
    row = {"d": I.document_iri(key), "title": title, "kind": kind}
    for k, v in (("vdate", vdate), ("force", force), ("date", date), ("validity", validity)):
        if v:
            row[k] = v
    return row


def cite(src, n, title, kind="cites", short=False):
    row = {"d": I.document_iri(src), "c": I.document_iri(src) + f"/citation/{n}", "kind": kind, "title": title,
           "owner": I.document_iri(src), "start": str(10 * n), "end": str(10 * n + 5)}
    if short:
        row["short"] = "true"
    return row


DOCS = [
    doc("law96", "中华人民共和国职业教育法", vdate="1996-05-15", force="1996-09-01"),
    doc("law22", "中华人民共和国职业教育法", vdate="2022-04-20", force="2022-05-01"),
    doc("codeA", "中华人民共和国民法典", vdate="2020-05-28", force="2021-01-01"),
    doc("codeB", "中华人民共和国民法典", vdate="2020-05-28", force="2021-01-01"),
    doc("old", "某省职业教育条例", vdate="2000-01-01"),
    doc("new", "某省职业教育促进条例", vdate="2021-01-01", force="2021-03-01"),
    doc("plan", "国务院关于印发国家职业教育改革实施方案的通知", kind="policy", date="2019-01-24"),
    doc("seed", "某市实施意见", kind="policy", date="2021-11-04", validity="https://w3id.org/policykg/ontology#ValidityInForce"),
    doc("gone", "某规定", kind="policy", date="2001-01-01", validity="https://w3id.org/policykg/ontology#ValidityExpired"),
]
CITES = [
    cite("plan", 1, "中华人民共和国职业教育法"),
    cite("new", 1, "职业教育法", "based_on", short=True),
    cite("new", 2, "某省职业教育条例", "repeals"),
    cite("new", 3, "不存在的条例"),
    cite("new", 4, "办法", short=True),
    cite("seed", 1, "国家职业教育改革实施方案", "implements"),
    cite("law96", 1, "中华人民共和国职业教育法"),
]


def test_editions_parts_and_validity():
    r = Relations.from_rows(DOCS, CITES)
    assert [(v.key, v.status, v.end) for v in r.versions_of("law96")] == [
        ("law96", "superseded", "2022-05-01"), ("law22", "in_force", None)]
    assert {v.status for v in r.versions_of("codeA")} == {"in_force"}, "parts of one edition are not versions"
    assert r.version("old").status == "repealed" and r.version("old").end == "2021-03-01"
    assert r.in_force_on("old", "2020-12-31") and not r.in_force_on("old", "2021-03-01")
    assert not r.in_force_on("gone", "2005-01-01") and r.in_force_on("seed", "2022-01-01")
    assert not r.in_force_on("seed", "2021-01-01")


def test_citations_resolve_to_the_edition_of_the_citing_date():
    r = Relations.from_rows(DOCS, CITES)
    by = {(x.source.rsplit("/", 1)[1], x.title): x for x in r.links}
    plan = by[(I.encode("plan"), "中华人民共和国职业教育法")]
    assert plan.target == I.document_iri("law96") and plan.how == "exact"
    short = by[(I.encode("new"), "职业教育法")]
    assert short.target == I.document_iri("law96") and short.how == "prc" and short.kind == "based_on"  # 2021: before 2022
    seed = by[(I.encode("seed"), "国家职业教育改革实施方案")]
    assert seed.target == I.document_iri("plan") and seed.how == "wrapper"
    missing = by[(I.encode("new"), "不存在的条例")]
    assert missing.target is None and missing.work is None
    assert (I.encode("new"), "办法") not in by, "an unmatched short name is dropped"
    assert (I.encode("law96"), "中华人民共和国职业教育法") not in by or by[(I.encode("law96"), "中华人民共和国职业教育法")].target is None
    assert {x.source for x in r.incoming("law96")} == {I.document_iri("plan"), I.document_iri("new")}


def test_quads_and_round_trip(tmp_path):
    r = Relations.from_rows(DOCS, CITES)
    preds = {q.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for q in r.quads()}
    assert {"is_realized_by", "realizes", "date_no_longer_in_force", "in_force", "repeals", "repealed_by",
            "based_on", "cites", "implementsDocument", "unresolved", "validity"} <= preds, preds
    r.save(tmp_path / "relations.json")
    back = Relations.load(tmp_path / "relations.json")
    assert [v.status for v in back.versions_of("law96")] == ["superseded", "in_force"]
    assert len(back.links) == len(r.links)


def test_changes_and_amendments_become_eli_links():
    from graph.relations_rdf import relations_quads

    docs = [doc("edu", "中华人民共和国教育法", vdate="2015-12-27"), doc("dec", "关于修改《中华人民共和国教育法》的决定", kind="policy",
            date="2021-04-29"), doc("reg", "某条例", vdate="2018-01-01")]
    cites = [cite("dec", 1, "中华人民共和国教育法", "changes"), cite("reg", 1, "关于修改《中华人民共和国教育法》的决定", "amended_by")]
    r = Relations.from_rows(docs, cites)
    triples = {(q.subject.value, q.predicate.value.rsplit("#", 1)[-1], q.object.value) for q in relations_quads(r, "urn:g")}
    assert (I.document_iri("dec"), "changes", I.document_iri("edu")) in triples  # the edition of the decision's date
    assert (I.document_iri("edu"), "changed_by", I.document_iri("dec")) in triples
    assert (I.document_iri("reg"), "changed_by", I.document_iri("dec")) in triples
    assert (I.document_iri("dec"), "changes", I.document_iri("reg")) in triples
