"""A real index of the seed, 国发〔2019〕4号 and the three illustrative attachments (built once per run).

Imported by the task tests (API, CLI, web page); the attachments are the illustrative samples in
``tests/data/attachments`` (not official text).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
GUOFA = ROOT / ".." / "shared" / "corpus" / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"
ATTACHMENTS = ROOT / "tests" / "data" / "attachments"
SEED_KEY = "冀政字〔2021〕61号"
GOV = "保定市政府"
GOV_IRI = "https://w3id.org/policykg/id/entity/baoding-municipal-government"

_BUILT: dict[str, object] = {}


def attachment_files() -> list[Path]:
    return sorted(ATTACHMENTS.glob("sample-附件*-illustrative.docx"))


def build_settings(tmp_path_factory):
    """Settings of the shared data folder, ingesting it on first use."""
    if "settings" not in _BUILT:
        from policykg.service import PolicyKG
        from policykg.settings import Settings

        if not GUOFA.is_file():
            pytest.skip(f"corpus not found at {GUOFA}")
        settings = Settings(data=tmp_path_factory.mktemp("kg-tasks"), encoder="none", workers=1)
        kg = PolicyKG.open(settings)
        try:
            report = kg.ingest([SEED, GUOFA, *attachment_files()], embed=False)
            assert not report.failed, report.failed
        finally:
            kg.close()
        _BUILT["settings"] = settings
    return _BUILT["settings"]


@pytest.fixture(scope="module")
def tasks_settings(tmp_path_factory):
    return build_settings(tmp_path_factory)


@pytest.fixture(scope="module")
def tasks_url(tasks_settings):
    from tests.api.conftest import Server

    with Server(tasks_settings) as srv:
        yield srv.url
