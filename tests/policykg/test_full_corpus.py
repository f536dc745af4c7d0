"""Ingest of a large part of the reference corpus: no failures, measures found, every file accounted for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from policykg.pipeline import Pipeline
from policykg.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

#: Law folders ingested (about a third of laws/: national laws, regulations, a local sample).
LAW_FOLDERS = ("经济法", "行政法", "社会法", "民法商法", "DLC")


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, corpus_dir):
    folders = {"gov-policy": [corpus_dir / "gov-policy"], "reports": [corpus_dir / "reports"],
               "laws": [corpus_dir / "laws" / f for f in LAW_FOLDERS]}
    paths = [p for ps in folders.values() for p in ps]
    data = tmp_path_factory.mktemp("full") / "data"
    pipe = Pipeline(Settings(data=data, encoder="none"))
    report = pipe.ingest(paths, embed=False)
    return pipe, paths, folders, report


def test_no_failures_and_every_file_accounted_for(ingested):
    pipe, paths, folders, report = ingested
    files = sum(len(_files(p)) for p in paths)
    assert report.files == files, f"expected {files} files, got {report.files}"
    assert not report.failed, f"expected no failures, got {report.failed[:5]}"
    manifest = pipe.data.current().manifest()
    docs = len(manifest.documents)
    assert docs + len(report.duplicates) == files, (
        f"documents ({docs}) + duplicates ({len(report.duplicates)}) should equal files ({files})")
    assert len(report.added) == docs, f"every document added once: {len(report.added)} added, {docs} stored"
    for path, key in report.duplicates:  # a duplicate names a stored document with the same text
        assert key in manifest.documents, (path, key)


def test_share_of_documents_with_measures(ingested):
    pipe, _, folders, _ = ingested
    manifest = pipe.data.current().manifest()
    by_folder: Counter = Counter()
    with_measures: Counter = Counter()
    for info in manifest.documents.values():
        src = Path(info.source).resolve()
        folder = next(name for name, ps in folders.items() if any(src.is_relative_to(p.resolve()) for p in ps))
        if src.name == "_index.txt":
            continue  # a folder listing, not a document
        by_folder[folder] += 1
        with_measures[folder] += info.measures > 0
    share = {f: with_measures[f] / by_folder[f] for f in by_folder}
    assert share["laws"] >= 0.98, f"laws with measures: expected >= 0.98, got {share}"
    assert share["gov-policy"] == 1.0, f"every structured gov-policy document has measures, got {share}"


def test_reingest_same_files_does_no_work(ingested):
    pipe, paths, _, first = ingested
    gen = pipe.data.current().number
    report = pipe.ingest(paths, embed=False)
    assert report.parsed == 0 and not report.changed, report.as_dict()
    assert report.unchanged == first.files, f"expected {first.files} unchanged, got {report.unchanged}"
    assert pipe.data.current().number == gen, "an unchanged re-ingest must not write a new generation"


def test_same_key_different_text_keeps_both(corpus_dir, tmp_path):
    gov = sorted((corpus_dir / "gov-policy").glob("国发*.txt"))[0]
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    text = gov.read_text("utf-8")
    a.write_text(text, "utf-8")
    b.write_text(text.replace("。", "。\n", 1) + "\n附加一句新的文字。", "utf-8")
    data = tmp_path / "data"
    report = Pipeline(Settings(data=data, encoder="none")).ingest([a, b], embed=False)
    assert len(report.added) == 2 and len(report.renamed) == 1, report.as_dict()
    key = report.added[0]
    assert report.renamed[0][1].startswith(key + "#"), report.renamed
