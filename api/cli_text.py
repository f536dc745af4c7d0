"""Human output of the ``policykg`` command: Chinese labels, evidence as quoted text (offsets only in ``--json``).

>>> quote_evidence({"text": "国务院", "context": "第五条 国务院专利行政部门", "start": 509, "end": 512})
'“…第五条 国务院专利行政部门…”'
"""

from __future__ import annotations

import click

from policykg.labels import ENTITY_TYPE_ZH, EVIDENCE_KIND_ZH, INTENT_ZH, KIND_ZH, ROLE_ZH, SCORE_ZH, TASK_ROLE_ZH, zh

TASK_ROLES = tuple(TASK_ROLE_ZH)


def quote_evidence(ev: dict) -> str:
    """The evidence in its context, as a quotation (no character offsets)."""
    text = " ".join(str(ev.get("context") or ev.get("text") or "").split())
    return f"“…{text}…”"


def range_line(total: int | None, offset: int, shown: int, unit: str = "条") -> str:
    """"第 21–40 条，共 152 条" (or "共 N 条" when everything is shown)."""
    total = shown if total is None else total
    if not total:
        return f"共 0 {unit}"
    if offset == 0 and shown >= total:
        return f"共 {total} {unit}"
    return f"第 {offset + 1}–{offset + shown} {unit}，共 {total} {unit}"


def print_results(obj: dict) -> None:
    results = obj.get("results", [])
    if obj.get("entities"):
        names = "、".join(e["label_zh"] + (f"（{e['label_en']}）" if e.get("label_en") else "") for e in obj["entities"])
        click.echo(f"实体：{names}")
    elif results and (results[0].get("why") or {}).get("match") == "text":
        click.echo(f"没有名为“{obj.get('query')}”的实体；以下是正文含有该名称的措施（文本匹配）")
    if obj.get("total") is None and not obj.get("entities"):  # ranked hits: the best N, not a complete set
        click.echo(f"前 {len(results)} 条结果")
    else:
        exact = obj.get("entities") or (results and (results[0].get("why") or {}).get("match") == "text")
        click.echo(range_line(obj.get("total"), obj.get("offset") or 0, len(results), "条措施" if exact else "条"))
    if not results:
        click.echo("没有足够接近的措施：文件中似乎没有谈到这个问题。可以换个说法再试。"
                   if obj.get("why") == "no_close_match" else "没有结果。")
    start = (obj.get("offset") or 0) + 1
    for i, r in enumerate(results, start):
        label = r.get("measure_label") or ""
        where = (r.get("document_title") or r["document"]) + (f"（{r['document']}）" if r.get("document") != r.get("document_title") else "")
        click.secho(f"{i}. {label} {r['title']}", bold=True)
        click.echo(f"   文件：{where}")
        why = r.get("why") or {}
        bits = []
        if r.get("roles"):
            bits.append("角色 " + "、".join(zh(ROLE_ZH, x) for x in r["roles"]))
        if why.get("entities"):
            bits.append("实体 " + "、".join(e.get("label") or e.get("label_zh") or "" for e in why["entities"]))
        if why.get("terms"):
            bits.append("匹配词 " + " ".join(why["terms"][:8]))
        if why.get("glossary"):
            bits.append("术语对照 " + " ".join(f"{g['en']}={g['zh']}" for g in why["glossary"][:6]))
        if why.get("match") == "text":
            bits.append("原文包含该名称")
        if why.get("intent") and not bits:
            bits.append(zh(INTENT_ZH, why["intent"]))
        scores = why.get("scores") or {}
        score = f"得分 {r['score']:.3f}" + ("" if not scores else "（" + "，".join(
            f"{zh(SCORE_ZH, k)} {v:.2f}" for k, v in scores.items() if v and k != "fused") + "）")
        click.echo("   " + "；".join(bits + [score]) if bits else "   " + score)
        for ev in (r.get("evidence") or [])[:2]:
            click.echo(f"   依据：{quote_evidence(ev)}")
        text = " ".join(r["text"].split())
        click.echo("   " + (text[:150] + " …" if len(text) > 150 else text))


def print_entities(rows: list[dict], total: int | None = None, offset: int = 0) -> None:
    click.echo(range_line(total, offset, len(rows), "个"))
    if not rows:
        click.echo("没有找到实体。")
    for e in rows:
        en = f" / {e['label_en']}" if e.get("label_en") else ""
        click.echo(f"{e['measures']:>4} 条措施  {e['label_zh']}{en}  〔{zh(ENTITY_TYPE_ZH, e['type'])}〕")


def print_documents(rows: list[dict], total: int | None = None, offset: int = 0) -> None:
    click.echo(range_line(total, offset, len(rows), "份"))
    for d in rows:
        issuers = "、".join(d.get("issuers") or [])
        click.echo(f"{d['measures']:>4} 条措施  {d['date'] or '—':<10}  {zh(KIND_ZH, d['kind']):<4}  {d['docno'] or '—':<18} "
                   f"{d['title']}" + (f"（{issuers}）" if issuers else ""))


def print_tasks(rows: list[dict], total: int | None = None, offset: int = 0) -> None:
    click.echo(range_line(total, offset, len(rows), "项任务"))
    for t in rows:
        click.secho(f"- {t['attachment_title']} 第 {t['row']} 项：{t['text']}", bold=True)
        units = "；".join(f"{TASK_ROLE_ZH[r]}：{'、'.join(o['label'] for o in t[r])}" for r in TASK_ROLES if t.get(r))
        due = t.get("deadline_text") or "未列明"
        if t.get("deadline") and t.get("deadline_text") != t["deadline"]:
            due += f"（{t['deadline']} 前）"
        click.echo(f"    {units or '未列明单位'}  |  完成时限：{due}")
        for m in t.get("measures", []):
            conf = f"{m['confidence']:.0%}" if m.get("confidence") is not None else "未知"
            kind = zh(EVIDENCE_KIND_ZH, m.get("evidence_kind"))
            click.echo(f"    落实 {m['doc_key']} 第 {m['number']} 条措施（置信度 {conf}，依据：{kind}）")


STAT_NAMES = {"documents": "文件", "measures": "措施", "entities": "实体", "triples": "三元组", "generation": "索引版本",
              "encoder": "语义模型", "data": "数据目录", "tasks": "附件任务"}


def print_stats(s: dict) -> None:
    for key, value in s.items():
        name = STAT_NAMES.get(key, key)
        if isinstance(value, dict):
            click.echo(f"{name}：")
            for k2, v2 in value.items():
                click.echo(f"  {zh(ENTITY_TYPE_ZH, k2) or k2:<12} {v2}")
        else:
            click.echo(f"{name:<10} {value if value is not None else '—'}")


def print_report(r: dict) -> None:
    """An ingest report in Chinese; the last line sums up, naming how many files failed."""
    for p, k in ((d["path"], d["of"]) for d in r.get("duplicates") or []):
        click.echo(f"重复：{p} 与已导入的 {k} 内容相同")
    for p, k in ((d["path"], d["key"]) for d in r.get("renamed") or []):
        click.echo(f"改名：{p} 的键在本批中已被使用，存为 {k}")
    for s in r.get("skipped") or []:
        click.echo(f"跳过：{s['path']}（表格中没有任务清单的表头，不是任务清单）")
    for f in r.get("failed") or []:
        err = f["error"] if f["path"] in f["error"] else f"{f['path']}: {f['error']}"
        click.echo(f"失败：{err}", err=True)
    click.echo(f"索引：{r['documents']} 份文件、{r['measures']} 条措施" + (f"（第 {r['generation']} 版）" if r.get("generation") else ""))
    if r.get("characters") and r.get("seconds"):
        click.echo(f"解析 {r['characters']:,} 字，用时 {r['seconds']:.1f} 秒（每秒 {r['characters'] / r['seconds']:,.0f} 字）"
                   + (f"，新嵌入 {r['embedded']} 段" if r.get("embedded") else ""))
    failed = len(r.get("failed") or [])
    summary = (f"共 {r['files']} 个文件：新增 {len(r['added'])}，更新 {len(r['replaced'])}，未变 {r['unchanged']}，"
               f"失败 {failed}" + (f"，跳过 {len(r['skipped'])}" if r.get("skipped") else "")
               + (f"，删除 {len(r['deleted'])}" if r.get("deleted") else ""))
    click.echo(summary, err=bool(failed))
