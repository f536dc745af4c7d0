"""The parse cache's JSON: a real document round-trips, and the fast conversion equals the generic one."""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "corpus" / "baoding-vocational-2021.txt"


def _generic(obj):
    if dataclasses.is_dataclass(obj):
        return {f.name: _generic(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [_generic(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _generic(v) for k, v in obj.items()}
    return obj


def test_seed_round_trips_and_matches_the_generic_conversion(tmp_path):
    from ingest.document import parse_file
    from ingest.serialize import document_to_dict, load_document, save_document

    doc = parse_file(SEED)
    assert doc.measures and any(m.mentions for m in doc.measures)
    as_dict = document_to_dict(doc)
    assert json.dumps(as_dict, ensure_ascii=False) == json.dumps({"format": 1, **_generic(doc)}, ensure_ascii=False)
    save_document(doc, tmp_path / "d.json")
    assert load_document(tmp_path / "d.json") == doc


def test_orjson_bytes_are_the_generic_conversion_on_documents_of_every_kind():
    """The cache's bytes (orjson, straight from the dataclasses) hold what the generic conversion gives,
    on a law with chapters and items, a State Council policy and a government report."""
    from ingest.document import parse_file
    from ingest.serialize import document_json

    corpus = SEED.parents[2] / "shared" / "corpus"
    paths = [SEED, corpus / "laws" / "行政法" / "人民警察法(2012-10-26).txt",
             sorted((corpus / "gov-policy").glob("*.txt"))[5], sorted((corpus / "reports").rglob("*.txt"))[0]]
    for path in paths:
        doc = parse_file(path)
        assert json.loads(document_json(doc)) == {"format": 1, **_generic(doc)}, path
