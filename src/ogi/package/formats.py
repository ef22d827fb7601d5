"""The package's formats, all written from the same tables: CSV (canonical), Parquet, SQLite, Excel.

Each writer takes the tables as built and the field registry, and nothing else,
so no format can say something another does not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ogi.package import xlsx
from ogi.package.fields import FIELDS, TABLES

CSV_DIR = "data"
PARQUET_DIR = "parquet"
_ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}
_SQLITE = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}


def python_columns(df: pd.DataFrame) -> list[list]:
    """Each column as a list of plain Python values, None for missing."""
    return [df[c].astype(object).where(df[c].notna(), None).tolist() for c in df.columns]


def python_rows(df: pd.DataFrame) -> Iterator[tuple]:
    return zip(*python_columns(df)) if len(df.columns) else iter(())


# --- CSV ---


def write_csv(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """UTF-8, comma-separated, LF line ends, a header of field names, missing values empty."""
    (out_dir / CSV_DIR).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, df in tables.items():
        path = out_dir / CSV_DIR / f"{name}.csv"
        df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        paths[name] = path
    return paths


# --- Parquet ---


def arrow_schema(table: str) -> pa.Schema:
    t = TABLES[table]
    fields = [
        pa.field(n, _ARROW[FIELDS[n].type], nullable=n not in t.primary_key, metadata={"title": FIELDS[n].title, "description": FIELDS[n].description})
        for n in t.fields
    ]
    return pa.schema(fields, metadata={"title": f"{t.title_zh} · {t.title_en}", "description": t.description, "primary_key": json.dumps(list(t.primary_key))})


def _arrow_column(series: pd.Series, type_: pa.DataType) -> pa.Array:
    values = series.astype(object).where(series.notna(), None)
    if pa.types.is_date32(type_):
        return pa.array(values.tolist(), type=pa.string()).cast(type_)
    return pa.array(values.tolist(), type=type_)


def write_parquet(tables: dict[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    (out_dir / PARQUET_DIR).mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, df in tables.items():
        schema = arrow_schema(name)
        arrays = [_arrow_column(df[f.name], f.type) for f in schema]
        path = out_dir / PARQUET_DIR / f"{name}.parquet"
        pq.write_table(pa.Table.from_arrays(arrays, schema=schema), path, compression="zstd")
        paths[name] = path
    return paths


# --- SQLite ---


def create_table_sql(table: str) -> str:
    t = TABLES[table]
    cols = [f"  {n} {_SQLITE[FIELDS[n].type]}" + (" NOT NULL" if n in t.primary_key else "") for n in t.fields]
    cols.append(f"  PRIMARY KEY ({', '.join(t.primary_key)})")
    cols += [f"  FOREIGN KEY ({f}) REFERENCES {res} ({ref})" for f, res, ref in t.foreign_keys]
    return f"CREATE TABLE {table} (\n" + ",\n".join(cols) + "\n)"


def write_sqlite(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One table per package table, with its primary and foreign keys, plus `data_dictionary`."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        for name, df in tables.items():
            con.execute(create_table_sql(name))
            marks = ", ".join("?" * len(df.columns))
            con.executemany(f"INSERT INTO {name} VALUES ({marks})", python_rows(df))
        _write_dictionary_table(con)
        con.commit()
        if bad := con.execute("PRAGMA foreign_key_check").fetchall():
            raise ValueError(f"{path}: foreign keys that point nowhere: {bad[:5]}")
        con.execute("VACUUM")
    finally:
        con.close()
    return path


def _write_dictionary_table(con: sqlite3.Connection) -> None:
    con.execute("CREATE TABLE data_dictionary (table_name TEXT NOT NULL, field_name TEXT NOT NULL, title TEXT, type TEXT, unit TEXT, description TEXT, PRIMARY KEY (table_name, field_name))")
    rows = [(t.name, n, FIELDS[n].title, FIELDS[n].type, FIELDS[n].unit, FIELDS[n].description) for t in TABLES.values() for n in t.fields]
    con.executemany("INSERT INTO data_dictionary VALUES (?, ?, ?, ?, ?, ?)", rows)


_LABEL_COLUMNS = {"agencies": "agency_name", "reports": "title"}


def datasette_metadata(meta: dict, database: str) -> dict:
    """datasette's metadata.json: table titles and each column's Chinese title and meaning."""
    tables = {
        t.name: {
            "title": f"{t.title_zh} · {t.title_en}",
            "description": t.description,
            "columns": {n: f"{FIELDS[n].title} — {FIELDS[n].description}" for n in t.fields},
            **({"label_column": _LABEL_COLUMNS[t.name]} if t.name in _LABEL_COLUMNS else {}),
        }
        for t in TABLES.values()
    }
    tables["data_dictionary"] = {"title": "字段说明 · Data dictionary", "description": "Every column of every table: Chinese title, type, unit, meaning."}
    lic = meta["licenses"][0]
    return {
        "title": meta["title"],
        "description": meta["description"],
        "license": lic["name"],
        "license_url": lic["path"],
        "source": "政府信息公开工作年度报告 (see each report's source_url)",
        "databases": {database: {"tables": tables}},
    }


def write_datasette_metadata(meta: dict, sqlite_path: Path, path: Path) -> Path:
    path.write_text(json.dumps(datasette_metadata(meta, sqlite_path.stem), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


# --- Excel ---


def _width(title: str, values: list) -> float:
    longest = max([len(title)] + [len(str(v)) for v in values[:200] if v is not None])
    return float(min(max(longest * 1.6 + 2, 8), 60))


def table_sheets(name: str, df: pd.DataFrame) -> list[xlsx.Sheet]:
    """A table as sheets with Chinese headers; a table longer than Excel allows continues on further sheets."""
    t = TABLES[name]
    header = [FIELDS[n].title for n in t.fields]
    columns = python_columns(df)
    widths = [_width(h, c) for h, c in zip(header, columns)]
    per_sheet = xlsx.MAX_ROWS - 1
    parts = max(1, -(-len(df) // per_sheet))
    sheets = []
    for i in range(parts):
        title = t.title_zh if i == 0 else f"{t.title_zh}（{i + 1}）"
        rows = zip(*(c[i * per_sheet : (i + 1) * per_sheet] for c in columns))
        sheets.append(xlsx.Sheet(title, [header], rows, widths=widths))
    return sheets


def about_sheet(meta: dict) -> xlsx.Sheet:
    lic = meta["licenses"][0]
    rows = [
        ("名称 name", meta["name"]), ("标题 title", meta["title"]), ("版本 version", meta["version"]), ("生成 created", meta.get("created")),
        ("许可 license", f"{lic['name']} {lic['path']}"), ("说明 description", meta["description"]), ("", ""),
        ("工作表 sheet", "内容 contents"),
    ]
    rows += [(t.title_zh, f"{t.title_en}: {t.description}") for t in TABLES.values()]
    rows += [
        ("宽表·二（2019格式）", "Section 二, 2019 template: one row per report, as the reports print the table"),
        ("宽表·二（2021格式）", "Section 二, 2021 template: one row per report"),
        ("宽表·三", "Section 三: one row per report, every row × column of the table"),
        ("宽表·四", "Section 四: one row per report"),
        ("字段说明", "Every column: English name, Chinese title, type, unit, meaning"),
        ("", ""),
        ("空白与0", "数值为空表示报告中该单元格空白、填写“/”“—”“无”等符号或无法读出，不是0；原文见“原文”列，原因见“标记”列。 An empty number is a blank, a mark or an unread cell, never 0."),
    ]
    return xlsx.Sheet("说明", [["项目 item", "内容 value"]], rows, widths=[22, 120])


def dictionary_sheet() -> xlsx.Sheet:
    rows = [(t.title_zh, t.name, n, FIELDS[n].title, FIELDS[n].type, FIELDS[n].unit, FIELDS[n].description) for t in TABLES.values() for n in t.fields]
    return xlsx.Sheet("字段说明", [["表", "table", "field", "中文标题", "type", "unit", "description"]], rows, widths=[16, 16, 28, 20, 10, 8, 100])


def write_xlsx(tables: dict[str, pd.DataFrame], wide_sheets: list[xlsx.Sheet], meta: dict, path: Path) -> Path:
    sheets = [about_sheet(meta)]
    for name, df in tables.items():
        sheets += table_sheets(name, df)
    xlsx.write_workbook(path, sheets + wide_sheets + [dictionary_sheet()])
    return path
