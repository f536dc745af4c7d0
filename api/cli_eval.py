"""``policykg eval`` and ``policykg eval-entities``: search quality and entity extraction against gold sets."""

from __future__ import annotations

from pathlib import Path

import click

from api.cli_base import DATA_HELP, _emit, _open, main
from core.errors import BadInputError


@main.command(name="eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="all", show_default=True,
              help="Questions of one split only (the README quotes the held-out test half).")
@click.option("--data", help=DATA_HELP)
@click.option("--json", "as_json", is_flag=True)
def eval_(questions, split, data, as_json) -> None:
    """Evaluate search on a JSONL question set: MRR, hit@3, recall@5 per kind and mode."""
    from search.evaluate import format_table, load_questions, select_split

    kg = _open(data)
    table = kg.evaluate_search(select_split(load_questions(Path(questions)), split))
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
        from ingest.evaluate_gold import evaluate_entities_gold, format_report
        from policykg.evaluate import evaluate_involving

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
