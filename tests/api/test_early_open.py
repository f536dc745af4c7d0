"""``policykg serve`` opens the index in a thread while the web framework loads (``api.early``): the
server answers from the service that thread opened, and an index that cannot be opened is one error
line before any server starts."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.api.conftest import COLLEGE, Server

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_answers_from_the_service_opened_in_the_thread(kg_settings, base_url):
    from api.early import open_in_thread
    from api.main import create_app

    opening = open_in_thread(kg_settings)
    app = create_app(kg_settings, opening=opening)
    with Server(kg_settings, app=app) as srv:
        assert app.state.service is opening.result(), "the lifespan must take the service the thread opened"
        for path, params in (("/search", {"q": "产教融合", "k": 5}), ("/measures", {"involving": COLLEGE, "limit": 5})):
            early = httpx.get(srv.url + path, params=params, timeout=60)
            usual = httpx.get(base_url + path, params=params, timeout=60)
            assert early.status_code == usual.status_code == 200, (early.text[:300], usual.text[:300])
            assert early.json() == usual.json(), path
            assert early.json()["total"] > 0, path


def test_an_opening_that_fails_raises_its_error_from_the_future(kg_copy):
    from api.early import open_in_thread
    from core.errors import IndexCorruptError
    from policykg.settings import Settings

    damaged = _damage(kg_copy)
    with pytest.raises(IndexCorruptError, match=damaged):
        open_in_thread(Settings(data=kg_copy, encoder="none")).result(timeout=120)


@pytest.mark.server
def test_serve_on_a_damaged_index_is_one_error_line_and_no_server(kg_copy):
    damaged = _damage(kg_copy)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.run([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--data", str(kg_copy)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-2000:]  # no traceback, no "serving" line
    assert lines[0].startswith(f"Error: The index in {kg_copy} is damaged") and damaged in lines[0], lines[0]
    assert "policykg ingest --rebuild" in lines[0] and "正在" not in proc.stderr


def _damage(data: Path) -> str:
    """Truncate one graph-view file of the live generation; its name relative to the generation."""
    gen = data / "generations" / (data / "CURRENT").read_text().strip()
    victim = sorted((gen / "view").glob("*.npy"))[0]
    victim.write_bytes(victim.read_bytes()[:10])
    return victim.relative_to(gen).as_posix()
