"""Search modes: one table, from which the CLI's ``--mode`` choices and the API's ``mode`` parameter derive.

>>> tuple(MODES)
('hybrid', 'bm25', 'dense', 'graph')
"""

from __future__ import annotations

#: mode -> what it retrieves with (``search.hybrid.Searcher.search``); ``needs_encoder``: the query is embedded.
MODES: dict[str, str] = {
    "hybrid": "BM25, dense embeddings and the graph, fused",
    "bm25": "BM25 over jieba tokens only",
    "dense": "sentence embeddings only",
    "graph": "graph traversal from the entities the query names",
}
#: Modes that embed the query (the CLI opens the encoder only for these).
ENCODER_MODES: frozenset[str] = frozenset({"hybrid", "dense"})
