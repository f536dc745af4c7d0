"""The one atomic-write helper: readers see the old file or the new one, never half of either.

A temporary file beside the target is written, then renamed over it (``os.replace`` is atomic
on POSIX). ``durable=True`` also flushes it to disk before the rename (what the index's commit
records need); caches pass ``durable=False``: a lost or torn entry is detected on load and rebuilt.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a" / "x.json"
>>> write_atomic(p, '{"ok": true}'); p.read_text()
'{"ok": true}'
>>> with replacing(p, suffix=".json") as tmp:
...     _ = tmp.write_text("new")
>>> p.read_text(), sorted(x.name for x in p.parent.iterdir())
('new', ['x.json'])
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: str | Path, *, durable: bool = False, suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary path to write ``path``'s new content to; renamed over ``path`` when the block ends
    without an error (removed otherwise). ``suffix``: the temporary file's ending (``np.save`` wants
    ``.npy``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, data: bytes | str, *, durable: bool = True) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` atomically; ``durable``: fsync before the rename."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with replacing(path, durable=durable) as tmp:
        tmp.write_bytes(payload)
