"""Per-document caches of an ingest: search units with their BM25 tokens, and a memoised tokenizer.

``DATA/docs/<sha1>.units.json`` holds a parsed document's search units and their BM25 tokens
(content-addressed by the hash of the raw file bytes, and checked against the document key), so
an unchanged document is never tokenised again and an incremental ingest never re-reads old
documents. A missing, stale or torn entry is simply rebuilt.
"""

from __future__ import annotations

from pathlib import Path

import orjson

from core.files import write_atomic

UNITS_FORMAT = 1
_tokenize = None


def cached_tokenizer():
    """``search.index.default_tokenizer`` memoised per run of Chinese characters.

    jieba cuts every run matched by its ``re_han_default`` independently, so cutting a text
    block by block gives exactly the same tokens; laws repeat many clauses, so a block cache
    saves about a quarter of the work.

    >>> tok = cached_tokenizer()
    >>> from search.index import default_tokenizer
    >>> text = "支持河北软件职业技术学院建设。推进 IoT 与大数据，支持河北软件职业技术学院建设"
    >>> tok(text) == default_tokenizer()(text)
    True
    """
    global _tokenize
    if _tokenize is None:
        from jieba import re_han_default

        from search.index import default_tokenizer

        base = default_tokenizer()
        split = re_han_default.split
        cache: dict[str, list[str]] = {}

        def tokenize(text: str) -> list[str]:
            out: list[str] = []
            for blk in split(text):
                if not blk:
                    continue
                toks = cache.get(blk)
                if toks is None:
                    toks = base(blk)
                    if len(cache) < 400_000:
                        cache[blk] = toks
                out += toks
            return out

        _tokenize = tokenize
    return _tokenize


def units_path(docs: Path, sha1: str) -> Path:
    return Path(docs) / f"{sha1}.units.json"


def write_fast(path: Path, data: bytes) -> None:
    """Atomic (temp file + rename) but without fsync: a cache entry that is lost or torn is
    detected on load and simply rebuilt (``core.files.write_atomic``)."""
    write_atomic(path, data, durable=False)


def save_units(path: Path, key: str, units: list, tokens: list[list[str]]) -> None:
    # a Unit holds only plain values: reading its slots gives asdict()'s result without the deep copy
    body = {"format": UNITS_FORMAT, "key": key, "tokens": tokens,
            "units": [{f: getattr(u, f) for f in u.__slots__} for u in units]}
    write_fast(path, orjson.dumps(body))


def load_units(path: Path, key: str) -> tuple[list, list[list[str]]] | None:
    """Units and tokens cached for a document under ``key``, or None (missing, stale or torn)."""
    from search.index import Unit

    try:
        body = orjson.loads(Path(path).read_bytes())
    except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
        return None
    if body.get("format") != UNITS_FORMAT or body.get("key") != key:
        return None
    return [Unit(**u) for u in body["units"]], body["tokens"]
