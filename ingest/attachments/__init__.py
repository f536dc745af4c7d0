"""Attachments (附件): task tables read from .docx, .xlsx, .csv, .pdf and text lists.

Entry points: :func:`ingest.attachments.readers.read_attachment` (file → ``Document`` with
``tasks``), :func:`ingest.attachments.title.match_parent` / ``attach_to_parent`` (annex to
its parent by the parent's attachment list) and :func:`ingest.attachments.link.link_tasks`
(task → measure links with confidence and evidence).
"""
