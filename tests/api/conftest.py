"""A real index of the seed policy and 国发〔2019〕4号, served by uvicorn on a free loopback port."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from tests.servers import free_port

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
SEED = CORPUS / "seed"
GUOFA = CORPUS / "gov-policy" / "国发〔2019〕4号_国务院关于印发国家职业教育改革实施方案的通知.txt"
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


class Server:
    """uvicorn serving ``create_app(settings)`` in a background thread."""

    def __init__(self, settings) -> None:
        import uvicorn

        from api.main import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


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
