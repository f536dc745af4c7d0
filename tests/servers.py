"""What the tests start on loopback: free ports, ``oxigraph serve``, and headless Chromium on a page."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@contextlib.contextmanager
def chromium_page(url: str):
    """A Playwright page in Debian's headless Chromium at ``url``; fails the test on JavaScript errors."""
    sync_api = pytest.importorskip("playwright.sync_api")
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
