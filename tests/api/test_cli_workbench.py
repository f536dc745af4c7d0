"""The command line as a staffer meets it: exit codes, a busy port, suggested commands that work, Chinese output."""

from __future__ import annotations

import json
import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main

pytestmark = pytest.mark.corpus

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path, seed_path):
    """A folder with one good policy and one broken .docx."""
    src = tmp_path / "in"
    src.mkdir()
    (src / seed_path.name).write_bytes(seed_path.read_bytes())
    (src / "broken.docx").write_bytes(b"this is not a zip archive")
    return src


def test_folder_ingest_with_a_failed_file_exits_1_with_a_summary(folder, tmp_path):
    data = tmp_path / "data"
    res = _run("ingest", str(folder), "--no-embed", "--quiet", "--data", str(data))
    assert res.exit_code == 1, res.output
    assert "broken.docx" in res.output and "失败：" in res.output, res.output
    last = res.output.strip().splitlines()[-1]
    assert last == "共 2 个文件：新增 1，更新 0，未变 0，失败 1", last
    # the good file is in the index all the same
    docs = json.loads(_run("documents", "--json", "--data", str(data)).output)
    assert [d["key"] for d in docs] == ["冀政字〔2021〕61号"], docs


def test_single_bad_file_and_clean_folder_exit_codes(folder, tmp_path):
    data = tmp_path / "data"
    assert _run("ingest", str(folder / "broken.docx"), "--no-embed", "--quiet", "--data", str(data)).exit_code == 1
    (folder / "broken.docx").unlink()
    res = _run("ingest", str(folder), "--no-embed", "--quiet", "--data", str(data))
    assert res.exit_code == 0 and res.output.strip().endswith("失败 0"), res.output


def test_serve_on_a_busy_port_is_one_error_and_nothing_else(kg_data):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--data", str(kg_data)],
                              capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "", proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: Port {port} on 127.0.0.1 is already in use"), proc.stderr
    assert "--port" in lines[0] and "serving" not in proc.stderr and "正在" not in proc.stderr


def _suggested(message: str) -> list[str]:
    commands = re.findall(r"`(policykg [^`]+)`", message)
    assert commands, f"no command suggested in {message!r}"
    return [shlex.split(c)[1:] for c in commands]


@pytest.mark.parametrize("args", [
    ["measures", "--involving", "河北软件学校"],
    ["measures", "--involving", "Hebei Nowhere College"],
    ["measures", "--involving", "完全不存在的名字"],
    ["tasks", "--org", "保定市不存在局"],
])
def test_every_suggested_command_prints_results(kg_data, args):
    res = _run(*args, "--data", str(kg_data))
    assert res.exit_code == 1 and res.output.startswith("Error: "), res.output
    for suggestion in _suggested(res.output):
        out = _run(*suggestion, "--data", str(kg_data))
        assert out.exit_code == 0, out.output
        listed = [ln for ln in out.output.splitlines() if "条措施" in ln]
        assert listed, f"`policykg {' '.join(suggestion)}` printed no entity:\n{out.output}"


def test_human_output_is_chinese_and_quotes_evidence(kg_data):
    out = _run("measures", "--involving", "河北软件职院", "--data", str(kg_data)).output
    assert out.startswith("实体：河北软件职业技术学院") and "共 3 条" in out, out
    assert "依据：“…" in out and "角色 " in out and not re.search(r"\[\d+:\d+\]", out), out
    assert "roles:" not in out and "evidence:" not in out and "score " not in out
    data = json.loads(_run("measures", "--involving", "河北软件职院", "--json", "--data", str(kg_data)).output)
    assert all(isinstance(e["start"], int) for r in data["results"] for e in r["evidence"]), "offsets stay in --json"


def test_filters_and_table_output(kg_data, tmp_path):
    from openpyxl import load_workbook

    xlsx = tmp_path / "out.xlsx"
    res = _run("measures", "--involving", "国务院", "--kind", "policy", "--sort", "date", "-o", str(xlsx),
               "--json", "--data", str(kg_data))
    assert res.exit_code == 0, res.output
    data = json.loads(res.output[res.output.index("{"):])
    assert data["total"] == len(data["results"]) > 0
    rows = list(load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("文件", "发文字号", "措施编号") and len(rows) - 1 == data["total"]
    bad = _run("measures", "--involving", "国务院", "--date-from", "去年", "--data", str(kg_data))
    assert bad.exit_code == 1 and "Cannot read the start date '去年'" in bad.output, bad.output


def test_entities_and_documents_page(kg_data):
    first = _run("entities", "--limit", "2", "--data", str(kg_data)).output.splitlines()
    second = _run("entities", "--limit", "2", "--offset", "2", "--data", str(kg_data)).output.splitlines()
    assert first[0].startswith("第 1–2 个，共 ") and second[0].startswith("第 3–4 个，共 "), (first, second)
    assert set(first[1:]).isdisjoint(second[1:])
    docs = _run("documents", "--data", str(kg_data)).output
    assert docs.startswith("共 2 份") and "政策文件" in docs and "国务院" in docs, docs


def test_export_one_document(kg_data, tmp_path):
    import rdflib

    out = tmp_path / "one.ttl"
    res = _run("export", "--document", "国发〔2019〕4号", "-o", str(out), "--data", str(kg_data))
    assert res.exit_code == 0, res.output
    g = rdflib.Graph().parse(out, format="turtle")
    measures = {str(s) for s in g.subjects() if "/measure/" in str(s)}
    assert measures and not any("%E5%86%80" in m for m in measures), "the seed's measures leaked in"
