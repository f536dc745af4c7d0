"""Read the task table of a .csv attachment: UTF-8 (with or without BOM) or GBK/GB18030,
delimiter sniffed among comma, tab, semicolon and bar.

>>> _sniff("序号,任务,牵头单位\\n1,a,b\\n")
','
>>> _sniff("序号\\t任务\\t牵头单位\\n1\\ta，b\\tc\\n")
'\\t'
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.attachments.table import RawTable

_DELIMITERS = ",\t;|"


def _sniff(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def read_csv_table(path: str | Path) -> RawTable:
    """Rows of a delimited text file."""
    from ingest.read import read_text

    p = Path(path)
    text, _ = read_text(p)
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=_sniff(text))]
    return RawTable(rows=rows, names=[p.stem], format="csv")
