"""The package's plain formats, written from the same tables: CSV (canonical) and Parquet.

The SQLite file (ogi.package.sqlite) and the Excel workbook (ogi.package.workbook)
are written from the same tables too. Each writer takes the tables as built and
the field registry, and nothing else, so no format can say something another does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

CSV_DIR = "data"
PARQUET_DIR = "parquet"
BATCH_ROWS = 50_000


def python_batches(table: pa.Table, rows: int = BATCH_ROWS) -> Iterator[list[list]]:
    """The table a batch at a time, each a list of columns of plain Python values (dates as ISO text, None for missing)."""
    for batch in table.to_batches(max_chunksize=rows):
        yield [(c.cast(pa.string()) if pa.types.is_date32(c.type) else c).to_pylist() for c in batch.columns]


# --- CSV ---


def write_csv(tables: dict[str, pa.Table], out_dir: Path) -> dict[str, Path]:
    """UTF-8, comma-separated, LF line ends, a header of field names; text quoted, missing values empty, booleans true/false."""
    (out_dir / CSV_DIR).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in tables.items():
        path = out_dir / CSV_DIR / f"{name}.csv"
        pa_csv.write_csv(table, path, pa_csv.WriteOptions(quoting_style="needed"))
        paths[name] = path
    return paths


# --- Parquet ---


def write_parquet(tables: dict[str, pa.Table], out_dir: Path) -> dict[str, Path]:
    """One file per table, typed, each column's Chinese title and description in its metadata."""
    (out_dir / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in tables.items():
        path = out_dir / PARQUET_DIR / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        paths[name] = path
    return paths
