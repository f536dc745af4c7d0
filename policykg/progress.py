"""Progress bars and stage timings of an ingest."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policykg.report import IngestReport


class stage:
    """Adds a stage's wall and CPU seconds (this process and its reaped workers) to ``report.stages``."""

    def __init__(self, report: IngestReport, name: str):
        self.report, self.name = report, name

    @staticmethod
    def _cpu() -> float:
        import resource

        return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                      resource.getrusage(resource.RUSAGE_CHILDREN)))

    def __enter__(self) -> None:
        self.t, self.c = time.perf_counter(), self._cpu()

    def __exit__(self, *exc) -> None:
        self.report.stages[self.name] = {"wall": round(time.perf_counter() - self.t, 2),
                                         "cpu": round(self._cpu() - self.c, 2)}


def bar(total: int, desc: str, unit: str, enabled: bool, scale: bool = False):
    """A tqdm progress bar on stderr (a silent one when disabled)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, unit_scale=scale, leave=False)
