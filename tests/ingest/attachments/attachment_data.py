"""Paths of the illustrative attachment fixtures (imported by the attachment tests)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "attachments"
SEED = REPO / ".." / "shared" / "corpus" / "seed" / "baoding-vocational-2021.txt"
FORMATS = (".docx", ".xlsx", ".csv", ".pdf", ".txt")


def sample(number: int, ext: str) -> Path:
    """The clean illustrative fixture of attachment ``number`` in format ``ext``."""
    (path,) = DATA.glob(f"sample-附件{number}-*-illustrative{ext}")
    return path
