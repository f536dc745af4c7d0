"""The enumerations the CLI and the API offer, each read from its one table.

``click.Choice`` lists and FastAPI ``Literal`` parameters are built from these, so a new export
format, search mode, role or entity type reaches both without another edit.

>>> EXPORT_FORMATS, SEARCH_MODES
(('turtle', 'trig', 'jsonld', 'nt'), ('hybrid', 'bm25', 'dense', 'graph'))
>>> TASK_ROLES
('lead', 'responsible', 'support')
"""

from __future__ import annotations

from typing import Literal

from graph.rdf_formats import EXPORT_FORMATS, RDF_FORMATS  # noqa: F401  (re-exported)
from ontology.types import ENTITY_TYPES, ROLES
from ontology.types import TASK_ROLES as _TASK_ROLES
from policykg.labels import KIND_ZH
from search.modes import ENCODER_MODES, MODES  # noqa: F401  (re-exported)

SEARCH_MODES: tuple[str, ...] = tuple(MODES)
TASK_ROLES: tuple[str, ...] = tuple(_TASK_ROLES)
ENTITY_TYPE_VALUES: tuple[str, ...] = tuple(t.value for t in ENTITY_TYPES)
ROLE_VALUES: tuple[str, ...] = tuple(r.value for r in ROLES)
DOCUMENT_KINDS: tuple[str, ...] = tuple(KIND_ZH)

# ``Literal`` types for FastAPI parameters (the OpenAPI schema lists the values).
ExportFormat = Literal[EXPORT_FORMATS]  # type: ignore[valid-type]
SearchMode = Literal[SEARCH_MODES]  # type: ignore[valid-type]
TaskRole = Literal[TASK_ROLES]  # type: ignore[valid-type]
