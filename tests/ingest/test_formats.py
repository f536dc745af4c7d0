"""The file-format table (``ingest.formats``): every reader it names exists, and a folder ingest
picks up every format in it, a format registered later included."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from ingest import formats
from ingest.formats import FileFormat, load_reader
from ingest.read import iter_files
from policykg.pipeline import Pipeline
from policykg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
ATT = ROOT / "tests" / "data" / "attachments"


def _sample(number: int, ext: str) -> Path:
    (path,) = ATT.glob(f"sample-附件{number}-*-illustrative{ext}")
    return path


def test_every_reader_in_the_table_imports():
    for ext, fmt in formats.FORMATS.items():
        assert fmt.document or fmt.table, f"{ext}: no reader"
        for ref in (fmt.document, fmt.table):
            if ref is not None:
                assert callable(load_reader(ref)), (ext, ref)


def test_folder_listing_follows_the_table(tmp_path, monkeypatch):
    for name in ("a.txt", "b.xlsx", "c.csv", "d.tsv", "e.toml", "f.tab"):
        (tmp_path / name).write_bytes(b"x")
    listed = lambda: [p.name for p in iter_files([tmp_path], tables=True)]  # noqa: E731
    assert listed() == ["a.txt", "b.xlsx", "c.csv", "d.tsv"]
    assert [p.name for p in iter_files([tmp_path])] == ["a.txt"], "documents only by default"
    monkeypatch.setitem(formats.FORMATS, ".tab", FileFormat(".tab", "csv", table=formats.FORMATS[".csv"].table,
                                                            always_table=True))
    assert listed() == ["a.txt", "b.xlsx", "c.csv", "d.tsv", "f.tab"]


def _tsv_copy(src: Path, dest: Path) -> Path:
    """The CSV sample rewritten tab-separated."""
    with open(src, newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    with open(dest, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter="\t").writerows(rows)
    return dest


def test_folder_ingest_reads_spreadsheet_task_lists_and_a_registered_format(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    shutil.copy(_sample(1, ".xlsx"), folder / "附件1-教育部支持政策清单.xlsx")
    shutil.copy(_sample(2, ".csv"), folder / "附件2-河北省支持政策与措施清单.csv")
    _tsv_copy(_sample(3, ".csv"), folder / "附件3-保定市建设任务清单.tsv")
    shutil.copy(_sample(1, ".csv"), folder / "附件1-副本.tab")  # no reader yet: not picked up
    pipe = Pipeline(Settings(data=tmp_path / "data", encoder="none", workers=1))
    report = pipe.ingest([folder], embed=False)
    assert report.files == 4 and not report.failed, report
    docs = pipe.data.current().manifest().documents
    attachments = {info.source.rsplit("/", 1)[-1]: info for info in docs.values() if info.kind == "attachment"}
    assert sorted(attachments) == ["附件1-教育部支持政策清单.xlsx", "附件2-河北省支持政策与措施清单.csv",
                                   "附件3-保定市建设任务清单.tsv"], sorted(attachments)
    assert all(info.tasks > 0 and info.parent == "冀政字〔2021〕61号" for info in attachments.values()), attachments

    monkeypatch.setitem(formats.FORMATS, ".tab", FileFormat(".tab", "csv", table=formats.FORMATS[".csv"].table,
                                                            always_table=True))
    report = pipe.ingest([folder], embed=False)
    assert report.files == 5 and report.unchanged == 4 and len(report.added) + len(report.duplicates) == 1, report
    assert not report.failed, report.failed


def test_a_table_in_a_folder_that_is_no_task_list_is_skipped_and_fails_when_named(tmp_path):
    """A folder may hold other tables (the reference corpus has an index.tsv of its files): a folder
    ingest skips them and says so; the same file named explicitly fails with the reader's reason."""
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SEED, docs / SEED.name)
    (docs / "index.tsv").write_text("path\ttitle\tyear\nseed.txt\t某文件\t2021\n", encoding="utf-8")
    settings = Settings(data=tmp_path / "data", encoder="none")
    walked = Pipeline(settings).ingest([docs], embed=False)
    assert walked.failed == [] and walked.documents == 1
    assert [Path(p).name for p, _ in walked.skipped] == ["index.tsv"]
    assert "no header row" in walked.skipped[0][1]
    assert walked.as_dict()["skipped"][0]["path"].endswith("index.tsv")
    named = Pipeline(settings).ingest([docs / "index.tsv"], embed=False)
    assert named.skipped == [] and [Path(p).name for p, _ in named.failed] == ["index.tsv"]
    assert named.documents == 1, "what was stored stays"
