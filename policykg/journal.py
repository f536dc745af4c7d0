"""Keeping an external SPARQL store in step with the data folder.

With the embedded store every generation has its own copy of the graph, so a killed ingest
cannot touch the live one. A SPARQL server holds one dataset, written in place: an ingest
changes the server first and commits the data folder (manifest, search indexes) last.

What is guaranteed (``store=sparql``):

- Before an ingest or delete writes to the server it records, in ``DATA/external-pending.json``
  (written atomically), which document graphs it may change (all of them for a first ingest or
  ``--rebuild``). The record is removed after the new generation is committed.
- Each document's graph is replaced by one request (drop + insert), so the server never holds
  half a document; a batch of documents is several requests.
- If the ingest dies in between (SIGKILL, lost connection, server error), the server may be
  *ahead* of the live generation: some recorded documents hold their new version, new
  documents are present, deleted ones are gone. Searches and "measures involving X" keep
  answering from the live generation (the graph view is loaded in memory when a generation
  is opened); ``/sparql``, ``tasks`` and exports read the server and see the newer graphs.
- The next ``ingest`` or ``delete`` (even one with nothing new to read) first *reconciles*:
  every recorded document the live manifest lists is written again from its parsed copy
  (``DATA/docs``), every document graph on the server that the manifest does not list is
  dropped, cross-document links are recomputed, and the record is removed. Then it proceeds.
- Every committed ingest also drops document graphs that its manifest does not list, so the
  server's document graphs equal the manifest's documents after each commit.

Not guaranteed: while an ingest runs, and between a killed ingest and the next one, readers of
the server can see the newer graphs (above), and a reader that loads its graph view then (a
server starting up) sees them in search too, next to the older search indexes; a server that loses data on its own is not detected (run
``policykg ingest --rebuild PATH...`` to reload it); graphs other than document graphs
(gazetteer, ontology, links) are not compared.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from core.files import write_atomic
from policykg.datadir import DataDir

PENDING = "external-pending.json"


def pending(data: DataDir) -> set[str] | None:
    """Keys recorded by an ingest that did not commit; ``{"*"}`` means every document; None if clean."""
    path = data.root / PENDING
    try:
        record = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValueError:  # a torn record cannot happen (atomic write), but be safe: check everything
        return {"*"}
    return set(record.get("keys") or ["*"])


def mark(data: DataDir, keys: Iterable[str] | None) -> None:
    """Record, before writing to the server, which documents' graphs may change (None: all)."""
    old = pending(data) or set()
    new = {"*"} if keys is None else set(keys)
    write_atomic(data.root / PENDING,
                 json.dumps({"keys": sorted(old | new)}, ensure_ascii=False).encode("utf-8"))


def clear(data: DataDir) -> None:
    """Forget the record once the data folder has caught up with the server."""
    (data.root / PENDING).unlink(missing_ok=True)


def document_graph_keys(store) -> set[str]:
    """Keys of the document graphs present in ``store``."""
    from graph.iri import DOC_BASE, key_from_document_iri

    return {key_from_document_iri(g) for g in store.graphs() if g.startswith(DOC_BASE) and "/" not in g[len(DOC_BASE):]}


def sweep(store, keep: Iterable[str]) -> list[str]:
    """Drop the document graphs whose keys are not in ``keep``; return their keys."""
    extra = sorted(document_graph_keys(store) - set(keep))
    for key in extra:
        store.delete_document(key)
    return extra


def reconcile(store, data: DataDir) -> dict[str, list[str]]:
    """Bring the server back to the live generation after an ingest that did not commit.

    Does nothing (no request) when no record is pending. Returns the keys written again
    (``restored``) and dropped (``removed``).
    """
    from graph.build import document_quads
    from graph.links import refresh_links
    from ingest.serialize import load_document
    from graph.tasks import attachment_link_quads

    keys = pending(data)
    if keys is None:
        return {"restored": [], "removed": []}
    live = data.current()
    documents = live.manifest().documents if live else {}
    restore = sorted(documents) if "*" in keys else sorted(k for k in keys if k in documents)
    removed = sweep(store, documents)
    if restore:
        all_docs = {k: load_document(data.docs / f"{info.sha1}.json") for k, info in documents.items()}
        for key, info in documents.items():  # the manifest's key wins (a renamed duplicate 发文字号)
            all_docs[key].key = key
            all_docs[key].source = info.source
        batch = {k: all_docs[k] for k in restore}
        extra = attachment_link_quads(batch, all_docs)
        store.bulk_replace({k: document_quads(d) + extra.get(k, []) for k, d in batch.items()})
    refresh_links(store)
    from graph.relations import refresh_relations

    refresh_relations(store)  # works, validity and citations of the documents now on the server
    clear(data)
    return {"restored": restore, "removed": removed}
