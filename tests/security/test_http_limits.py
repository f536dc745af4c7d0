"""HTTP-level limits: slow heads and bodies are cut, 500 answers carry an id and no internals,
and the bad requests the API already refused still get one clear 4xx each."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from tests.security.conftest import InProcess

pytestmark = pytest.mark.server


@pytest.fixture()
def short_timeouts(monkeypatch):
    import api.limits

    monkeypatch.setattr(api.limits, "BODY_TIMEOUT", 1.0)
    monkeypatch.setattr(api.limits.GuardedH11Protocol, "header_timeout", 1.0)


def _settings(sec_data):
    from policykg.settings import Settings

    return Settings(data=sec_data, encoder="none", endpoint_timeout=3)


def test_slow_head_and_slow_body_are_cut(sec_data, short_timeouts):
    with InProcess(_settings(sec_data)) as srv:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:  # half a request line, then silence
            s.sendall(b"GET /health HTT")
            t0 = time.monotonic()
            assert s.recv(100) == b"", "the server should close a connection whose head never completes"
            waited = time.monotonic() - t0
        assert 0.5 < waited < 5, f"closed after {waited:.1f} s (header timeout 1 s)"
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:  # a body that stops arriving
            s.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                      b"Content-Length: 100\r\n\r\nASK {")
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
        assert b"stopped arriving" in answer
        assert httpx.get(srv.url + "/health", timeout=5).status_code == 200  # a normal client is unaffected


def test_500_answers_with_an_id_and_no_internals(sec_data):
    from api.main import create_app

    app = create_app(_settings(sec_data))

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret path /srv/keys and internal detail")

    with InProcess(None, app=app) as srv:
        r = httpx.get(srv.url + "/boom", timeout=10)
    assert r.status_code == 500
    err = r.json()["error"]
    assert err["type"] == "InternalError" and "id " in err["message"]
    assert "secret" not in r.text and "RuntimeError" not in r.text and "/srv" not in r.text, r.text


BAD = [
    ("GET", "/search", {"q": ""}), ("GET", "/search", {"q": "学院", "k": "0"}), ("GET", "/search", {"q": "学院", "k": "x"}),
    ("GET", "/search", {"q": "学院", "k": "1000"}), ("GET", "/search", {"q": "学院", "mode": "nope"}),
    ("GET", "/search", {}), ("GET", "/search", {"q": "x" * 30_000}),
    ("GET", "/documents/不存在的文件", {}), ("GET", "/documents/%00", {}), ("GET", "/entities/不存在的实体", {}),
    ("GET", "/entities", {"limit": "-1"}), ("GET", "/entities", {"limit": "abc"}),
    ("GET", "/measures", {}), ("GET", "/measures", {"involving": ""}), ("GET", "/measures", {"involving": "不存在的机构名"}),
    ("GET", "/tasks", {"due_by": "明年某天"}), ("GET", "/tasks", {"role": "boss"}), ("GET", "/tasks", {"org": "不存在的机构名"}),
    ("GET", "/tasks", {"measure": "no-hash"}), ("GET", "/tasks", {"measure": "冀政字〔2021〕61号#999"}),
    ("GET", "/export", {"format": "exe"}), ("GET", "/nope", {}), ("DELETE", "/health", {}), ("PUT", "/sparql", {}),
    ("GET", "/sparql", {}), ("GET", "/sparql", {"query": ""}), ("GET", "/sparql", {"query": "hello"}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s }"}), ("GET", "/sparql", {"query": "DROP ALL"}),
    ("GET", "/sparql", {"update": "DROP ALL"}), ("GET", "/sparql", {"query": "LOAD <http://127.0.0.1:9/x>"}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } LIMIT -1"}), ("POST", "/sparql", {"content": b"ASK {} #" + b"x" * 200_000,
                          "headers": {"Content-Type": "application/sparql-query"}}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }", "format": "x" * 100}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p '''unterminated }"}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { <http://a> ?p \"\\ud800\" }"}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o FILTER(?o = \\u0022) }"}),
    ("POST", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}),
    ("POST", "/sparql", {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}}),
    ("POST", "/sparql", {"content": b"update=DROP+ALL", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
    ("POST", "/sparql", {"content": b"\xff\xfe\x00", "headers": {"Content-Type": "application/sparql-query"}}),
    ("POST", "/sparql", {"content": b"", "headers": {"Content-Type": "application/sparql-query"}}),
    ("GET", "/sparql", {"query": "SELECT * WHERE { ?s ?p ?o } # \u0053ERVICE <http://127.0.0.1:9/> {}"}),
    ("GET", "/sparql", {"query": "CREATE GRAPH <http://g>"}),
]


def test_bad_requests_get_one_clear_4xx_each(serve):
    with httpx.Client(base_url=serve.url, timeout=30) as c:
        for method, path, params in BAD:
            if method == "POST":
                r = c.post(path, content=params["content"], headers=params["headers"])
            else:
                r = c.request(method, path, params=params)
            assert 400 <= r.status_code < 500, f"{method} {path} {str(params)[:80]}: {r.status_code} {r.text[:200]}"
            err = r.json()["error"]
            assert err["message"] and "\n" not in err["message"] and "Traceback" not in err["message"], err
    assert len(BAD) >= 40
