"""Fuzz the API from its own OpenAPI schema (schemathesis): no request may get a 5xx."""

from __future__ import annotations

import pytest
import schemathesis  # in the test extra: a missing install fails here instead of skipping
from hypothesis import HealthCheck, given, settings

pytestmark = pytest.mark.server
EXAMPLES = 25


def operations(base_url: str):
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_without_server_errors(base_url):
    """Every operation of /openapi.json, EXAMPLES generated requests each: no 5xx, errors in the one shape."""
    ops = operations(base_url)
    assert len(ops) >= 14, f"expected at least 14 operations, got {[op.label for op in ops]}"
    seen = []
    for op in ops:

        @given(case=op.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            resp = case.call(base_url=base_url, timeout=30)
            assert resp.status_code < 500, (
                f"{case.method} {case.formatted_path} {case.query} -> {resp.status_code}: {resp.text[:300]}")
            if resp.status_code >= 400:
                body = resp.json()
                assert set(body) == {"error"} and body["error"]["status"] == resp.status_code, body

        check()
        seen.append(op.label)
    assert len(seen) == len(ops)
