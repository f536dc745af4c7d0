"""The base layer: atomic writes keep the old file on failure, option records carry the settings."""

from __future__ import annotations

import pytest

from core.files import replacing, write_atomic
from core.options import EncoderOptions, EndpointOptions, StoreOptions
from policykg.settings import Settings


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "CURRENT"
    write_atomic(path, "1\n")
    with pytest.raises(RuntimeError), replacing(path) as tmp:
        tmp.write_text("2\n")
        raise RuntimeError("killed mid-write")
    assert path.read_text() == "1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["CURRENT"], list(tmp_path.iterdir())
    write_atomic(path, b"3\n", durable=False)
    assert path.read_bytes() == b"3\n"


def test_option_records_carry_the_settings(tmp_path):
    s = Settings(data=tmp_path, store="sparql", sparql_query_url="http://127.0.0.1:1/q", endpoint_timeout=3.5,
                 encoder="sentence-transformers", model="m")
    assert s.store_options() == StoreOptions(data=tmp_path, store="sparql", sparql_query_url="http://127.0.0.1:1/q")
    assert s.endpoint_options() == EndpointOptions(store="sparql", sparql_query_url="http://127.0.0.1:1/q",
                                                   endpoint_timeout=3.5)
    enc = s.encoder_options(num_threads=1)
    assert enc == EncoderOptions(name="sentence-transformers", model="m", num_threads=1)
    assert enc.index_name == "sentence-transformers:m" and enc.backend_kwargs() == {"num_threads": 1}
    assert not Settings(encoder="none").encoder_options().enabled
