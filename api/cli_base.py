"""The ``policykg`` command group and what its commands share: options, opening the service, output.

Errors from the library (``core.errors``) become one line on stderr and exit status 1 (``_Group``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

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
