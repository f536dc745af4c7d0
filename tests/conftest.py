"""Shared fixtures: paths to the real corpus beside the checkout, and small ingested data folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
GUOFA_4 = CORPUS / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pytest_collection_modifyitems(config, items):
    if not CORPUS.is_dir():
        skip = pytest.mark.skip(reason=f"reference corpus not found at {CORPUS}")
        for item in items:
            if "corpus" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def guofa4_path() -> Path:
    return GUOFA_4


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def kg_data(tmp_path_factory) -> Path:
    """A data folder with the seed and 国发〔2019〕4号 ingested, with embeddings (built once per run)."""
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    data = tmp_path_factory.mktemp("kg") / "data"
    kg = PolicyKG.open(Settings(data=data))
    report = kg.ingest([SEED, GUOFA_4])
    assert not report.failed, report.failed
    kg.close()
    return data


@pytest.fixture()
def kg_copy(kg_data, tmp_path) -> Path:
    """A private copy of ``kg_data`` a test may change."""
    dest = tmp_path / "data"
    shutil.copytree(kg_data, dest, symlinks=True)
    return dest
