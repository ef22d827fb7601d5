"""The package's formats, all written from the same tables: CSV (canonical), Parquet, SQLite, Excel.

Each writer takes the tables as built and the field registry, and nothing
else, so no format can say something another does not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ogi.package import xlsx
from ogi.package.fields import FIELDS, TABLES

CSV_DIR = "data"
PARQUET_DIR = "parquet"
BATCH_ROWS = 50_000
_SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}


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


# --- SQLite ---


def create_table_sql(table: str) -> str:
    t = TABLES[table]
    cols = [f"  {n} {_SQLITE_TYPES[FIELDS[n].type]}" + (" NOT NULL" if n in t.primary_key else "") for n in t.fields]
    cols.append(f"  PRIMARY KEY ({', '.join(t.primary_key)})")
    cols += [f"  FOREIGN KEY ({f}) REFERENCES {res} ({ref})" for f, res, ref in t.foreign_keys]
    return f"CREATE TABLE {table} (\n" + ",\n".join(cols) + "\n)"


def write_sqlite(tables: dict[str, pa.Table], path: Path) -> Path:
    """One SQLite table per package table, with its primary and foreign keys, plus `data_dictionary`."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        for name, table in tables.items():
            con.execute(create_table_sql(name))
            marks = ", ".join("?" * table.num_columns)
            for columns in python_batches(table):
                con.executemany(f"INSERT INTO {name} VALUES ({marks})", zip(*columns))
        _write_dictionary_table(con)
        con.commit()
        if bad := con.execute("PRAGMA foreign_key_check").fetchall():
            raise ValueError(f"{path}: foreign keys that point nowhere: {bad[:5]}")
    finally:
        con.close()
    return path


def _write_dictionary_table(con: sqlite3.Connection) -> None:
    con.execute(
        "CREATE TABLE data_dictionary (table_name TEXT NOT NULL, field_name TEXT NOT NULL, title TEXT, type TEXT, unit TEXT, description TEXT, PRIMARY KEY (table_name, field_name))"
    )
    rows = [(t.name, n, FIELDS[n].title, FIELDS[n].type, FIELDS[n].unit, FIELDS[n].description) for t in TABLES.values() for n in t.fields]
    con.executemany("INSERT INTO data_dictionary VALUES (?, ?, ?, ?, ?, ?)", rows)


_LABEL_COLUMNS = {"agencies": "agency_name", "reports": "title"}


def datasette_metadata(meta: dict, database: str) -> dict:
    """datasette's metadata.json: table titles, and each column's Chinese title and meaning."""
    tables = {
        t.name: {
            "title": f"{t.title_zh} · {t.title_en}",
            "description": t.description,
            "columns": {n: f"{FIELDS[n].title} — {FIELDS[n].description}" for n in t.fields},
            **({"label_column": _LABEL_COLUMNS[t.name]} if t.name in _LABEL_COLUMNS else {}),
        }
        for t in TABLES.values()
    }
    tables["data_dictionary"] = {
        "title": "字段说明 · Data dictionary",
        "description": "Every column of every table: Chinese title, type, unit, meaning.",
    }
    lic = meta["licenses"][0]
    return {
        "title": meta["title"],
        "description": meta["description"],
        "license": lic["name"],
        "license_url": lic["path"],
        "source": "政府信息公开工作年度报告 (each report's source_url is in the reports table)",
        "databases": {database: {"tables": tables}},
    }


def write_datasette_metadata(meta: dict, sqlite_path: Path, path: Path) -> Path:
    path.write_text(json.dumps(datasette_metadata(meta, sqlite_path.stem), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


# --- Excel ---


def _widths(table: pa.Table, header: list[str]) -> list[float]:
    sample = table.slice(0, 200)
    out = []
    for title, column in zip(header, sample.columns):
        longest = max([len(title)] + [len(str(v)) for v in column.to_pylist() if v is not None])
        out.append(float(min(max(longest * 1.6 + 2, 8), 60)))
    return out


def table_sheets(name: str, table: pa.Table) -> list[xlsx.Sheet]:
    """A table as sheets with Chinese headers; one longer than Excel allows continues on further sheets."""
    t = TABLES[name]
    header = [FIELDS[n].title for n in t.fields]
    widths = _widths(table, header)
    per_sheet = xlsx.MAX_ROWS - 1
    parts = max(1, -(-table.num_rows // per_sheet))
    return [
        xlsx.Sheet(
            t.title_zh if i == 0 else f"{t.title_zh}（{i + 1}）",
            [header],
            table.slice(i * per_sheet, per_sheet).to_batches(max_chunksize=BATCH_ROWS),
            widths=widths,
        )
        for i in range(parts)
    ]


def about_sheet(meta: dict, wide_titles: list[tuple[str, str]]) -> xlsx.Sheet:
    lic = meta["licenses"][0]
    rows = [
        ("名称 name", meta["name"]),
        ("标题 title", meta["title"]),
        ("版本 version", meta["version"]),
        ("生成 created", meta.get("created")),
        ("许可 license", f"{lic['name']} {lic['path']}"),
        ("说明 description", meta["description"]),
        (
            "空白与0 blank and 0",
            "数值为空表示报告中该单元格空白、填写“/”“—”“无”等符号或无法读出，不是0；原文见“原文”列，原因见“标记”列。An empty number is a blank, a mark or an unread cell, never 0: see 原文 (text) and 标记 (flag_code).",
        ),
        ("", ""),
        ("工作表 sheet", "内容 contents"),
    ]
    rows += [(t.title_zh, f"{t.title_en}: {t.description}") for t in TABLES.values()]
    rows += wide_titles
    rows.append(("字段说明", "Every column: English name, Chinese title, type, unit, meaning"))
    return xlsx.Sheet("说明", [["项目 item", "内容 value"]], xlsx.rows_to_batches(rows), widths=[22, 120])


def dictionary_sheet() -> xlsx.Sheet:
    rows = [
        (t.title_zh, t.name, n, FIELDS[n].title, FIELDS[n].type, FIELDS[n].unit, FIELDS[n].description)
        for t in TABLES.values()
        for n in t.fields
    ]
    return xlsx.Sheet(
        "字段说明",
        [["表", "table", "field", "中文标题", "type", "unit", "description"]],
        xlsx.rows_to_batches(rows),
        widths=[16, 16, 28, 20, 10, 8, 100],
    )


def write_xlsx(tables: dict[str, pa.Table], wide_sheets: list[tuple[xlsx.Sheet, str]], meta: dict, path: Path) -> Path:
    """说明 (about), one sheet per table, the wide views, 字段说明 (field dictionary)."""
    sheets = [about_sheet(meta, [(s.title, what) for s, what in wide_sheets])]
    for name, table in tables.items():
        sheets += table_sheets(name, table)
    xlsx.write_workbook(path, sheets + [s for s, _ in wide_sheets] + [dictionary_sheet()])
    return path
