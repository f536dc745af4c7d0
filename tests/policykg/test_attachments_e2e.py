"""Attachments end to end through the real pipeline: annexes, task → measure links, shared organisations,
order of ingest, every format, malformed files.

The fixtures are illustrative samples (``tests/data/attachments``), written to refer to real measures
of the seed policy 冀政字〔2021〕61号; ``gold-links.json`` holds the hand-written task → measure links.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykg.service import PolicyKG
from policykg.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "corpus" / "baoding-vocational-2021.txt"
DATA = ROOT / "tests" / "data" / "attachments"
SEED_KEY = "冀政字〔2021〕61号"
FORMATS = (".txt", ".docx", ".xlsx", ".csv", ".pdf")
TITLES = {1: "教育部支持政策清单", 2: "河北省支持政策与措施清单", 3: "保定市建设任务清单"}


def sample(number: int, ext: str) -> Path:
    (path,) = DATA.glob(f"sample-附件{number}-*-illustrative{ext}")
    return path


def samples(ext: str) -> list[Path]:
    return [sample(n, ext) for n in TITLES]


def _open(data: Path) -> PolicyKG:
    return PolicyKG.open(Settings(data=data, encoder="none", workers=1))


def summary(kg: PolicyKG) -> list[tuple]:
    """Every task as a comparable tuple (attachment title, row, text, deadline, units by role, links)."""
    out = []
    for t in kg.tasks():
        out.append((
            t["attachment_title"], t["row"], t["text"], t["deadline"], t["deadline_text"],
            *(tuple(o["iri"] for o in t[role]) for role in ("lead", "responsible", "support")),
            tuple((m["doc_key"], m["number"], m["evidence_kind"], m["confidence"]) for m in t["measures"]),
            t["parent"],
        ))
    return sorted(out)


def triples(kg: PolicyKG) -> set[str]:
    return set(kg.export("nt").decode("utf-8").splitlines())


@pytest.fixture(scope="module")
def gold() -> dict:
    return json.loads((DATA / "gold-links.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rows() -> dict:
    return json.loads((DATA / "rows.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def together(tmp_path_factory):
    """The seed and the three plain-text attachments, ingested in one run."""
    data = tmp_path_factory.mktemp("together")
    kg = _open(data)
    report = kg.ingest([SEED, *samples(".txt")], embed=False)
    assert not report.failed, report.failed
    yield kg
    kg.close()


def test_every_task_is_annexed_to_the_seed(together, rows):
    doc = together.document(SEED_KEY)
    assert len(doc["annexes"]) == 3, f"expected 3 annexes of {SEED_KEY}, got {doc['annexes']}"
    titles = {}
    for key in doc["annexes"]:
        annex = together.document(key)
        assert annex["kind"] == "attachment" and annex["parent"] == SEED_KEY, (key, annex["kind"], annex["parent"])
        titles[annex["title"]] = annex["tasks"]
    expected = {lst["title"]: len(lst["rows"]) for lst in rows["lists"]}
    assert titles == expected, f"annex titles and row counts: expected {expected}, got {titles}"
    tasks = together.tasks()
    assert len(tasks) == sum(expected.values()), len(tasks)
    assert {t["parent"] for t in tasks} == {SEED_KEY}
    assert {t["attachment"] for t in tasks} == set(doc["annexes"])


def test_links_match_the_gold_as_the_linker_reports(together, gold):
    from ingest.attachments.link import link_tasks, precision_recall
    from ingest.attachments.readers import read_attachment
    from ingest.document import parse_file

    number_of = {v: k for k, v in TITLES.items()}
    got = {(number_of[t["attachment_title"]], t["row"], m["number"])
           for t in together.tasks() for m in t["measures"]}
    expected = {(int(n), int(row), m) for n, by_row in gold["links"].items() for row, ms in by_row.items() for m in ms}
    # What the attachments module itself predicts on the same files, without the pipeline.
    parent = parse_file(SEED)
    numbers = {m.ordinal: m.number for m in parent.measures}
    direct = {(n, lk.task_row, numbers[lk.measure_ordinal])
              for n in TITLES for lk in link_tasks(read_attachment(sample(n, ".txt")), parent)}
    assert got == direct, f"pipeline links differ from the linker's: extra {got - direct}, missing {direct - got}"
    p, r = precision_recall(got, expected)
    # Measured on all 31 rows: P = 0.94, R = 0.97 (the linker's tests report the two halves).
    assert p >= 0.9 and r >= 0.9, f"P {p:.2f} R {r:.2f}; extra {sorted(got - expected)}; missed {sorted(expected - got)}"
    for t in together.tasks():
        for m in t["measures"]:
            assert m["evidence_kind"] in ("explicit", "shared_entities", "text_similarity"), m
            assert 0 < m["confidence"] <= 1, m


def test_organisations_in_tasks_are_the_main_text_nodes(together):
    measure = together.measure(SEED_KEY, 16)
    in_text = {x["iri"] for x in measure["mentions"] if x["text"] in ("保定市政府", "保定市人民政府")}
    assert len(in_text) == 1, f"measure 16 should mention 保定市人民政府 once as one node, got {in_text}"
    (gov,) = in_text
    table_iris = {o["iri"] for t in together.tasks() for role in ("lead", "responsible", "support")
                  for o in t[role] if o["label"] in ("保定市政府", "保定市人民政府")}
    assert table_iris == {gov}, f"tables name 保定市政府 as {table_iris}, the text as {gov}"
    entity = together.entity("保定市政府")
    assert entity["iri"] == gov
    assert entity["tasks"] and all(gov in {o["iri"] for r in ("lead", "responsible", "support") for o in t[r]}
                                   for t in entity["tasks"]), entity["tasks"][:1]
    assert 16 in [r["measure"] for r in entity["measures"]], "the entity page lists measure 16"
    assert measure["tasks"], "measure 16 lists the tasks that implement it"


def test_tasks_led_by_baoding_due_by_end_of_2022(together):
    got = together.tasks(org="保定市政府", role="lead", due_by="2022年底")
    assert got, "the illustrative 保定市建设任务清单 has tasks led by 保定市政府 due by 2022年底"
    for t in got:
        assert t["deadline"] and t["deadline"] <= "2022-12-31", (t["text"], t["deadline"])
        assert "保定市人民政府" in [o["label"] for o in t["lead"]], t["lead"]
    assert together.tasks(org="保定市政府", role="lead", due_by="2022-12-31") == got
    later = together.tasks(org="保定市政府", role="lead")
    assert len(later) > len(got), "some of its tasks run past 2022 or are ongoing"


@pytest.mark.parametrize("order", ["parent first", "attachments first"])
def test_separate_later_ingest_gives_the_same_links(together, tmp_path, order):
    kg = _open(tmp_path)
    first, second = ([SEED], samples(".txt")) if order == "parent first" else (samples(".txt"), [SEED])
    kg.ingest(first, embed=False)
    report = kg.ingest(second, embed=False)
    assert not report.failed, report.failed
    assert summary(kg) == summary(together)
    assert len(kg.document(SEED_KEY)["annexes"]) == 3


@pytest.mark.parametrize("ext", FORMATS[1:])
def test_every_format_gives_the_same_tasks(together, tmp_path, ext):
    kg = _open(tmp_path)
    report = kg.ingest([SEED, *samples(ext)], embed=False)
    assert not report.failed, report.failed
    expected, got = summary(together), summary(kg)
    assert len(got) == len(expected), f"{ext}: {len(got)} tasks, .txt gives {len(expected)}"
    diff = [(a, b) for a, b in zip(expected, got) if a != b]
    assert not diff, f"{ext} differs from .txt on {len(diff)} tasks, first: {diff[0]}"


@pytest.mark.parametrize("name,problem", [
    ("malformed-corrupt-illustrative.xlsx", "corrupt"),
    ("malformed-missing-task-column-illustrative.xlsx", "missing required column"),
    ("malformed-no-header-illustrative.csv", "no header row"),
])
def test_malformed_attachment_one_line_error_nothing_lost(together, tmp_path, name, problem):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(together.settings.data, data, symlinks=True)
    kg = _open(data)
    before, tasks_before = triples(kg), summary(kg)
    report = kg.ingest([DATA / name], embed=False)
    assert len(report.failed) == 1, report.failed
    path, message = report.failed[0]
    assert name in path and name in message and problem in message, message
    assert "\n" not in message and "Traceback" not in message, message
    assert triples(kg) == before and summary(kg) == tasks_before, "a bad attachment changed the index"


def test_pdf_without_a_table_named_as_an_attachment(together, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(together.settings.data, data, symlinks=True)
    bad = tmp_path / "附件3-保定市建设任务清单-无表格.pdf"
    shutil.copy(DATA / "malformed-no-table-illustrative.pdf", bad)
    kg = _open(data)
    before = triples(kg)
    report = kg.ingest([bad], embed=False)
    assert len(report.failed) == 1 and "no table in PDF" in report.failed[0][1] and bad.name in report.failed[0][1], \
        report.failed
    assert triples(kg) == before


def test_pdf_without_a_table_is_refused_whatever_its_name(together, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(together.settings.data, data, symlinks=True)
    kg = _open(data)
    report = kg.ingest([DATA / "malformed-no-table-illustrative.pdf"], embed=False)
    assert len(report.failed) == 1 and "no table" in report.failed[0][1], report.as_dict()
