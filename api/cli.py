"""The ``policykg`` command line: readable output for people, ``--json`` for programs.

Errors from the library (``core.errors``) become one line on stderr and exit status 1. The group
and the helpers every command shares are in ``api/cli_base.py``; ``serve`` in ``api/cli_serve.py``;
the evaluation commands in ``api/cli_eval.py``; documents in time in ``api/cli_time.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from api import cli_text
from api.cli_base import (DATA_HELP, OUTPUT_HELP, _check_text, _emit, _filter, _filter_options, _open,  # noqa: F401
                          _write_table, main)
from core.errors import BadInputError  # noqa: F401
from policykg.choices import ENCODER_MODES, EXPORT_FORMATS, SEARCH_MODES, TASK_ROLES
from policykg.labels import KIND_ZH

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
    from policykg.service import PolicyKG
    from policykg.settings import get_settings

    settings = get_settings(data=data)
    # the embedded store is not opened: an ingest reads the live generation itself (loading its indexes took
    # ~2.5 s on the full corpus); a server is, so an unreachable one is one error before any work
    kg = PolicyKG(settings, encoder=not no_embed) if settings.store == "oxigraph" else _open(data, encoder=not no_embed)
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
@click.option("--mode", type=click.Choice(SEARCH_MODES), default="hybrid", show_default=True)
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
    kg = _open(data, encoder=mode in ENCODER_MODES)
    found = kg.search(query, k=k, mode=mode, offset=offset, in_force_on=in_force_on, flt=flt)
    if output:
        _write_table(kg.measure_rows(found["results"]), output, "措施")
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
        whole = answer if offset == 0 and k is None else kg.measures_involving(involving, in_force_on=in_force_on,
                                                                               flt=flt)
        _write_table(kg.measure_rows(whole["results"]), output, "措施")
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
@click.option("--role", type=click.Choice(TASK_ROLES),
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
        _write_table(kg.task_rows(rows), output, "任务")
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
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="turtle",
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


def _print_results(obj: dict) -> None:
    cli_text.print_results(obj)


from api import cli_eval, cli_serve, cli_time  # noqa: E402,F401  (register their commands on main)
from api.cli_serve import bind_port, listening_socket  # noqa: E402,F401  (the names tests and tools import)

if __name__ == "__main__":
    main()
