"""The ``policykg`` command line: readable output for people, ``--json`` for programs.

Errors from the library (``policykg.errors``) become one line on stderr and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from policykg.errors import BadInputError, PolicyKGError

DATA_HELP = "Data folder (default: $POLICYKG_DATA, else ./.policykg)."


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except PolicyKGError as exc:
            raise click.ClickException(str(exc)) from None


def _open(data: str | None, *, encoder: bool = True, store: str | None = None):
    from policykg.service import PolicyKG
    from policykg.settings import get_settings

    return PolicyKG.open(get_settings(data=data, store=store), encoder=encoder)


def _emit(obj, as_json: bool, human) -> None:
    if as_json:
        click.echo(json.dumps(obj, ensure_ascii=False, indent=1))
    else:
        human(obj)


def _check_text(value: str, what: str) -> str:
    """Refuse arguments that were not valid UTF-8 (Python keeps the bad bytes as surrogates)."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        raise BadInputError(f"The {what} is not valid UTF-8; check your terminal's encoding (e.g. LANG=C.UTF-8).")
    return value


@click.group(cls=_Group)
@click.version_option(package_name="policykg")
def main() -> None:
    """policykg: a knowledge graph and semantic search for Chinese government policy documents."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--data", help=DATA_HELP)
@click.option("--no-embed", is_flag=True, help="Skip sentence embeddings (BM25 and graph only).")
@click.option("--rebuild", is_flag=True, help="Rebuild from scratch instead of updating the live index.")
@click.option("--replace", is_flag=True, help="A new document with a stored 发文字号 but another title replaces the "
              "stored one (default: both are kept, reported as a conflict).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def ingest(paths, data, no_embed, rebuild, replace, as_json, quiet) -> None:
    """Build or update the index from files and folders (txt, md, html, docx, xlsx, csv, pdf)."""
    kg = _open(data, encoder=not no_embed)
    report = kg.ingest(list(paths), embed=not no_embed, progress=not quiet and not as_json, rebuild=rebuild,
                       replace=replace)
    _emit(report.as_dict(), as_json, lambda _: click.echo(str(report)))
    if report.failed and not report.files - len(report.failed):
        sys.exit(1)


@main.command()
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def verify(data, as_json) -> None:
    """Read every file of the index against the checksums written when it was built."""
    from policykg.service import PolicyKG
    from policykg.settings import get_settings

    out = PolicyKG(get_settings(data=data), encoder=False).verify()  # not opened: a damaged index is what it reads

    def human(o: dict) -> None:
        for line in o["problems"]:
            click.echo(f"损坏: {line}")
        if o["ok"]:
            click.echo(f"完好: 第 {o['generation']} 代索引, {o['files']} 个文件 ({o['bytes'] / 1048576:.1f} MB) 校验一致")
        else:
            click.echo("修复: 用同样的文件运行 `policykg ingest --rebuild PATH...` 重建索引")

    _emit(out, as_json, human)
    if not out["ok"]:
        sys.exit(1)


@main.command()
@click.argument("query")
@click.option("-k", default=10, show_default=True, help="Number of results.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense", "graph"]), default="hybrid", show_default=True)
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0, 10000), help="Results to skip (paging).")
@click.option("--in-force-on", "in_force_on", metavar="YYYY-MM-DD", help="Only documents in force on that day.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def search(query, k, mode, offset, in_force_on, data, as_json) -> None:
    """Search measures by entity, keywords or meaning, in Chinese or English."""
    query = _check_text(query, "query")
    kg = _open(data, encoder=mode in ("hybrid", "dense"))
    _emit(kg.search(query, k=k, mode=mode, offset=offset, in_force_on=in_force_on), as_json, _print_results)


@main.command()
@click.option("--involving", required=True, help="Organisation, place, industry or programme: name, alias or English.")
@click.option("-k", type=click.IntRange(min=1), default=None, help="Show at most this many measures (default: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many measures of the answer (sorted by document and ordinal).")
@click.option("--in-force-on", "in_force_on", metavar="YYYY-MM-DD", help="Only documents in force on that day.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def measures(involving, k, offset, in_force_on, data, as_json) -> None:
    """The exact set of measures that involve an entity, with evidence."""
    involving = _check_text(involving, "name")
    kg = _open(data, encoder=False)
    answer = kg.measures_involving(involving, offset=offset, limit=k, in_force_on=in_force_on)

    def human(obj):
        shown = len(obj["results"])
        if shown < obj.get("total", shown):
            click.echo(f"共 {obj['total']} 条措施，显示第 {offset + 1}–{offset + shown} 条。")
        _print_results(obj)

    _emit(answer, as_json, human)


@main.command()
@click.option("--q", "q", help="Part of a name (any language).")
@click.option("--type", "type_", help="Entity type, e.g. vocational_college, government_body, industry.")
@click.option("--limit", default=50, show_default=True)
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def entities(q, type_, limit, data, as_json) -> None:
    """List entities, most involved first."""
    kg = _open(data, encoder=False)

    def human(rows):
        for e in rows:
            en = f" / {e['label_en']}" if e.get("label_en") else ""
            click.echo(f"{e['measures']:>4}  {e['label_zh']}{en}  [{e['type']}]")

    _emit(kg.entities(q, type_, limit), as_json, human)


TASK_ROLES = ("lead", "responsible", "support")
EVIDENCE_NAMES = {"explicit": "explicit reference", "shared_entities": "shared entities",
                  "text_similarity": "text similarity"}


@main.command()
@click.option("--org", help="Organisation: name, alias, English name or IRI (e.g. 保定市政府).")
@click.option("--role", type=click.Choice(["lead", "responsible", "support"]),
              help="The organisation's role in the task (default: any).")
@click.option("--due-by", help="Deadline on or before: 2022, 2022-12, 2022-12-31, 2022年底.")
@click.option("--measure", help="Measure IRI or DOC#NUMBER, e.g. 冀政字〔2021〕61号#16.")
@click.option("--attachment", help="Attachment key or title, e.g. 保定市建设任务清单.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of tasks.")
def tasks(org, role, due_by, measure, attachment, data, as_json) -> None:
    """Attachment tasks: who leads them, by when, and the measures they implement.

    \b
    Example: tasks led by 保定市政府 due by the end of 2022
      policykg tasks --org 保定市政府 --role lead --due-by 2022年底
    """
    org, measure, attachment = (_check_text(v, "option") if v else v for v in (org, measure, attachment))
    kg = _open(data, encoder=False)
    rows = kg.tasks(measure=measure, org=org, due_by=due_by, role=role, attachment=attachment)
    _emit(rows, as_json, _print_tasks)


def _print_tasks(rows: list[dict]) -> None:
    click.echo(f"{len(rows)} task{'s' if len(rows) != 1 else ''}")
    for t in rows:
        click.secho(f"- {t['attachment_title']} #{t['row']}: {t['text']}", bold=True)
        units = "; ".join(f"{r}: {'、'.join(o['label'] for o in t[r])}" for r in TASK_ROLES if t.get(r))
        due = t.get("deadline_text") or "no deadline"
        if t.get("deadline") and t.get("deadline_text") != t["deadline"]:
            due += f" ({t['deadline']})"
        click.echo(f"    {units or 'no units'}  |  due {due}")
        for m in t.get("measures", []):
            conf = f"{m['confidence']:.2f}" if m.get("confidence") is not None else "?"
            kind = EVIDENCE_NAMES.get(m.get("evidence_kind"), m.get("evidence_kind") or "")
            click.echo(f"    implements {m['doc_key']} measure {m['number']} (confidence {conf}, {kind})")


@main.command()
@click.argument("document")
@click.argument("ref")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def measure(document, ref, data, as_json) -> None:
    """One measure of a document by its label (三（二）, 6., 第十条, 1.2), an item's (四（一）3.) or its ordinal."""
    kg = _open(data, encoder=False)
    document, ref = _check_text(document, "document"), _check_text(ref, "measure reference")

    def human(m):
        click.secho(f"{m['document']} {m['measure_label'] or ''} {m['title']}", bold=True)
        sec = f"  序号 {m['ordinal']}" if m.get("ordinal") else ""
        click.echo(f"   部分 {m['section_number'] or '-'}{sec}")
        if m.get("item"):
            click.echo(f"   条目 {m['item']['ref']}：{' '.join(m['item']['text'].split())}")
        click.echo("   " + " ".join(m["text"].split()))
        for it in m.get("items") or []:
            click.echo(f"   · {it['ref']}")

    _emit(kg.measure(document, ref), as_json, human)


@main.command()
@click.option("--in-force-on", "in_force_on", metavar="YYYY-MM-DD", help="Only documents in force on that day.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def documents(in_force_on, data, as_json) -> None:
    """List ingested documents."""
    kg = _open(data, encoder=False)

    def human(rows):
        for d in rows:
            click.echo(f"{d['measures']:>4}  {d['docno'] or '-':<22} {d['title']}")

    _emit(kg.documents(in_force_on=in_force_on), as_json, human)


@main.command()
@click.argument("key")
@click.option("--data", help=DATA_HELP)
def delete(key, data) -> None:
    """Remove one document (by 发文字号 or key) from the graph and the indexes."""
    kg = _open(data)
    click.echo(str(kg.delete(key)))


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "jsonld", "nt"]), default="turtle",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--data", help=DATA_HELP)
def export(fmt, output, data) -> None:
    """Export the graph as Turtle, TriG, JSON-LD or N-Triples."""
    kg = _open(data, encoder=False)
    body = kg.export(fmt)
    if output:
        Path(output).write_bytes(body)
        click.echo(f"wrote {len(body):,} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(body)


@main.command()
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def stats(data, as_json) -> None:
    """Documents, measures, entities by type and triples in the index."""
    kg = _open(data, encoder=False)

    def human(s):
        for key, value in s.items():
            if isinstance(value, dict):
                click.echo(f"{key}:")
                for k2, v2 in value.items():
                    click.echo(f"  {k2:<22} {v2}")
            else:
                click.echo(f"{key:<24} {value}")

    _emit(kg.stats(), as_json, human)


@main.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True,
              help="Questions of one split only (the README quotes the held-out test half).")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def eval_(questions, split, data, as_json) -> None:
    """Evaluate search on a JSONL question set: MRR, hit@3, recall@5 per kind and mode."""
    from search.evaluate import format_table, load_questions, run_evaluation, select_split

    kg = _open(data)
    table = run_evaluation(select_split(load_questions(Path(questions)), split), kg.state.searcher)
    _emit(table, as_json, lambda t: click.echo(format_table(t)))


@main.command(name="eval-entities")
@click.option("--document", type=click.Path(exists=True, dir_okay=False), help="Document to parse (default: the seed).")
@click.option("--gold", type=click.Path(exists=True, dir_okay=False),
              help="Hand-checked annotation, JSONL (default: tests/data/seed_entities.jsonl).")
@click.option("--split", type=click.Choice(["dev", "test", "all"]),
              help="Score the hand-annotated non-seed documents of this split (tests/data/entity_gold) and answer "
                   "their involving questions, instead of one document.")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False), help="Corpus root the gold paths are relative to "
              "(default ../shared/corpus).")
@click.option("--no-local", is_flag=True, help="Leave out the hand-typed local gazetteer tables (seed institutions …).")
@click.option("--json", "as_json", is_flag=True)
def eval_entities(document, gold, split, corpus, no_local, as_json) -> None:
    """Precision and recall of entity extraction per type against a hand-checked annotation."""
    from ingest.evaluate import evaluate_file, format_table

    root = Path(__file__).resolve().parents[1]
    if no_local:
        from ontology.gazetteer import use_local_tables

        use_local_tables(False)
    if split:
        from ingest.evaluate_gold import evaluate_entities_gold, evaluate_involving, format_report

        corpus_dir = Path(corpus) if corpus else root / ".." / "shared" / "corpus"
        gold_dir = root / "tests" / "data" / "entity_gold"
        if not corpus_dir.is_dir() or not gold_dir.is_dir():
            raise BadInputError(f"Need the corpus ({corpus_dir}) and the gold ({gold_dir}); pass --corpus DIR.")
        which = None if split == "all" else split
        scores, _ = evaluate_entities_gold(corpus_dir, gold_dir, which)
        involving = evaluate_involving(corpus_dir, gold_dir, root / "tests" / "data" / "involving_questions.jsonl", which)
        _emit({"split": split, "entities": scores, "involving": involving}, as_json,
              lambda t: click.echo(format_report(t["entities"], t["involving"])))
        return
    document = Path(document) if document else root / "corpus" / "baoding-vocational-2021.txt"
    gold = Path(gold) if gold else root / "tests" / "data" / "seed_entities.jsonl"
    if not gold.exists():
        raise BadInputError(f"No gold annotation at {gold}; pass --gold FILE.")
    table = evaluate_file(document, gold)
    _emit(table, as_json, lambda t: click.echo(format_table(t)))


@main.command()
@click.option("--host", help="Address to bind (default 127.0.0.1).")
@click.option("--port", type=int, help="Port (default 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes; each loads the index and the encoder (memory grows with each).")
@click.option("--data", help=DATA_HELP)
def serve(host, port, workers, data) -> None:
    """Serve the HTTP API, the SPARQL endpoint and the web page."""
    import os

    import uvicorn

    from api.limits import UVICORN_OPTIONS
    from api.main import create_app
    from policykg.settings import ENV_PREFIX, get_settings

    settings = get_settings(data=data, host=host, port=port)
    click.echo(f"policykg: serving {settings.data} at http://{settings.host}:{settings.port}/"
               + (f" with {workers} workers" if workers > 1 else ""), err=True)
    if workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                    **UVICORN_OPTIONS)
        return
    # Worker processes build their own app from the environment.
    os.environ[ENV_PREFIX + "DATA"] = str(Path(settings.data).resolve())
    _serve_workers(settings.host, settings.port, workers)


def _serve_workers(host: str, port: int, workers: int) -> None:
    """uvicorn's multi-process supervisor, on a listening socket that keeps TCP_NODELAY.

    uvicorn binds the shared socket with ``proto=0``, so asyncio leaves Nagle's algorithm on for
    accepted connections and every keep-alive response waits ~40 ms for a delayed ACK
    (uvicorn issue #3149). Re-wrapping the socket as ``IPPROTO_TCP`` restores TCP_NODELAY.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from api.limits import UVICORN_OPTIONS

    config = uvicorn.Config("api.main:create_app", factory=True, host=host, port=port, workers=workers,
                            log_level="warning", **UVICORN_OPTIONS)
    Multiprocess(config, sockets=[listening_socket(config)]).run()


def listening_socket(config):
    """``config.bind_socket()``, marked as TCP so accepted connections get TCP_NODELAY."""
    import socket

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


def _print_results(obj: dict) -> None:
    results = obj.get("results", [])
    if obj.get("entities"):
        names = ", ".join(e["label_zh"] + (f" ({e['label_en']})" if e.get("label_en") else "")
                          for e in obj["entities"])
        click.echo(f"entity: {names}")
    elif results and (results[0].get("why") or {}).get("match") == "text":
        click.echo(f"没有名为“{obj['query']}”的实体；以下是正文含有该名称的措施（文本匹配）")
    if not results and obj.get("why") == "no_close_match":
        click.echo("没有足够接近的措施：文件中似乎没有谈到这个问题（no_close_match）。可以换个说法再试。")
    elif not results:
        click.echo("no results")
    elif (obj.get("total") or 0) > len(results):
        first = (obj.get("offset") or 0) + 1
        click.echo(f"共 {obj['total']} 条，显示第 {first}–{first + len(results) - 1} 条")
    for i, r in enumerate(results, (obj.get("offset") or 0) + 1):
        where = r["document"] + (f" {r['measure_label']}" if r.get("measure_label") else "")
        click.secho(f"{i}. {where} {r['title']}", bold=True)
        roles = f"  roles: {', '.join(r['roles'])}" if r.get("roles") else ""
        click.echo(f"   score {r['score']:.3f}{roles}")
        why = r.get("why") or {}
        bits = []
        if why.get("entities"):
            bits.append("entities " + "、".join(e["label"] for e in why["entities"]))
        if why.get("terms"):
            bits.append("terms " + " ".join(why["terms"][:8]))
        if why.get("glossary"):
            bits.append("glossary " + " ".join(f"{g['en']}={g['zh']}" for g in why["glossary"][:6]))
        if bits:
            click.echo("   why: " + "; ".join(bits))
        for ev in (r.get("evidence") or [])[:2]:
            click.echo(f"   evidence: …{ev.get('context') or ev['text']}… [{ev['start']}:{ev['end']}]")
        text = " ".join(r["text"].split())
        click.echo("   " + (text[:150] + " …" if len(text) > 150 else text))


from api import cli_time  # noqa: E402,F401  (registers diff, versions, relations, analytics, ...)

if __name__ == "__main__":
    main()
