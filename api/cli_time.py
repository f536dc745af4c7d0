"""``policykg`` commands about documents in time and in relation (registered on ``api.cli.main``).

``versions``, ``relations`` (what a document cites / is based on / repeals / implements, and
what does so to it), ``cites`` / ``cited-by`` / ``based-on`` / ``repealed-by`` shortcuts,
``citations`` (counts, unresolved titles, precision / recall on a judged sample), ``diff``,
``align`` and ``analytics``. Human output is Chinese; ``--json`` prints the service's dict.
"""

from __future__ import annotations

import click

from api.cli_base import DATA_HELP, _emit, _open, main

KIND_ZH = {"cites": "引用", "based_on": "依据", "repeals": "废止", "implements": "实施", "changes": "修改",
           "amended_by": "被修改"}
STATUS_ZH = {"unchanged": "未改", "changed": "修改", "added": "新增", "removed": "删除"}


@main.command()
@click.argument("document")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def versions(document, data, as_json) -> None:
    """All editions of the work a document belongs to (法规变迁), oldest first."""
    kg = _open(data, encoder=False)

    def human(obj):
        click.echo(f"作品：{obj['work']['title'] if obj['work'] else obj['versions'][0]['title']}")
        for v in obj["versions"]:
            end = v["date_no_longer_in_force"] or ""
            click.echo(f"  {v['version_date'] or '-':<10}  施行 {v['entry_into_force'] or '-':<10}  "
                       f"失效 {end or '-':<10}  {v['status_zh']:<6}  {v['key']}")

    _emit(kg.versions(document), as_json, human)


def _print_relations(obj: dict) -> None:
    click.echo(f"{obj['title']}  ({obj['document']})")
    for head, items, other in (("本文件引用/依据：", obj["outgoing"], "target"), ("引用/依据本文件的：", obj["incoming"], "source")):
        click.echo(head + (" 无" if not items else ""))
        for x in items:
            name = x[f"{other}_title"] or x["title"]
            art = f" {x['article']}" if x.get("article") else ""
            where = f" [第{x['source_measure']}项]" if other == "target" and x.get("source_measure") else ""
            mark = "" if x["resolved"] else "（未收录）"
            date = x.get("target_version_date") if other == "target" else x.get("source_date")
            click.echo(f"  {KIND_ZH.get(x['kind'], x['kind'])}  《{name}》{art}{mark} {date or ''}{where}")


@main.command()
@click.argument("document")
@click.option("--kind", type=click.Choice(["cites", "based_on", "repeals", "implements", "changes", "amended_by"]),
              help="Only this relation.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def relations(document, kind, data, as_json) -> None:
    """What a document cites, is based on, repeals or implements, and what does so to it."""
    kg = _open(data, encoder=False)
    _emit(kg.relations(document, kind), as_json, _print_relations)


def _shortcut(name: str, kind: str | None, direction: str, doc: str) -> None:
    @main.command(name=name, help=doc)
    @click.argument("document")
    @click.option("--data", help=DATA_HELP)
    @click.option("--json", "as_json", is_flag=True)
    def command(document, data, as_json) -> None:
        kg = _open(data, encoder=False)
        obj = kg.relations(document, kind)
        obj["outgoing" if direction == "in" else "incoming"] = []
        _emit(obj, as_json, _print_relations)


_shortcut("cites", "cites", "out", "What a document cites (所有引用).")
_shortcut("cited-by", None, "in", "What cites a document (被引用).")
_shortcut("based-on", "based_on", "out", "What a document is based on (制定依据).")
_shortcut("repealed-by", "repeals", "in", "What repealed a document (被废止).")


@main.command()
@click.option("--sample", type=click.Path(exists=True, dir_okay=False),
              help="Judged sample (e.g. tests/data/citations_sample.json): report precision and recall.")
@click.option("--limit", default=30, show_default=True, help="Unresolved titles to list.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def citations(sample, limit, data, as_json) -> None:
    """Citation counts by kind, the unresolved titles, and precision / recall on a judged sample."""
    kg = _open(data, encoder=False)
    obj = kg.citation_evaluation(sample) if sample else {"counts": kg.unresolved_citations(limit=limit)}

    def human(o):
        c = o["counts"]
        click.echo(f"引用 {c['citations']} 条：已解析 {c['resolved']}，未收录 {c['unresolved']}")
        for k, v in c["by_kind"].items():
            click.echo(f"  {KIND_ZH[k]}：已解析 {v['resolved']}，未收录 {v['unresolved']}")
        click.echo("未收录的引用（次数）：")
        for t in c["unresolved_titles"][:limit]:
            click.echo(f"  {t['count']:>4}  《{t['title']}》")
        if "precision" in o:
            click.echo(f"抽样 {o['sample']} 处（引用 {o['citations']} 条，其中 {o['expected']} 条的被引文件已收录）：")
            for name, zh in (("dev", "开发集"), ("test", "测试集")):
                e = o["splits"][name]
                click.echo(f"  {zh}：精确率 {e['precision']:.3f}（{e['correct']}/{e['resolved']}），"
                           f"召回率 {e['recall']:.3f}（{e['correct']}/{e['expected']}）")
            click.echo(f"  合计：精确率 {o['precision']:.3f}（{o['correct']}/{o['resolved']}），"
                       f"召回率 {o['recall']:.3f}（{o['correct']}/{o['expected']}），错误 {len(o['errors'])}")
            click.echo(f"抽样中被引文件未收录的引用 {o['not_in_corpus']} 条：" + "；".join(f"《{u['title']}》" for u in o["unresolved"]))
            for e in o["errors"]:
                got = e["got"]["work"] if e["got"] else "未解析"
                click.echo(f"  错误：{e['source']} {e['start']} 《{e['title']}》 应为《{e['expected_work']}》 {e['expected_key'] or ''}，得到 {got}")

    _emit(obj, as_json, human)


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--all", "show_all", is_flag=True, help="Also list unchanged articles.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def diff(a, b, show_all, data, as_json) -> None:
    """Compare two documents article by article (条文对比): added, removed, renumbered, changed."""
    kg = _open(data, encoder=False)

    def human(o):
        s = o["summary"]
        click.echo(f"《{o['a']['title']}》{o['a']['date'] or ''} → 《{o['b']['title']}》{o['b']['date'] or ''}")
        click.echo(f"修改 {s['changed']}  新增 {s['added']}  删除 {s['removed']}  未改 {s['unchanged']}  "
                   f"条号变动 {s['renumbered']}")
        for r in o["articles"]:
            if r["status"] == "unchanged" and not show_all and not r["renumbered"]:
                continue
            la = r["a"]["label"] if r["a"] else "—"
            lb = r["b"]["label"] if r["b"] else "—"
            moved = "（条号变动）" if r["renumbered"] else ""
            click.echo(f"[{STATUS_ZH[r['status']]}] {la} → {lb}{moved}")
            if r["status"] == "changed":
                parts = []
                for op, old, new in r["ops"]:
                    if op == "equal":
                        parts.append(old if len(old) <= 24 else old[:10] + "…" + old[-10:])
                    else:
                        parts.append(f"[-{old}-]" * bool(old) + f"{{+{new}+}}" * bool(new))
                click.echo("    " + "".join(parts).replace("\n", " "))

    _emit(kg.diff(a, b), as_json, human)


@main.command()
@click.argument("local")
@click.argument("national")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="Hand-made alignment (e.g. tests/data/alignment_seed_gf2019_4.json): report P/R against the baseline.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def align(local, national, gold, data, as_json) -> None:
    """Which measures of a local document correspond to which measures of the national one (对应的上位政策措施)."""
    kg = _open(data, encoder=False)
    obj = kg.alignment(local, national)
    if gold:
        obj["evaluation"] = kg.alignment_evaluation(local, national, gold)

    def human(o):
        click.echo(f"《{o['local']['title']}》 ↔ 《{o['national']['title']}》")
        for r in o["alignments"]:
            ev = "、".join(r["shared_entities"][:4] + r["shared_wording"][:3])
            click.echo(f"  {r['local']['label']:<5} → {r['national']['label']:<6} {r['score']:.3f}  "
                       f"{r['national']['heading'][:24]}  依据：{ev}")
        if "evaluation" in o:
            for name, e in o["evaluation"]["test"].items():
                click.echo(f"测试集 {name}：精确率 {e['precision']:.3f} 召回率 {e['recall']:.3f} F1 {e['f1']:.3f}")

    _emit(obj, as_json, human)


@main.command()
@click.option("--top", default=10, show_default=True)
@click.option("--law", help="Also list the documents reachable from this law (key, 发文字号 or title).")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def analytics(top, law, data, as_json) -> None:
    """Network figures: most-cited documents and articles, leading bodies, reachability, communities."""
    kg = _open(data, encoder=False)

    def human(o):
        click.echo("被引用最多的文件：")
        for x in o["most_cited_documents"]:
            click.echo(f"  {x['count']:>5}  {x['title']}")
        click.echo("被引用最多的条文：")
        for x in o["most_cited_articles"]:
            click.echo(f"  {x['count']:>5}  {x['title']} {x['article']}")
        click.echo("牵头/负责最多的机构：")
        for x in o["leading_bodies"]:
            click.echo(f"  {x['count']:>5}  {x['label']}")
        if o.get("reachable"):
            r = o["reachable"]
            click.echo(f"从《{r['title']}》出发可达（直接或间接引用它的）文件 {r['count']} 个")
        click.echo(f"相互引用的文件群落：{len(o['communities'])} 个（最大 {o['communities'][0]['size'] if o['communities'] else 0} 个文件）")

    _emit(kg.analytics(top=top, law=law), as_json, human)
