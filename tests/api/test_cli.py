"""The command-line contract (DESIGN.md) on a real index: JSON shapes, exact answers, hostile input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main

pytestmark = pytest.mark.corpus

RESULT_KEYS = {"document", "measure", "title", "text", "score", "why"}


@pytest.fixture(scope="module")
def run(kg_data):
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        res = runner.invoke(main, [*args, "--data", str(kg_data)], catch_exceptions=False)
        if ok:
            assert res.exit_code == 0, f"policykg {' '.join(args)} failed: {res.output}"
        return res

    return invoke


def test_search_json_shape(run):
    out = json.loads(run("search", "职业院校教师队伍建设", "-k", "5", "--json").output)
    assert out["query"] == "职业院校教师队伍建设"
    assert 0 < len(out["results"]) <= 5
    for r in out["results"]:
        assert RESULT_KEYS <= set(r), f"missing keys: {RESULT_KEYS - set(r)}"
        assert isinstance(r["score"], float) and isinstance(r["why"], dict)
        assert r["measure"] is None or isinstance(r["measure"], int)
    scores = [r["score"] for r in out["results"]]
    assert scores == sorted(scores, reverse=True), scores


def test_search_readable_output(run):
    out = run("search", "河北软件职业技术学院", "-k", "3").output
    assert "冀政字〔2021〕61号" in out and "匹配词" in out and "依据：“…" in out, out
    assert not re.search(r"\[\d+:\d+\]", out), f"character offsets in human output:\n{out}"


@pytest.mark.parametrize("name", ["河北软件职业技术学院", "河北软件职院", "hebei software vocational college"])
def test_measures_involving_json(run, name):
    out = json.loads(run("measures", "--involving", name, "--json").output)
    got = [(r["document"], r["measure"]) for r in out["results"]]
    assert got == [("冀政字〔2021〕61号", n) for n in (6, 7, 15)], got
    for r in out["results"]:
        assert RESULT_KEYS <= set(r)
        assert any("河北软件职业技术学院" in ev["text"] for ev in r["evidence"]), r["evidence"]


def test_name_that_is_no_entity_answers_the_measures_containing_it(run):
    out = json.loads(run("measures", "--involving", "高阳纺织", "--json").output)
    assert out["entities"] == []
    got = [(r["document"], r["measure"]) for r in out["results"]]
    assert got and all("高阳纺织" in "".join(r["text"].split()) for r in out["results"]), got
    assert all(r["why"]["match"] == "text" and r["evidence"] and r["evidence"][0]["text"] == "高阳纺织"
               for r in out["results"])
    seed = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "seed" / "baoding-vocational-2021.txt"
    from ingest.document import parse_file

    doc = parse_file(seed)
    expected = [("冀政字〔2021〕61号", m.number) for m in doc.measures if "高阳纺织" in "".join(doc.text[m.start:m.end].split())]
    assert [g for g in got if g[0] == "冀政字〔2021〕61号"] == expected, (got, expected)
    human = run("measures", "--involving", "高阳纺织").output
    assert "文本匹配" in human.splitlines()[0], human


def test_unknown_entity_is_one_clear_line(run):
    res = run("measures", "--involving", "不存在的机构名称", ok=False)
    assert res.exit_code == 1
    assert res.output.strip().startswith("Error: No entity named") and len(res.output.strip().splitlines()) == 1


@pytest.mark.parametrize("query", ["", "   ", "。，！？、……", "x" * 10_000, "职业" * 5000,
                                   "SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "'; DELETE {?s ?p ?o} --"])
def test_hostile_queries_return_results_or_a_clear_error(run, query):
    res = run("search", query, "--json", ok=False)
    if res.exit_code == 0:
        out = json.loads(res.output)
        assert isinstance(out["results"], list)
    else:
        assert res.exit_code in (1, 2) and res.output.startswith(("Error:", "Usage:")), res.output
        assert "Traceback" not in res.output


def test_invalid_utf8_argument_is_refused_cleanly(kg_data):
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "api.cli", "search", b"\xff\xfe\xd6\xd0bad", "--data", str(kg_data), "--json"],
        capture_output=True, env=env,
    )
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and "not valid UTF-8" in err and "Traceback" not in err, err


@pytest.mark.parametrize("fmt,probe", [("turtle", "@prefix"), ("nt", "> ."), ("trig", "{"), ("jsonld", "@id")])
def test_export_formats(run, tmp_path, fmt, probe):
    out = tmp_path / f"kg.{fmt}"
    run("export", "--format", fmt, "-o", str(out))
    text = out.read_text("utf-8")
    assert probe in text and "河北软件职业技术学院" in text


def test_stats_json(run):
    s = json.loads(run("stats", "--json").output)
    assert s["documents"] == 2 and s["measures"] == 38, s
    assert s["entities"]["vocational_college"] > 0 and s["triples"] > 1000, s


def test_eval_prints_every_mode(run):
    from pathlib import Path

    questions = Path(__file__).resolve().parents[1] / "data" / "questions.jsonl"
    out = run("eval", str(questions)).output
    for word in ("hybrid", "bm25", "dense", "MRR", "paraphrase", "english"):
        assert word in out, f"{word!r} missing from the evaluation table:\n{out}"


def test_eval_split_reports_one_half(run):
    from pathlib import Path

    questions = Path(__file__).resolve().parents[1] / "data" / "questions.jsonl"
    rows = json.loads(run("eval", str(questions), "--split", "dev", "--json").output)
    allrow = next(r for r in rows if r["kind"] == "all" and r["mode"] == "hybrid")
    n_dev = sum(1 for line in questions.read_text(encoding="utf-8").splitlines() if '"split": "dev"' in line)
    assert allrow["n"] == n_dev, (allrow, n_dev)


def test_search_no_close_match(run):
    out = json.loads(run("search", "xyzzy plugh 火星殖民", "--json").output)
    assert out["why"] == "no_close_match" and out["results"] == [] and out["total"] == 0, out
    assert "没有足够接近" in run("search", "xyzzy plugh 火星殖民").output


def test_eval_entities_meets_thresholds():
    res = CliRunner().invoke(main, ["eval-entities", "--json"], catch_exceptions=False)
    table = json.loads(res.output)
    both = table["institution+government"]
    assert both["precision"] >= 0.95 and both["recall"] >= 0.90, both
