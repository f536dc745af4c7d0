"""Damaged index files: each case is one line naming the file and the repair, never a traceback;
``policykg verify`` finds every one; the repair command restores a working index."""

from __future__ import annotations

import json
import shutil

import pytest
from tests.security.conftest import SEED, SEED_KEY, policykg

pytestmark = pytest.mark.slow


def _one_line(done) -> str:
    err = done.stderr.strip()
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def _largest_sst(data):
    return max((data / "generations").glob("*/store/*.sst"), key=lambda p: p.stat().st_size)


@pytest.fixture()
def damaged(sec_data, tmp_path):
    def copy():
        dest = tmp_path / f"data{len(list(tmp_path.iterdir()))}"
        shutil.copytree(sec_data, dest)
        return dest
    return copy


def test_truncated_store_file_is_one_line_on_every_command(damaged):
    data = damaged()
    sst = _largest_sst(data)
    with open(sst, "r+b") as fh:
        fh.truncate(sst.stat().st_size // 2)
    for args in (["documents"], ["search", "学院"], ["stats"], ["measures", "--involving", "河北软件职业技术学院"]):
        line = _one_line(policykg(*args, "--data", str(data)))
        assert sst.name in line and "policykg ingest --rebuild" in line, line
    done = policykg("verify", "--data", str(data))
    assert done.returncode == 1 and sst.name in done.stdout and "Traceback" not in done.stderr, done.stdout


def test_flipped_block_is_found_and_not_carried_into_the_next_generation(damaged):
    data = damaged()
    sst = _largest_sst(data)
    raw = bytearray(sst.read_bytes())
    raw[len(raw) // 3] ^= 0xFF
    sst.write_bytes(bytes(raw))
    done = policykg("verify", "--data", str(data), "--json")
    out = json.loads(done.stdout)
    assert done.returncode == 1 and not out["ok"] and any(sst.name in p for p in out["problems"]), out
    before = sorted(p.name for p in (data / "generations").iterdir())
    line = _one_line(policykg("ingest", str(SEED), "--data", str(data), "--no-embed", "--quiet"))
    assert sst.name in line and "--rebuild" in line, line
    assert sorted(p.name for p in (data / "generations").iterdir()) == before, "a generation was built on damage"
    assert policykg("ingest", str(SEED), "--data", str(data), "--no-embed", "--quiet", "--rebuild").returncode == 0
    assert policykg("verify", "--data", str(data)).returncode == 0


def test_edited_parse_cache_is_detected_and_rebuilt(damaged, sec_data):
    data = damaged()
    manifest = json.loads(next((data / "generations").glob("*/manifest.json")).read_text(encoding="utf-8"))
    sha1 = manifest["documents"][SEED_KEY]["sha1"]
    cached = data / "docs" / f"{sha1}.json"
    doc = json.loads(cached.read_text(encoding="utf-8"))
    doc["title"] = "篡改的标题"
    cached.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    from core.errors import IndexCorruptError
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    kg = PolicyKG.open(Settings(data=data, encoder="none"), encoder=False)
    with pytest.raises(IndexCorruptError) as err:
        kg.document(SEED_KEY)
    assert cached.name in str(err.value) and "--rebuild" in str(err.value) and "\n" not in str(err.value)
    kg.close()
    out = json.loads(policykg("verify", "--data", str(data), "--json").stdout)
    assert any(cached.name in p for p in out["problems"]), out
    assert policykg("ingest", str(SEED), "--data", str(data), "--no-embed", "--quiet", "--rebuild").returncode == 0
    kg = PolicyKG.open(Settings(data=data, encoder="none"), encoder=False)
    assert kg.document(SEED_KEY)["title"] != "篡改的标题"
    kg.close()
