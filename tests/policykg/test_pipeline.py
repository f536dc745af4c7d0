"""Ingest end to end on real documents: idempotence, incremental updates, bad input, faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.errors import IndexCorruptError, NotFoundError
from policykg.service import PolicyKG
from policykg.settings import Settings

pytestmark = pytest.mark.corpus


def _triples(kg: PolicyKG) -> set[str]:
    return set(kg.export("nt").decode("utf-8").splitlines())


def _open(data: Path, **kw) -> PolicyKG:
    return PolicyKG.open(Settings(data=data, **kw))


def test_seed_and_guofa_structure(kg_data):
    kg = _open(kg_data)
    docs = {d["key"]: d for d in kg.documents()}
    assert docs["冀政字〔2021〕61号"]["measures"] == 18, docs
    assert docs["国发〔2019〕4号"]["measures"] == 20, docs
    seed = kg.document("冀政字〔2021〕61号")
    assert len([s for s in seed["sections"] if s["measures"]]) == 6
    assert "国发〔2019〕4号" in seed["cites"], f"seed should cite 国发〔2019〕4号, got {seed['cites']}"


def test_measures_involving_is_exact_for_every_name(kg_data):
    kg = _open(kg_data, encoder="none")
    expected = [("冀政字〔2021〕61号", 6), ("冀政字〔2021〕61号", 7), ("冀政字〔2021〕61号", 15)]
    for name in ("河北软件职业技术学院", "Hebei Software Vocational College", "河北软件职院"):
        got = [(r["document_key"], r["measure"]) for r in kg.measures_involving(name)["results"]]
        assert got == expected, f"{name}: expected {expected}, got {got}"
        for r in kg.measures_involving(name)["results"]:
            assert r["evidence"], r
            for ev in r["evidence"]:
                quoted = r["text"][ev["start"] - r["start"]:ev["end"] - r["start"]]
                assert quoted == ev["text"] == "河北软件职业技术学院", (quoted, ev)


def test_reingest_same_files_does_no_work_and_same_graph(kg_copy, seed_path, guofa4_path):
    kg = _open(kg_copy)
    before = _triples(kg)
    gen_before = kg.stats()["generation"]
    report = kg.ingest([seed_path, guofa4_path])
    assert report.unchanged == 2 and report.parsed == 0 and not report.changed, report.as_dict()
    assert kg.stats()["generation"] == gen_before, "an unchanged re-ingest must not write a new generation"
    assert _triples(kg) == before


def test_rebuild_gives_identical_graph(kg_copy, seed_path, guofa4_path):
    kg = _open(kg_copy)
    before = _triples(kg)
    kg.ingest([seed_path, guofa4_path], rebuild=True)
    assert _triples(kg) == before, "re-ingesting the same files must yield the same triples"


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\x00\x01\x02\xff\xfe" * 200, "binary"),
])
def test_bad_file_leaves_index_unchanged(kg_copy, tmp_path, content, message):
    kg = _open(kg_copy, encoder="none")
    before = _triples(kg)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    report = kg.ingest([bad], embed=False)
    assert len(report.failed) == 1 and message in report.failed[0][1].lower(), report.failed
    assert _triples(kg) == before


def test_missing_path_is_a_clear_error(kg_copy):
    kg = _open(kg_copy, encoder="none")
    before = _triples(kg)
    with pytest.raises(NotFoundError, match="does-not-exist"):
        kg.ingest(["does-not-exist.txt"])
    assert _triples(kg) == before


def test_gbk_file_reads_like_utf8(tmp_path, seed_path):
    text = seed_path.read_text("utf-8")
    gbk = tmp_path / "seed-gbk.txt"
    gbk.write_bytes(text.encode("gb18030"))
    kg = _open(tmp_path / "data", encoder="none")
    kg.ingest([gbk], embed=False)
    assert kg.document("冀政字〔2021〕61号")["measures"] == 18


def test_add_replace_delete(kg_copy, tmp_path, seed_path):
    kg = _open(kg_copy, encoder="none")
    guofa = "国发〔2019〕4号"
    guofa_before = {t for t in _triples(kg) if "%E5%9B%BD%E5%8F%91" in t or guofa in t}
    # replace: same 发文字号, new text (measure 1 reworded)
    text = seed_path.read_text("utf-8").replace("提升职业教育整体办学水平", "全面提升职业教育办学水平")
    changed = tmp_path / "seed-v2.txt"
    changed.write_text(text, "utf-8")
    report = kg.ingest([changed], embed=False)
    assert report.replaced == ["冀政字〔2021〕61号"], report.as_dict()
    m1 = kg.measure("冀政字〔2021〕61号", 1)
    assert m1["title"].startswith("全面提升职业教育办学水平"), m1["title"]
    assert {t for t in _triples(kg) if "%E5%9B%BD%E5%8F%91" in t or guofa in t} == guofa_before
    hits = kg.search("全面提升职业教育办学水平", k=3, mode="bm25")["results"]
    assert hits and hits[0]["measure"] == 1 and "全面提升" in hits[0]["text"]
    # delete
    kg.delete("冀政字〔2021〕61号")
    assert [d["key"] for d in kg.documents()] == [guofa]
    assert all(r["document_key"] == guofa for r in kg.search("职业教育", k=20, mode="bm25")["results"])
    with pytest.raises(NotFoundError):
        kg.measures_involving("河北软件职业技术学院")


def test_corrupted_index_file_is_detected(kg_copy):
    gen = (kg_copy / "generations" / (kg_copy / "CURRENT").read_text().strip())
    victim = next(p for p in sorted((gen / "index").rglob("*")) if p.is_file() and p.suffix == ".npy")
    victim.write_bytes(victim.read_bytes()[:50])
    with pytest.raises(IndexCorruptError, match="ingest"):
        _open(kg_copy)


@pytest.mark.slow
def test_killed_ingest_leaves_previous_index_usable(kg_copy, corpus_dir):
    kg = _open(kg_copy, encoder="none")
    before = _triples(kg)
    live = int((kg_copy / "CURRENT").read_text())
    new_gen = kg_copy / "generations" / str(live + 1)
    env = {**os.environ, "POLICYKG_DATA": str(kg_copy), "POLICYKG_ENCODER": "none"}
    big = [corpus_dir / "laws" / "经济法", corpus_dir / "laws" / "行政法"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "ingest", *map(str, big), "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (new_gen / "store").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # well inside writing the new generation's graph and indexes
    assert proc.poll() is None, "ingest finished before it could be killed; give it more work"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert int((kg_copy / "CURRENT").read_text()) == live
    kg2 = _open(kg_copy, encoder="none")
    assert _triples(kg2) == before, "a killed ingest must leave the previous generation live"
    assert [r["measure"] for r in kg2.measures_involving("河北软件职业技术学院")["results"]] == [6, 7, 15]
    assert kg2.search("河北软件职业技术学院", k=3, mode="bm25")["results"], "the previous search index must still load"
    report = kg2.ingest(big, embed=False)
    assert not report.failed, report.failed[:3]
    assert not new_gen.exists() or int((kg_copy / "CURRENT").read_text()) == live + 1
    assert len(kg2.documents()) > 150
