"""Workbench benchmark: what the result filters, paging and table exports add to "which measures involve X".

Usage::

    python bench/bench_workbench.py --data DIR                 # default name 国务院, 20 rounds
    python bench/bench_workbench.py --data DIR --name 教育部 --rounds 50

Prints the median time of the plain answer (the baseline, same run), of the answer filtered by every
filter at once, sorted by date and paged, of building the table rows (with the task list), and of
writing them as CSV and as XLSX. The machine is shared: compare figures within one run only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def median_ms(fn, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="An ingested data folder.")
    ap.add_argument("--name", default="国务院", help="The entity whose measures are listed.")
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()

    from policykg.exports import measure_rows, to_csv, to_xlsx
    from policykg.filters import ResultFilter
    from policykg.service import PolicyKG
    from policykg.settings import Settings

    kg = PolicyKG.open(Settings(data=args.data, encoder="none"), encoder=False)
    kg.catalog()
    answer = kg.measures_involving(args.name)
    flt = ResultFilter.parse(kind="policy", date_from="2000", entity_type="government_body", role="involved",
                             sort="date")
    rows = measure_rows(answer["results"], kg.state.view, kg.tasks())
    print(f"load average {os.getloadavg()[0]:.2f}; {args.name}: {len(answer['results'])} measures, "
          f"{kg.refine(answer['results'], flt)['total']} after the filters")
    figures = {
        "answer (baseline)": lambda: kg.measures_involving(args.name),
        "answer + every filter + date sort + page of 20": lambda: kg.refine(
            kg.measures_involving(args.name)["results"], flt, 0, 20),
        "table rows (with the task list)": lambda: measure_rows(
            kg.measures_involving(args.name)["results"], kg.state.view, kg.tasks()),
        "CSV of the rows": lambda: to_csv(rows),
        "XLSX of the rows": lambda: to_xlsx(rows),
    }
    for name, fn in figures.items():
        print(f"{name:<50} {median_ms(fn, args.rounds):8.1f} ms")
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
