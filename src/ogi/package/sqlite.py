"""The package as one SQLite file: fact tables keep codes, lookup tables hold the labels, views join them back.

The CSV and the workbook repeat each template row's and column's Chinese
label on every cell, which is what a person reading a table wants; in a
database that is most of the file. Here the cell tables (proactive, requests,
appeals) and check_results keep only codes. The labels live once in lookup
tables:

- `template_rows`, `template_columns`: every row and column of every template
  version with its Chinese label, keyed by one text column
  (`2021:requests:3.3.5`). The cell tables compute that key (`row_key`,
  `column_key`) as a virtual generated column: it costs no space, and a
  single-column foreign key is what Datasette needs to show a label by itself;
- `consistency_rules`: each rule's description; `check_definitions`: each
  rule's cells as a template (and its variant) states them, which check_results
  points to by an integer `check_key`;
- one code list per coded field (`flag_codes`, `template_codes`, …): each code
  with its label where the package has one.

`<table>_labelled` views give back exactly the CSV's columns and rows.
Virtual generated columns need SQLite 3.31 (2020) or newer to read the file.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ogi import template as templates
from ogi.package import tables as package_tables
from ogi.package.fields import CELL_TABLES, FIELDS, LEVEL_NAMES, LOOKUP_FIELDS, TABLES
from ogi.package.formats import python_batches

_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT"}
LABEL_FIELDS = ("row_group_label", "row_label", "column_group_label", "column_label")  # kept in template_rows / template_columns
LOOKED_UP = {"check_results": ("rule_description", "per_code", "left_cells", "right_cells")}  # kept in consistency_rules, check_definitions
CHECK_DEFINITION = ("table_code", "rule_code", "subject_code", "per_code", "left_cells", "right_cells")
KEY_SEPARATOR = ":"
LABELLED = "_labelled"  # the views' suffix
WITHOUT_ROWID = set(CELL_TABLES) | {"check_results"}  # small rows, looked up by their key: stored in key order, no second index


# --- the layout ---


def stored_fields(table: str) -> list[str]:
    """The table's columns in the SQLite: the CSV's, less the labels the lookups hold (plus check_results' check_key)."""
    dropped = (LABEL_FIELDS if table in CELL_TABLES else ()) + LOOKED_UP.get(table, ())
    kept = [n for n in TABLES[table].fields if n not in dropped]
    return kept + ["check_key"] if table == "check_results" else kept


def code_lists() -> dict[str, list[str]]:
    """Lookup table → the coded fields that refer to it. Fields with the same list of codes share one table."""
    out: dict[str, list[str]] = {}
    by_codes: dict[tuple, str] = {}
    for name in FIELDS:
        codes = list(code_labels(name))
        if not name.endswith("_code") or not codes:
            continue
        lookup = by_codes.setdefault(tuple(codes), name.removesuffix("_code") + "_codes")
        out.setdefault(lookup, []).append(name)
    return out


def _code_table_of() -> dict[str, tuple[str, str]]:
    """Coded field → (its lookup table, that table's key column)."""
    return {name: (lookup, fields[0]) for lookup, fields in code_lists().items() for name in fields}


def foreign_keys(table: str) -> list[tuple[str, str, str]]:
    """(column, table, column): the package's own keys, then the lookups'."""
    columns = stored_fields(table)
    keys = [(f, res, ref) for f, res, ref in TABLES[table].foreign_keys]
    keys += [(f, *_code_table_of()[f]) for f in columns if f in _code_table_of()]
    if table in CELL_TABLES:
        keys += [("row_key", "template_rows", "row_key"), ("column_key", "template_columns", "column_key")]
    if table == "check_results":
        keys += [("rule_code", "consistency_rules", "rule_code"), ("check_key", "check_definitions", "check_key")]
    return keys


def _key_sql(table: str, code_field: str) -> str:
    sep = f"'{KEY_SEPARATOR}'"
    return f"template_code || {sep} || '{table}' || {sep} || {code_field}"


def create_table_sql(table: str) -> str:
    t = TABLES[table]
    cols = [f"  {n} {_TYPES[_field(n).type]}" + (" NOT NULL" if n in t.primary_key else "") for n in stored_fields(table)]
    if table in CELL_TABLES:
        cols += [
            f"  {k} TEXT GENERATED ALWAYS AS ({_key_sql(table, code)}) VIRTUAL"
            for k, code in (("row_key", "row_code"), ("column_key", "column_code"))
        ]
    cols.append(f"  PRIMARY KEY ({', '.join(t.primary_key)})")
    cols += [f"  FOREIGN KEY ({f}) REFERENCES {res} ({ref})" for f, res, ref in foreign_keys(table)]
    return f"CREATE TABLE {table} (\n" + ",\n".join(cols) + "\n)" + (" WITHOUT ROWID" if table in WITHOUT_ROWID else "")


def view_sql(table: str) -> str:
    """`<table>_labelled`: the CSV's columns, in its order, labels joined from the lookups."""
    source = {n: f"t.{n}" for n in stored_fields(table)}
    joins = []
    if table in CELL_TABLES:
        source.update(
            {n: f"r.{n}" for n in ("row_group_label", "row_label")} | {n: f"c.{n}" for n in ("column_group_label", "column_label")}
        )
        joins += ["JOIN template_rows r ON r.row_key = t.row_key", "JOIN template_columns c ON c.column_key = t.column_key"]
    if table == "check_results":
        source.update({n: f"d.{n}" for n in ("per_code", "left_cells", "right_cells")}, rule_description="k.rule_description")
        joins += ["JOIN check_definitions d ON d.check_key = t.check_key", "JOIN consistency_rules k ON k.rule_code = t.rule_code"]
    columns = ",\n  ".join(f"{source[n]} AS {n}" for n in TABLES[table].fields)
    order = ", ".join(f"t.{n}" for n in TABLES[table].primary_key)
    return f"CREATE VIEW {table}{LABELLED} AS SELECT\n  {columns}\nFROM {table} t\n" + "\n".join(joins) + f"\nORDER BY {order}"


def labelled_tables() -> list[str]:
    return [t for t in TABLES if t in CELL_TABLES or t in LOOKED_UP]


# --- the lookups' rows ---


def template_row_rows() -> list[tuple]:
    """(row_key, template_code, table_code, row_code, row_group_label, row_label): the labels the CSV's cells carry."""
    out = []
    for version in templates.TEMPLATE_VERSIONS:
        for table in CELL_TABLES:
            for code, (label, group) in package_tables.row_labels(version, table).items():
                out.append((KEY_SEPARATOR.join((version, table, code)), version, table, code, group, label))
    return out


def template_column_rows() -> list[tuple]:
    out = []
    for version in templates.TEMPLATE_VERSIONS:
        for table in CELL_TABLES:
            for code, (label, group) in package_tables.column_labels(version, table).items():
                out.append((KEY_SEPARATOR.join((version, table, code)), version, table, code, group, label))
    return out


def rule_rows(check_results: pa.Table) -> list[tuple]:
    """(rule_code, table_code, rule_description), from the check results; a rule with two descriptions stops the build."""
    names = ["rule_code", "table_code", "rule_description"]
    distinct = check_results.select(names).group_by(names).aggregate([]).sort_by([(n, "ascending") for n in names])
    rows = list(zip(*(distinct[n].to_pylist() for n in names)))
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        raise ValueError(f"a rule with two descriptions or tables: {[r for r in rows if codes.count(r[0]) > 1]}")
    return rows


def check_definitions(check_results: pa.Table) -> tuple[list[tuple], pa.Array]:
    """Each distinct CHECK_DEFINITION, numbered from 1 in order of first appearance, and each check result's number."""
    columns = check_results.select(CHECK_DEFINITION)
    joined = pc.binary_join_element_wise(*columns.columns, "\x1f", null_handling="replace", null_replacement="\x00")
    indices = pc.dictionary_encode(joined).combine_chunks().indices.to_numpy(zero_copy_only=False)
    numbers, first = np.unique(indices, return_index=True)
    definitions = columns.take(pa.array(first))
    rows = zip((numbers + 1).tolist(), *(c.to_pylist() for c in definitions.columns))
    return list(rows), pa.array(indices + 1, pa.int64())


def code_labels(field: str) -> dict[str, str | None]:
    """Each code of a coded field and its Chinese label, where the package has one."""
    f = FIELDS[field]
    categories = f.schema().get("categories")
    if categories:  # a Table Schema code list on the field itself
        return {c["value"]: c.get("label") for c in categories if isinstance(c, dict)}
    known = {
        "level_code": LEVEL_NAMES,
        "template_code": _template_titles(),
        "table_code": _table_titles(),
        "section_code": _section_titles(),
    }
    return {code: known.get(field, {}).get(code) for code in f.constraints.get("enum", [])}


def _template_titles() -> dict[str, str]:
    return {t["version"]: f"{t['issued_by']} {t['name']}" for t in templates.all_templates()}


def _table_titles() -> dict[str, str]:
    latest = templates.load(templates.TEMPLATE_VERSIONS[-1])
    return {name: tbl["title"] for name, tbl in latest["tables"].items()}


def _section_titles() -> dict[str, str]:
    latest = templates.load(templates.TEMPLATE_VERSIONS[-1])
    return {s["code"]: f"{s['numeral']}、{s['title']}" for s in latest["sections"]}


# --- writing ---


def write_sqlite(tables: dict[str, pa.Table], path: Path) -> Path:
    """Lookups first, then every package table (codes only where a lookup holds the label), the views, `data_dictionary`."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        check_keys = _write_lookups(con, tables)
        for name, table in tables.items():
            con.execute(create_table_sql(name))
            if name == "check_results":
                table = table.append_column("check_key", check_keys)
            _insert(con, name, table.select(stored_fields(name)))
        for name in labelled_tables():
            con.execute(view_sql(name))
        _write_dictionary_table(con)
        con.commit()
        if bad := con.execute("PRAGMA foreign_key_check").fetchall():
            raise ValueError(f"{path}: foreign keys that point nowhere: {bad[:5]}")
        con.execute("VACUUM")  # pages in order, none left free: the same bytes every build, and smaller
    finally:
        con.close()
    return path


def _insert(con: sqlite3.Connection, name: str, table: pa.Table) -> None:
    columns = ", ".join(table.column_names)
    marks = ", ".join("?" * table.num_columns)
    for batch in python_batches(table):
        con.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", zip(*batch))


def _write_lookups(con: sqlite3.Connection, tables: dict[str, pa.Table]) -> pa.Array:
    """Every lookup table; returns each check result's check_key."""
    label_cols = "{0}_group_label TEXT, {0}_label TEXT"
    for name, rows, kind in (("template_rows", template_row_rows(), "row"), ("template_columns", template_column_rows(), "column")):
        con.execute(
            f"CREATE TABLE {name} ({kind}_key TEXT NOT NULL PRIMARY KEY, template_code TEXT NOT NULL REFERENCES template_codes (template_code), "
            f"table_code TEXT NOT NULL REFERENCES table_codes (table_code), {kind}_code TEXT NOT NULL, {label_cols.format(kind)})"
        )
        con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.execute(
        "CREATE TABLE consistency_rules (rule_code TEXT NOT NULL PRIMARY KEY, table_code TEXT NOT NULL REFERENCES table_codes (table_code), rule_description TEXT)"
    )
    con.executemany("INSERT INTO consistency_rules VALUES (?, ?, ?)", rule_rows(tables["check_results"]))
    definitions, check_keys = check_definitions(tables["check_results"])
    con.execute(
        "CREATE TABLE check_definitions (check_key INTEGER NOT NULL PRIMARY KEY, table_code TEXT NOT NULL REFERENCES table_codes (table_code), "
        "rule_code TEXT NOT NULL REFERENCES consistency_rules (rule_code), subject_code TEXT NOT NULL, per_code TEXT REFERENCES per_codes (per_code), "
        "left_cells TEXT, right_cells TEXT, equation TEXT GENERATED ALWAYS AS (left_cells || ' = ' || right_cells) VIRTUAL)"
    )
    con.executemany(
        "INSERT INTO check_definitions (check_key, " + ", ".join(CHECK_DEFINITION) + ") VALUES (?, ?, ?, ?, ?, ?, ?)", definitions
    )
    for lookup, fields in code_lists().items():
        key = fields[0]
        con.execute(f"CREATE TABLE {lookup} ({key} TEXT NOT NULL PRIMARY KEY, label TEXT)")
        con.executemany(f"INSERT INTO {lookup} VALUES (?, ?)", code_labels(key).items())
    return check_keys


def _write_dictionary_table(con: sqlite3.Connection) -> None:
    """Every column of every table and view in the file (lookups included): Chinese title, type, unit, meaning."""
    con.execute(
        "CREATE TABLE data_dictionary (table_name TEXT NOT NULL, field_name TEXT NOT NULL, title TEXT, type TEXT, unit TEXT, description TEXT, PRIMARY KEY (table_name, field_name))"
    )
    names = [
        r[0]
        for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name != 'data_dictionary' ORDER BY rowid")
    ]
    rows = [(t, c[1], *_dictionary_entry(c[1])) for t in names for c in con.execute(f"PRAGMA table_xinfo({t})")]
    con.executemany("INSERT INTO data_dictionary VALUES (?, ?, ?, ?, ?, ?)", rows)


def _field(name: str):
    return FIELDS.get(name) or LOOKUP_FIELDS[name]


def _dictionary_entry(name: str) -> tuple:
    f = _field(name)
    return (f.title, f.type, f.unit, f.description)


# --- Datasette ---


def datasette_metadata(meta: dict, database: str) -> dict:
    """Datasette's metadata: titles, each column's Chinese title and meaning, and the lookups' label columns."""
    tables = {}
    for t in TABLES.values():
        columns = {n: _column_note(n) for n in stored_fields(t.name)}
        if t.name in CELL_TABLES:
            columns |= {n: _column_note(n) for n in ("row_key", "column_key")}
        tables[t.name] = {"title": f"{t.title_zh} · {t.title_en}", "description": t.description, "columns": columns}
        if t.name in labelled_tables():
            tables[t.name + LABELLED] = {
                "title": f"{t.title_zh}（含标签） · {t.title_en}, labelled",
                "description": f"The {t.name} table with the labels joined from the lookup tables: the same columns and rows as {t.name}.csv.",
                "columns": {n: _column_note(n) for n in t.fields},
            }
    tables["agencies"]["label_column"] = "agency_name"
    tables["reports"]["label_column"] = "title"
    tables["template_rows"] = {
        "title": "模板行 · Template rows",
        "description": "Every row of every template version: its code and Chinese label. The cell tables' row_key points here.",
        "label_column": "row_label",
    }
    tables["template_columns"] = {
        "title": "模板列 · Template columns",
        "description": "Every column of every template version: its code and Chinese label. The cell tables' column_key points here.",
        "label_column": "column_label",
    }
    tables["check_definitions"] = {
        "title": "勾稽核对定义 · Check definitions",
        "description": "Each check as a template (and its variant) states it: the rule, what it is about, the cells on each side. check_results' check_key points here; the key is this file's own, not stable across versions: join through it, do not keep it.",
        "label_column": "equation",
    }
    tables["consistency_rules"] = {
        "title": "勾稽规则 · Consistency rules",
        "description": "Each consistency rule and what it says.",
        "label_column": "rule_description",
    }
    for lookup, fields in code_lists().items():
        tables[lookup] = {
            "title": f"{FIELDS[fields[0]].title} · code list",
            "description": f"The codes of {', '.join(fields)} and their labels (empty where the package has none yet).",
            "label_column": "label",
        }
    tables["data_dictionary"] = {
        "title": "字段说明 · Data dictionary",
        "description": "Every column of every table and view: Chinese title, type, unit, meaning.",
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


def _column_note(name: str) -> str:
    f = _field(name)
    return f"{f.title} — {f.description}"


def write_datasette_metadata(meta: dict, sqlite_path: Path, path: Path) -> Path:
    path.write_text(json.dumps(datasette_metadata(meta, sqlite_path.stem), ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path
