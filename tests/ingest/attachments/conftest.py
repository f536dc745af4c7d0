"""Fixtures of the attachment tests (defined in attachment_data, shared with the end-to-end tests)."""

from tests.ingest.attachments.attachment_data import gold, parent, rows  # noqa: F401 - pytest fixtures
