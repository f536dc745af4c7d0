"""Annexing attachments to their parent documents and linking their tasks to the parents' measures.

The graph side (the ``pkg:implements`` quads) is ``graph.tasks.attachment_link_quads``.
"""

from __future__ import annotations

from ingest.attachments.link import TaskLink, link_tasks
from ingest.attachments.title import attach_to_parent
from ingest.model import Document


def annex_attachments(batch: dict[str, Document],
                      all_docs: dict[str, Document]) -> dict[str, tuple[Document, Document, list[TaskLink]]]:
    """Annex every attachment of ``all_docs`` to its parent; link the tasks of those concerned by ``batch``.

    Returns, per attachment key, ``(attachment, parent, task links)`` for each attachment that is in
    ``batch`` or whose parent is; such an attachment joins ``batch`` (its graph is rebuilt).
    """
    attachments = [d for d in all_docs.values() if d.kind == "attachment"]
    if not attachments:
        return {}
    parents = [d for d in all_docs.values() if d.kind != "attachment" and d.attachments]
    out: dict[str, tuple[Document, Document, list[TaskLink]]] = {}
    for doc in attachments:
        if not attach_to_parent(doc, parents):
            continue
        parent = all_docs[doc.parent]
        if doc.key in batch or parent.key in batch:
            batch[doc.key] = doc
            out[doc.key] = (doc, parent, link_tasks(doc, parent))
    return out
