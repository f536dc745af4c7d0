"""The ``policykg`` command line: readable output for people, ``--json`` for programs.

Errors from the library (``core.errors``) become one line on stderr and exit status 1.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from api import cli_text
from core.errors import BadInputError, PolicyKGError
from policykg.filters import SORTS
from policykg.labels import ENTITY_TYPE_ZH, KIND_ZH, ROLE_ZH

DATA_HELP = "Data folder (default: $POLICYKG_DATA, else ./.policykg)."
OUTPUT_HELP = "Write the list as a table: FILE.csv or FILE.xlsx (columns 文件, 发文字号, 措施编号, ...)."


def _filter_options(f):
    """The result filters (document, issuing body, type, dates, entity type, role) and the sort order."""
    options = [
        click.option("--document", "f_document", help="Only this document: key, 发文字号 or title."),
        click.option("--issuer", "f_issuer", help="Only documents issued by this body, e.g. 国务院."),
        click.option("--kind", "f_kind", type=click.Choice(list(KIND_ZH)), help="Document type."),
        click.option("--date-from", "f_date_from", help="Documents dated on or after: 2019, 2019-06, 2019-06-30."),
        click.option("--date-to", "f_date_to", help="Documents dated on or before."),
        click.option("--entity-type", "f_entity_type", type=click.Choice(list(ENTITY_TYPE_ZH)),
                     help="Measures naming an entity of this type."),
        click.option("--role", "f_role", type=click.Choice(list(ROLE_ZH)), help="Measures giving an entity this role."),
        click.option("--sort", "f_sort", type=click.Choice(list(SORTS)), help="Order (default relevance)."),
    ]
    for opt in reversed(options):
        f = opt(f)
    return f


def _filter(kwargs: dict):
    from policykg.filters import ResultFilter

    return ResultFilter.parse(**{k[2:]: kwargs.pop(k) for k in list(kwargs) if k.startswith("f_")})


def _write_table(rows: list, output: str, title: str) -> None:
    from policykg.exports import render

    fmt = Path(output).suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise BadInputError(f"Cannot tell the table format of {output!r}: name the file .csv or .xlsx.")
    Path(output).write_bytes(render(rows, fmt, title))
    click.echo(f"已写入 {len(rows)} 行：{output}", err=True)


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
    _emit(report.as_dict(), as_json, cli_text.print_report)
    if report.failed:  # any file that failed makes the exit status 1, in a folder as for a single file
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
@_filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=OUTPUT_HELP)
def search(query, k, mode, offset, in_force_on, data, as_json, output, **filters) -> None:
    """Search measures by entity, keywords or meaning, in Chinese or English.

    With a filter, the best 100 hits are filtered and K kept from --offset.
    """
    query = _check_text(query, "query")
    flt = _filter(filters)
    kg = _open(data, encoder=mode in ("hybrid", "dense"))
    found = kg.search(query, k=k, mode=mode, offset=offset, in_force_on=in_force_on, flt=flt)
    if output:
        from policykg.exports import measure_rows

        _write_table(measure_rows(found["results"], kg.state.view, kg.tasks()), output, "措施")
    _emit(found, as_json, _print_results)


@main.command()
@click.option("--involving", required=True, help="Organisation, place, industry or programme: name, alias or English.")
@click.option("-k", type=click.IntRange(min=1), default=None, help="Show at most this many measures (default: all).")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many measures of the answer (sorted by document and ordinal).")
@click.option("--in-force-on", "in_force_on", metavar="YYYY-MM-DD", help="Only documents in force on that day.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
@_filter_options
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=OUTPUT_HELP)
def measures(involving, k, offset, in_force_on, data, as_json, output, **filters) -> None:
    """The exact set of measures that involve an entity, with evidence."""
    involving = _check_text(involving, "name")
    flt = _filter(filters)
    kg = _open(data, encoder=False)
    answer = kg.measures_involving(involving, offset=offset, limit=k, in_force_on=in_force_on, flt=flt)
    if output:  # the table holds the whole (filtered) answer, whatever page is shown
        from policykg.exports import measure_rows

        whole = answer if offset == 0 and k is None else kg.measures_involving(involving, in_force_on=in_force_on,
                                                                               flt=flt)
        _write_table(measure_rows(whole["results"], kg.state.view, kg.tasks()), output, "措施")
    _emit(answer, as_json, _print_results)


@main.command()
@click.option("--q", "q", help="Part of a name (any language).")
@click.option("--type", "type_", help="Entity type, e.g. vocational_college, government_body, industry.")
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many (paging).")
@click.option("--document", help="Only entities named in this document (key, 发文字号 or title).")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def entities(q, type_, limit, offset, document, data, as_json) -> None:
    """List entities, most involved first."""
    from policykg.filters import page

    kg = _open(data, encoder=False)
    rows, total = page(kg.entities(q, type_, None, document=document), offset, limit)
    _emit(rows, as_json, lambda r: cli_text.print_entities(r, total, offset))


@main.command()
@click.option("--org", help="Organisation: name, alias, English name or IRI (e.g. 保定市政府).")
@click.option("--role", type=click.Choice(["lead", "responsible", "support"]),
              help="The organisation's role in the task (default: any).")
@click.option("--due-by", help="Deadline on or before: 2022, 2022-12, 2022-12-31, 2022年底.")
@click.option("--measure", help="Measure IRI or DOC#NUMBER, e.g. 冀政字〔2021〕61号#16.")
@click.option("--attachment", help="Attachment key or title, e.g. 保定市建设任务清单.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many (paging).")
@click.option("--limit", type=click.IntRange(1), help="At most this many tasks (default all).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=OUTPUT_HELP)
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of tasks.")
def tasks(org, role, due_by, measure, attachment, offset, limit, output, data, as_json) -> None:
    """Attachment tasks: who leads them, by when, and the measures they implement.

    \b
    Example: tasks led by 保定市政府 due by the end of 2022
      policykg tasks --org 保定市政府 --role lead --due-by 2022年底
    """
    org, measure, attachment = (_check_text(v, "option") if v else v for v in (org, measure, attachment))
    kg = _open(data, encoder=False)
    from policykg.filters import page

    rows = kg.tasks(measure=measure, org=org, due_by=due_by, role=role, attachment=attachment)
    if output:
        from policykg.exports import task_rows

        _write_table(task_rows(rows, kg.state.view), output, "任务")
    rows, total = page(rows, offset, limit)
    _emit(rows, as_json, lambda r: cli_text.print_tasks(r, total, offset))


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
@click.option("--issuer", help="Issued by this body, e.g. 国务院.")
@click.option("--kind", type=click.Choice(list(KIND_ZH)), help="Document type.")
@click.option("--date-from", help="Dated on or after: 2019, 2019-06, 2019-06-30.")
@click.option("--date-to", help="Dated on or before.")
@click.option("--sort", type=click.Choice(["date", "date_asc"]), help="Order by date (default: by key).")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(0), help="Skip this many (paging).")
@click.option("--limit", type=click.IntRange(1), help="At most this many (default all).")
@click.option("--in-force-on", "in_force_on", metavar="YYYY-MM-DD", help="Only documents in force on that day.")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def documents(issuer, kind, date_from, date_to, sort, offset, limit, in_force_on, data, as_json) -> None:
    """List ingested documents (发文字号, date, type, issuing bodies)."""
    from policykg.filters import ResultFilter, page

    flt = ResultFilter.parse(issuer=issuer, kind=kind, date_from=date_from, date_to=date_to, sort=sort)
    kg = _open(data, encoder=False)
    rows, total = page(kg.documents(flt, in_force_on=in_force_on), offset, limit)
    _emit(rows, as_json, lambda r: cli_text.print_documents(r, total, offset))


@main.command()
@click.argument("key")
@click.option("--data", help=DATA_HELP)
def delete(key, data) -> None:
    """Remove one document (by 发文字号 or key) from the graph and the indexes."""
    kg = _open(data)
    cli_text.print_report(kg.delete(key).as_dict())


@main.command()
@click.option("--format", "fmt", type=click.Choice(["turtle", "trig", "jsonld", "nt"]), default="turtle",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--document", help="Only this document's named graph (key, 发文字号 or title).")
@click.option("--data", help=DATA_HELP)
def export(fmt, output, document, data) -> None:
    """Export the graph (or one document's graph) as Turtle, TriG, JSON-LD or N-Triples."""
    kg = _open(data, encoder=False)
    body = kg.export_document(document, fmt) if document else kg.export(fmt)
    if output:
        Path(output).write_bytes(body)
        click.echo(f"已写入 {len(body):,} 字节：{output}", err=True)
    else:
        sys.stdout.buffer.write(body)


@main.command()
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def stats(data, as_json) -> None:
    """Documents, measures, entities by type and triples in the index."""
    kg = _open(data, encoder=False)

    _emit(kg.stats(), as_json, cli_text.print_stats)


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
    sock = bind_port(settings.host, settings.port)  # a busy port is the first and only thing said
    click.echo(f"policykg：正在 http://{settings.host}:{settings.port}/ 提供服务（数据目录 {settings.data}"
               + (f"，{workers} 个进程" if workers > 1 else "") + "），按 Ctrl+C 停止", err=True)
    if workers == 1:
        config = uvicorn.Config(create_app(settings), host=settings.host, port=settings.port, log_level="warning",
                                **UVICORN_OPTIONS)
        uvicorn.Server(config).run(sockets=[sock])
        return
    # Worker processes build their own app from the environment.
    os.environ[ENV_PREFIX + "DATA"] = str(Path(settings.data).resolve())
    _serve_workers(settings.host, settings.port, workers, sock)


def bind_port(host: str, port: int):
    """A TCP socket bound to ``host:port`` (as uvicorn binds it), or one clear error if the port is taken."""
    import errno
    import socket

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    except socket.gaierror as exc:
        raise BadInputError(f"Cannot bind to host {host!r}: {exc.strerror}. Use an address such as 127.0.0.1.") from None
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise BadInputError(f"Port {port} on {host} is already in use (端口已被占用). Stop the program using it, "
                                f"or choose another port with --port, e.g. --port {port + 1}.") from None
        raise BadInputError(f"Cannot listen on {host}:{port}: {exc.strerror}.") from None
    sock.set_inheritable(True)
    return sock


def _serve_workers(host: str, port: int, workers: int, sock=None) -> None:
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
    Multiprocess(config, sockets=[sock if sock is not None else listening_socket(config)]).run()


def listening_socket(config):
    """``config.bind_socket()``, marked as TCP so accepted connections get TCP_NODELAY."""
    import socket

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


def _print_results(obj: dict) -> None:
    cli_text.print_results(obj)


from api import cli_time  # noqa: E402,F401  (registers diff, versions, relations, analytics, ...)

if __name__ == "__main__":
    main()
