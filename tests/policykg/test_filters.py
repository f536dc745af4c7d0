"""Result filters, Chinese label tables and Chinese error messages, on a small real index."""

from __future__ import annotations

import pytest

from ingest.model import EntityType, Role
from core.errors import BadInputError
from policykg.filters import ResultFilter, apply, page
from policykg.labels import ENTITY_TYPE_ZH, ROLE_ZH


def test_every_entity_type_and_role_has_a_chinese_name():
    assert set(ENTITY_TYPE_ZH) == {t.value for t in EntityType}
    assert set(ROLE_ZH) == {r.value for r in Role}


@pytest.mark.parametrize("kwargs,needle", [
    ({"kind": "memo"}, "Unknown document type 'memo'"),
    ({"role": "boss"}, "Unknown role 'boss'"),
    ({"sort": "random"}, "Unknown sort order 'random'"),
    ({"date_from": "昨天"}, "Cannot read the start date '昨天'"),
])
def test_bad_filter_values_name_the_value_and_the_choices(kwargs, needle):
    with pytest.raises(BadInputError, match=needle):
        ResultFilter.parse(**kwargs)


def test_chinese_names_are_accepted_as_values():
    f = ResultFilter.parse(kind="法律法规", role="牵头", entity_type="产业", date_from="2019年6月")
    assert (f.kind, f.role, f.entity_type, f.date_from) == ("law", "lead", "industry", "2019-06-01")


def test_paging_bounds():
    assert page([1, 2, 3], 3, 10) == ([], 3)
    with pytest.raises(BadInputError):
        page([1], -1, 1)


@pytest.fixture(scope="module")
def kg(kg_data):
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    kg = PolicyKG.open(Settings(data=kg_data, encoder="none"), encoder=False)
    yield kg
    kg.close()


def test_filters_on_a_real_answer(kg):
    every = kg.measures_involving("国务院")["results"]
    docs = {d["key"]: d for d in kg.documents()}
    assert {d["issuers"][0] for d in docs.values() if d["issuers"]} >= {"国务院"}
    by_issuer = apply(every, ResultFilter.parse(issuer="State Council"), kg.catalog())  # English name resolves
    assert by_issuer and all("国务院" in docs[r["document_key"]]["issuers"] for r in by_issuer)
    assert len(by_issuer) < len(every) or all("国务院" in docs[r["document_key"]]["issuers"] for r in every)
    newest = apply(every, ResultFilter.parse(sort="date"), kg.catalog())
    dates = [docs[r["document_key"]]["date"] for r in newest]
    assert dates == sorted(dates, reverse=True)
    lead = apply(kg.document_measures("冀政字〔2021〕61号"), ResultFilter.parse(role="lead"), kg.catalog())
    for r in lead:
        assert any("lead" in roles for _, roles in kg.state.view.entities_of(r["iri"])), r["iri"]
    measures = kg.document_measures("冀政字〔2021〕61号")
    paged = kg.refine(measures, ResultFilter.parse(sort="document"), offset=2, limit=3)
    assert paged["total"] == len(measures) > 5 and paged["results"] == measures[2:5]


def test_document_text_indexes_the_evidence(kg):
    text = kg.document_text("冀政字〔2021〕61号")["text"]
    for r in kg.measures_involving("河北软件职业技术学院")["results"]:
        for ev in r["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"]


def test_chinese_error_messages():
    from api.errors_zh import to_zh

    assert to_zh(404, "NotFoundError", "No entity named 'X' in the index. Try `policykg entities --q X`.") \
        == "索引中没有名为“X”的实体。请在搜索框中输入名称的一部分查找。"
    assert "角色" in to_zh(400, "BadInputError", "Unknown role 'x'. Choose from involved, lead.")
    assert to_zh(422, "ValidationError", "Invalid request parameters. k: too big").startswith("请求参数有误")


def test_issuers_come_in_title_order_whatever_order_the_store_returns(kg):
    """RDF keeps no order; a joint document's issuers are listed as its title names them, on every store."""
    catalog = kg.catalog()
    key = "冀政字〔2021〕61号"
    want = ["教育部", "河北省人民政府"]  # 教育部河北省人民政府关于……
    assert catalog.issuer_labels(key) == want
    catalog.issuers[key] = list(reversed(catalog.issuers[key]))  # as a store that returns rows the other way
    assert catalog.issuer_labels(key) == want
