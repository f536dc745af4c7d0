"""A real index of the seed policy and 国发〔2019〕4号, served by uvicorn on a free loopback port."""

from __future__ import annotations

import httpx
import pytest
from tests.conftest import CORPUS, GUOFA_4
from tests.servers import InProcessServer

SEED = CORPUS / "seed"
GUOFA = GUOFA_4
SEED_KEY = "冀政字〔2021〕61号"
COLLEGE = "河北软件职业技术学院"


@pytest.fixture(scope="session")
def kg_settings(tmp_path_factory):
    """Settings of a data folder holding the real index of the two documents."""
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    if not SEED.is_dir() or not GUOFA.is_file():
        pytest.fail(f"corpus not found: expected {SEED} and {GUOFA}")
    settings = Settings(data=tmp_path_factory.mktemp("kg"), encoder="none", endpoint_timeout=2.0,
                        endpoint_limit=1000)
    kg = PolicyKG.open(settings)
    try:
        kg.ingest([SEED, GUOFA])
    finally:
        kg.close()
    return settings


#: The API served in-process (the one shared server fixture class, ``tests/servers.py``).
Server = InProcessServer


@pytest.fixture(scope="session")
def server(kg_settings):
    with Server(kg_settings) as srv:
        yield srv


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server.url


@pytest.fixture()
def client(base_url):
    with httpx.Client(base_url=base_url, timeout=30) as c:
        yield c
