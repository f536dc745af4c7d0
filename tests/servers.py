"""What the tests start on loopback: free ports, the API in-process (uvicorn in a thread), ``oxigraph serve``,
Virtuoso, and headless Chromium on a page."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class InProcessServer:
    """``create_app(settings)`` (or ``app``) served by uvicorn in a background thread on a free loopback
    port, with the options ``policykg serve`` uses (``api.limits.UVICORN_OPTIONS``)."""

    def __init__(self, settings, app=None, *, log_level: str = "warning") -> None:
        import uvicorn

        from api.limits import UVICORN_OPTIONS
        from api.main import create_app

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = app or create_app(settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level=log_level, lifespan="on",
                                **UVICORN_OPTIONS)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> InProcessServer:
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


def oxigraph_exe() -> str:
    exe = Path(sys.executable).with_name("oxigraph")
    found = str(exe) if exe.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("The `oxigraph` command is not installed: pip install oxigraph")
    return found


@contextlib.contextmanager
def oxigraph_serve(location: Path, *extra: str):
    """``oxigraph serve`` on a free loopback port; yields the base URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_exe(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {proc.returncode}: {proc.stderr.read().decode()[:500]}")
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not start within 20 s")
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass(frozen=True)
class SparqlServer:
    """A running SPARQL 1.1 server: its query, update and Graph Store Protocol endpoints."""

    name: str
    query: str
    update: str
    gsp: str


@contextlib.contextmanager
def oxigraph_server(location: Path, timeout_s: int = 5):
    """``oxigraph serve`` with the union default graph (as the embedded /sparql) and a query time limit."""
    with oxigraph_serve(location, "--union-default-graph", "--timeout-s", str(timeout_s)) as base:
        yield SparqlServer("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxQueryMem = 500M
ThreadsPerQuery = 2
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = {timeout}
MaxQueryCostEstimationTime = 1000000
"""
#: SPARQL Update over /sparql and the Graph Store Protocol over /sparql-graph-crud, for the anonymous user
VIRTUOSO_GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


@contextlib.contextmanager
def virtuoso_serve(location: Path, timeout_s: int = 5):
    """Debian's Virtuoso (``virtuoso-t``) in ``location`` with its own virtuoso.ini, on free loopback ports.

    Queries are stopped by their run time (``MaxQueryExecutionTime``), not refused up front on an
    estimate (the default refuses estimates past 400 s with an error that is no timeout).
    The anonymous SPARQL user is granted update rights (SQL role and graph permissions) with
    ``isql-vt``, so the store backend writes through ``/sparql`` and ``/sparql-graph-crud`` as
    it does to any SPARQL 1.1 server. Yields a :class:`SparqlServer`.
    """
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if not exe or not isql:
        pytest.fail("Virtuoso is not installed: apt-get install virtuoso-opensource (scripts/setup.sh --test does)")
    location.mkdir(parents=True, exist_ok=True)
    sql, http = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=location, sql=sql, http=http, timeout=timeout_s), encoding="utf-8")
    log = open(location / "stdout.log", "wb")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=location, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 180  # a new database takes ~10 s idle, far more on a loaded machine
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"virtuoso-t exited with {proc.returncode}: {(location / 'stdout.log').read_text()[-800:]}")
            try:
                httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    pytest.fail("Virtuoso did not start within 180 s")
                time.sleep(0.2)
        out = subprocess.run([isql, str(sql), "dba", "dba", f"exec={VIRTUOSO_GRANTS}"], capture_output=True,
                             text=True, timeout=60, env={**os.environ})
        if out.returncode != 0 or "Error" in out.stdout + out.stderr:
            pytest.fail(f"Granting SPARQL update rights failed: {out.stdout[-500:]} {out.stderr[-500:]}")
        yield SparqlServer("virtuoso", f"{base}/sparql", f"{base}/sparql", f"{base}/sparql-graph-crud")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


#: SPARQL servers the external-store tests run against, by name
SPARQL_SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_serve}


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@contextlib.contextmanager
def chromium_page(url: str):
    """A Playwright page in Debian's headless Chromium at ``url``; fails the test on JavaScript errors."""
    from playwright import sync_api  # the test extra installs it; missing, the browser tests fail, not skip
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-wqy-microhei")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(str(exc)))
        pg.goto(url)
        yield pg
        browser.close()
        assert not errors, f"JavaScript errors on the page: {errors}"
