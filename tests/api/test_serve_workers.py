"""``policykg serve --workers N``: several processes behind one socket, with TCP_NODELAY kept."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from bench import bench_http
from tests.api.tasks_data import GOV, tasks_settings  # noqa: F401 (fixture)

pytestmark = pytest.mark.server


def test_listening_socket_is_tcp_so_connections_get_nodelay():
    import uvicorn

    from api.cli import listening_socket

    config = uvicorn.Config("api.main:create_app", factory=True, host="127.0.0.1", port=0)
    sock = listening_socket(config)
    try:
        assert sock.proto == socket.IPPROTO_TCP, f"proto {sock.proto}: asyncio would leave Nagle on"

        async def accepted_nodelay() -> int:
            seen: list[int] = []

            class P(asyncio.Protocol):
                def connection_made(self, transport):
                    seen.append(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                                socket.TCP_NODELAY))
                    transport.close()

            server = await asyncio.get_running_loop().create_server(P, sock=sock)
            with socket.create_connection(sock.getsockname()[:2]):
                for _ in range(100):
                    if seen:
                        break
                    await asyncio.sleep(0.02)
            server.close()
            return seen[0]

        assert asyncio.run(accepted_nodelay()) != 0, "accepted connections must have TCP_NODELAY"
    finally:
        sock.close()


def test_serve_with_two_workers_answers(tasks_settings):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, POLICYKG_ENCODER="none")
    cmd = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--workers", "2",
           "--data", str(tasks_settings.data), "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "no answer from serve --workers 2 within 60 s"
            time.sleep(0.3)
        with httpx.Client(base_url=url, timeout=30) as c:
            got = c.get("/tasks", params={"org": GOV, "role": "lead", "due_by": "2022-12-31"})
            assert got.status_code == 200 and got.json(), got.text
        # the load benchmark's mix (search, entities, measures pages, SPARQL) from 8 clients at once:
        # both processes answer every kind, none fails
        res = asyncio.run(bench_http.run(url, clients=8, duration=2.0, seed=3))
        assert res["errors"] == {} and not res["failed"], res["failed"][:3]
        assert all(res["latency"][kind] for kind in ("search", "entities", "measures", "sparql")), \
            {k: len(v) for k, v in res["latency"].items()}
        assert "proportional set size" in bench_http.server_rss(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
