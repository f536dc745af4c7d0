"""Shared helpers for the entity tests: the seed file, its measures and the gold annotation."""

from __future__ import annotations

from pathlib import Path

from ingest.evaluate import _nonspace as nonspace_positions  # noqa: F401 - re-exported for the tests
from ingest.evaluate import reference_measures as regex_measures  # noqa: F401 - re-exported for the tests

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "corpus" / "seed" / "baoding-vocational-2021.txt"
GOV_4 = next((REPO / ".." / "shared" / "corpus" / "gov-policy").glob("国发〔2019〕4号_*.txt"), None)
GOLD = REPO / "tests" / "data" / "seed_entities.jsonl"
