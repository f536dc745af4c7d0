"""Every error answers with one JSON shape: {"error": {"status", "type", "message", "message_zh"}}."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.server


def assert_error(resp, status: int, type_: str | None = None) -> dict:
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text[:300]}"
    assert resp.headers["content-type"].startswith("application/json"), resp.headers["content-type"]
    body = resp.json()
    assert set(body) == {"error"}, f"expected only an 'error' key, got {sorted(body)}"
    err = body["error"]
    assert set(err) == {"status", "type", "message", "message_zh"}, f"expected status/type/message/message_zh, got {sorted(err)}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message_zh"]), f"message_zh is not Chinese: {err}"
    assert "policykg " not in err["message_zh"] and "`" not in err["message_zh"], f"a command hint in {err}"
    assert err["status"] == status and isinstance(err["message"], str) and err["message"], err
    if type_:
        assert err["type"] == type_, f"expected type {type_}, got {err['type']}"
    return err


def test_unknown_path(client):
    err = assert_error(client.get("/no/such/thing"), 404, "NotFound")
    assert "/no/such/thing" in err["message"]


def test_unknown_entity_is_a_policykg_not_found(client):
    err = assert_error(client.get("/entities/不存在的机构XYZ"), 404, "NotFoundError")
    assert "不存在的机构XYZ" in err["message"]


def test_unknown_document_and_measure(client):
    assert_error(client.get("/documents/国发〔1900〕1号"), 404, "NotFoundError")
    assert_error(client.get("/documents/冀政字〔2021〕61号/measures/999"), 404, "NotFoundError")


def test_validation_error(client):
    err = assert_error(client.get("/search", params={"q": "职业教育", "k": 0}), 422, "ValidationError")
    assert "k" in err["message"], err["message"]
    assert_error(client.get("/search"), 422, "ValidationError")
    assert_error(client.get("/export", params={"format": "xlsx"}), 422, "ValidationError")


def test_method_not_allowed(client):
    assert_error(client.delete("/documents"), 405, "MethodNotAllowed")


def test_sparql_refusal_shape(client):
    err = assert_error(client.get("/sparql", params={"query": "DROP ALL"}), 400, "QueryRefusedError")
    assert "read-only" in err["message"]
