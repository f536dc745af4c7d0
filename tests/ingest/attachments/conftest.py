"""Shared fixtures for the attachment tests: the illustrative files, their rows and gold links."""

from __future__ import annotations

import json

import pytest

from attachment_data import DATA, SEED


@pytest.fixture(scope="session")
def rows() -> dict:
    return json.loads((DATA / "rows.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((DATA / "gold-links.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parent():
    """The seed policy 冀政字〔2021〕61号, parsed by the real pipeline."""
    if not SEED.is_file():
        pytest.skip(f"seed corpus not found at {SEED}")
    from ingest.document import parse_file

    return parse_file(SEED)
