"""Benchmark: each format writer alone, on a built package, with the size of every file.

    .venv/bin/python scripts/bench_formats.py DIR [--out OUT]

DIR is a built package (e.g. from `scripts/bench_build.py --n 10000 --keep DIR`);
its tables are read back from its Parquet files, then CSV, Parquet, SQLite and
the workbook are written again into OUT (a temporary folder unless given), one
after the other, each timed (wall seconds, and this process's peak memory so
far). Then every file of DIR is listed with its size.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from ogi.package import formats, sqlite, workbook
from ogi.package.fields import TABLES


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("package", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="ogi-formats-"))
    out.mkdir(parents=True, exist_ok=True)
    tables = {name: pq.read_table(args.package / formats.PARQUET_DIR / f"{name}.parquet") for name in TABLES}
    meta = json.loads((args.package / "datapackage.json").read_text("utf-8"))
    print(f"{tables['reports'].num_rows} reports, {sum(t.num_rows for t in tables.values())} rows in all")
    writers = [
        ("CSV", lambda: formats.write_csv(tables, out)),
        ("Parquet", lambda: formats.write_parquet(tables, out)),
        ("SQLite", lambda: sqlite.write_sqlite(tables, out / "bench.sqlite")),
        ("Excel", lambda: workbook.write_workbook(tables, meta, out / "bench.xlsx")),
    ]
    for name, write in writers:
        started = time.perf_counter()
        write()
        print(f"{name:8} {time.perf_counter() - started:7.1f} s   peak memory so far {peak_mib():6.0f} MiB")
    print(f"\nfiles of {args.package}:")
    total = 0
    for path in sorted(p for p in args.package.rglob("*") if p.is_file()):
        size = path.stat().st_size
        total += size
        print(f"{size:>13,}  {path.relative_to(args.package).as_posix()}")
    print(f"{total:>13,}  in all")


if __name__ == "__main__":
    main()
