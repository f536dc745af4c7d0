"""Paths of the illustrative attachment fixtures (imported by the attachment tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "attachments"
SEED = REPO / "corpus" / "baoding-vocational-2021.txt"  # ships with the repo
FORMATS = (".docx", ".xlsx", ".csv", ".pdf", ".txt")


def sample(number: int, ext: str) -> Path:
    """The clean illustrative fixture of attachment ``number`` in format ``ext``."""
    (path,) = DATA.glob(f"sample-附件{number}-*-illustrative{ext}")
    return path

@pytest.fixture(scope="session")
def rows() -> dict:
    return json.loads((DATA / "rows.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((DATA / "gold-links.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def parent():
    """The seed policy 冀政字〔2021〕61号, parsed by the real pipeline."""
    from ingest.document import parse_file

    return parse_file(SEED)
