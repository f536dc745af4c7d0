"""The ingest benchmark's sample takes every N-th text file, and --keep refuses a folder that holds anything."""

from __future__ import annotations

import subprocess
import sys

from bench.bench_ingest import ROOT, _sample


def test_sample_links_every_nth_text_file_in_path_order(tmp_path):
    src = tmp_path / "src"
    (src / "b").mkdir(parents=True)
    names = [f"{i:02d}.txt" for i in range(10)]
    for name in names:
        (src / "b" / name).write_text(f"第{name}号", encoding="utf-8")
    (src / "b" / "t.xlsx").write_bytes(b"PK\x03\x04")  # no text file: never sampled
    into = tmp_path / "sample"
    into.mkdir()
    _sample([src], 3, into)
    picked = sorted(p.resolve().name for p in into.iterdir())
    assert picked == ["00.txt", "03.txt", "06.txt", "09.txt"]
    assert all(p.is_symlink() for p in into.iterdir())


def test_keep_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").write_text("x", encoding="utf-8")
    out = subprocess.run([sys.executable, "bench/bench_ingest.py", "--corpus", "seed", "--keep", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "not empty" in out.stderr
    assert (tmp_path / "old").read_text(encoding="utf-8") == "x"


def test_every_below_one_is_refused():
    out = subprocess.run([sys.executable, "bench/bench_ingest.py", "--corpus", "seed", "--every", "0"],
                         cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 2 and "--every 0" in out.stderr
