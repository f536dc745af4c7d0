"""A long ingest's progress bars show each stage's own rate."""

from __future__ import annotations

import re
from pathlib import Path

from policykg.service import PolicyKG
from policykg.settings import Settings

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def test_parsing_bar_shows_characters_per_second(tmp_path, capsys, monkeypatch):
    import policykg.pipeline as pipeline

    clock = iter(range(0, 10_000))  # every result a second later: the rate is shown at each one
    monkeypatch.setattr(pipeline.time, "perf_counter", lambda: float(next(clock)))
    files = sorted((CORPUS / "gov-policy").glob("*.txt"))[:3]
    report = PolicyKG(Settings(data=tmp_path / "d", encoder="none", workers=1), encoder=False).ingest(
        files, embed=False, progress=True)
    err = capsys.readouterr().err
    rates = [int(x.replace(",", "")) for x in re.findall(r"([\d,]+) chars/s", err)]
    assert report.parsed == 3 and rates, f"no characters/s on the parsing bar: {err[-500:]!r}"
    assert 0 < max(rates) <= report.characters, rates  # characters so far over at least one second
    assert re.search(r"graph.*B/s", err), "the graph stage shows its bytes/s"
