"""A real ``policykg serve`` process over a real index of two documents, and a loopback listener.

The server runs as the command line starts it (a separate process, uvicorn, its SPARQL worker
processes); requests are real HTTP. Limits are set low through the environment so the tests
run quickly: a 3 s query time limit and a 1,000-row result limit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from tests.conftest import CORPUS, GUOFA_4
from tests.servers import InProcessServer, free_port

SEED = CORPUS / "seed"
GUOFA = GUOFA_4
SEED_KEY = "冀政字〔2021〕61号"


def policykg(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """The ``policykg`` command line, run as a process."""
    return subprocess.run([sys.executable, "-c", "from api.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "POLICYKG_ENCODER": "none", **(env or {})})


@pytest.fixture(scope="session")
def sec_data(tmp_path_factory) -> Path:
    """A data folder with the seed policy and 国发〔2019〕4号 (no embeddings)."""
    if not SEED.is_dir() or not GUOFA.is_file():
        pytest.fail(f"corpus not found: expected {SEED} and {GUOFA}")
    data = tmp_path_factory.mktemp("sec") / "data"
    done = policykg("ingest", str(SEED), str(GUOFA), "--data", str(data))
    assert done.returncode == 0, done.stderr
    return data


class Serve:
    """``policykg serve`` on a free loopback port, in its own process group."""

    def __init__(self, data: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "POLICYKG_ENCODER": "none", "POLICYKG_ENDPOINT_TIMEOUT": "3",
                    "POLICYKG_ENDPOINT_LIMIT": "1000", **env}
        self.cmd = [sys.executable, "-c", "from api.cli import main; main()", "serve", "--data", str(data),
                    "--port", str(self.port)]
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Serve:
        self.proc = subprocess.Popen(self.cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while True:
            if self.proc.poll() is not None:
                pytest.fail(f"policykg serve exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("policykg serve did not answer /health within 90 s")
            time.sleep(0.2)
        # start the query processes now, so no test pays for their start
        httpx.get(self.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
        return self

    def children(self) -> list[int]:
        """Process ids of the server's child processes (its SPARQL workers)."""
        out = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                out += [int(x) for x in (task / "children").read_text().split()]
        return out

    def rss_mb(self, pid: int | None = None) -> float:
        for line in Path(f"/proc/{pid or self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def serve(sec_data):
    with Serve(sec_data) as srv:
        yield srv


class Listener:
    """A TCP listener on loopback that counts the connections it accepts (it must get none)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.accepted += 1
            with contextlib.suppress(OSError):
                body = b'{"head":{"vars":[]},"results":{"bindings":[]}}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                conn.close()

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture()
def listener():
    with Listener() as lst:
        yield lst


def health_latencies(url: str, stop: threading.Event, out: list[float]) -> None:
    """Poll /health until ``stop`` is set, appending each answer's latency in seconds."""
    with httpx.Client(timeout=10) as c:
        while not stop.is_set():
            t0 = time.perf_counter()
            r = c.get(url + "/health")
            out.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
            time.sleep(0.02)


#: The API served in-process with ``policykg serve``'s options (``tests/servers.py``).
InProcess = InProcessServer
