"""The SQLite file (codes, lookups, labelled views) and the Excel workbook (for people), read back with real readers.

One build of the bundled reports for this module; sqlite3, pandas and openpyxl
read what it wrote, and every number and label is compared with the CSVs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ogi.package import sqlite as package_sqlite
from ogi.package import workbook
from ogi.package.build import FILE_NAME
from ogi.package.fields import CELL_TABLES, FIELDS, TABLES
from ogi.package.wide import LEAD


@pytest.fixture(scope="module")
def db(package):
    con = sqlite3.connect(package / f"{FILE_NAME}.sqlite")
    yield con
    con.close()


def read_csv(package: Path, table: str) -> pd.DataFrame:
    """The CSV as text, empty fields as empty strings: the values as published, before any reader's guessing."""
    return pd.read_csv(package / "data" / f"{table}.csv", dtype=str, keep_default_na=False)


def typed(value, field: str):
    """A CSV text or an SQLite value as one comparable value: None for missing, bool, float or str."""
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    kind = FIELDS[field].type
    if kind == "boolean":
        return value in ("true", 1, True)
    if kind in ("integer", "number"):
        return float(value)
    return str(value)


def rows_by_key(df: pd.DataFrame, table: str) -> dict[tuple, tuple]:
    t = TABLES[table]
    names = list(t.fields)
    out = {}
    for row in df[names].itertuples(index=False):
        values = tuple(typed(v, n) for v, n in zip(row, names))
        out[tuple(values[names.index(k)] for k in t.primary_key)] = values
    return out


# --- SQLite ---


def test_foreign_keys_all_point_somewhere(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(r[3], r[2], r[4]) for r in db.execute("PRAGMA foreign_key_list(requests)")}
    assert fks == {
        ("report_id", "reports", "report_id"),
        ("template_code", "template_codes", "template_code"),
        ("flag_code", "flag_codes", "flag_code"),
        ("row_key", "template_rows", "row_key"),
        ("column_key", "template_columns", "column_key"),
    }


def test_a_key_pointing_nowhere_is_caught(db, tmp_path):
    """The check above can fail: a cell of a row no template has is found by foreign_key_check."""
    copy = tmp_path / "copy.sqlite"
    db.execute(f"VACUUM INTO '{copy}'")
    con = sqlite3.connect(copy)
    key = con.execute("SELECT report_id, row_code, column_code FROM requests LIMIT 1").fetchone()
    con.execute("UPDATE requests SET row_code = '9.9' WHERE report_id = ? AND row_code = ? AND column_code = ?", key)
    bad = con.execute("PRAGMA foreign_key_check(requests)").fetchall()
    con.close()
    assert [(b[0], b[2]) for b in bad] == [("requests", "template_rows")]


def test_fact_tables_keep_codes_and_lookups_hold_labels(db):
    for table in [*CELL_TABLES, "check_results"]:
        columns = [r[1] for r in db.execute(f"PRAGMA table_xinfo({table})")]
        assert not [c for c in columns if c.endswith("_label") or c == "rule_description"], table
        assert {"row_code", "column_code"} <= set(columns) or table == "check_results"
    label = db.execute("SELECT row_group_label, row_label FROM template_rows WHERE row_key = '2021:requests:3.3.5'").fetchone()
    assert label == ("（三）不予公开", "5.属于三类内部事务信息")
    column = db.execute(
        "SELECT column_group_label, column_label FROM template_columns WHERE column_key = '2021:requests:commercial_enterprise'"
    )
    assert column.fetchone() == ("法人或其他组织", "商业企业")
    assert db.execute("SELECT label FROM level_codes WHERE level_code = 'county_government'").fetchone() == ("县级人民政府",)
    assert "国办公开办函〔2019〕60号" in db.execute("SELECT label FROM template_codes WHERE template_code = '2019'").fetchone()[0]


@pytest.mark.parametrize("table", package_sqlite.labelled_tables())
def test_labelled_views_give_the_csv(db, package, table):
    """`<table>_labelled` has the CSV's columns in its order, the same rows, numbers and labels."""
    view = pd.read_sql(f"SELECT * FROM {table}_labelled", db)
    csv = read_csv(package, table)
    assert list(view.columns) == list(csv.columns) == list(TABLES[table].fields)
    got, expected = rows_by_key(view, table), rows_by_key(csv, table)
    assert len(view) == len(csv) == len(expected)
    assert got.keys() == expected.keys()
    differ = [(k, got[k], expected[k]) for k in expected if got[k] != expected[k]]
    assert not differ, f"{len(differ)} rows differ from {table}.csv, e.g. {differ[:2]}"


def test_every_package_table_has_the_csv_rows(db, package):
    for table in TABLES:
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == len(read_csv(package, table)), table


def test_datasette_shows_a_label_for_every_foreign_key(db, package):
    """Datasette labels a foreign key when it is one column, is the referenced table's whole primary key,
    and that table has a label column (named in the metadata): every key of every table must be so."""
    meta = json.loads((package / f"{FILE_NAME}.datasette.json").read_text("utf-8"))
    tables = meta["databases"][FILE_NAME]["tables"]
    tables_in_db = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    checked = 0
    for table in tables_in_db:
        for fk in db.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            target, column = fk[2], fk[4]
            pk = [r[1] for r in sorted(db.execute(f"PRAGMA table_info({target})"), key=lambda r: r[5]) if r[5]]
            assert pk == [column], (table, fk)
            label = tables[target]["label_column"]
            assert label in [r[1] for r in db.execute(f"PRAGMA table_xinfo({target})")], (target, label)
            checked += 1
    assert checked > 20
    assert set(tables) >= set(tables_in_db) | {f"{t}_labelled" for t in package_sqlite.labelled_tables()}
    assert tables["requests"]["columns"]["row_key"].startswith("行键")


def test_data_dictionary_describes_every_column(db):
    described = {(r[0], r[1]): r[2:] for r in db.execute("SELECT table_name, field_name, title, description FROM data_dictionary")}
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name != 'data_dictionary'")]
    assert set(TABLES) | {f"{t}_labelled" for t in package_sqlite.labelled_tables()} | {"template_rows", "flag_codes"} <= set(tables)
    for table in tables:
        for column in [r[1] for r in db.execute(f"PRAGMA table_xinfo({table})")]:
            title, description = described[(table, column)]
            assert title and description, (table, column)


# --- the workbook ---


@pytest.fixture(scope="module")
def book(package):
    return openpyxl.load_workbook(package / f"{FILE_NAME}.xlsx")


def wide_titles() -> list[str]:
    return ["二、主动公开（2019格式）", "二、主动公开（2021格式）", "三、依申请公开", "四、复议诉讼"]


def test_workbook_sheets(book):
    assert book.sheetnames == ["说明", "报告", *wide_titles(), "字段说明"]
    about = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
    assert about["版本 version"] and "不是0" in about["空白与0 blank and 0"]
    dictionary = list(book["字段说明"].iter_rows(min_row=2, values_only=True))
    assert len(dictionary) == sum(len(t.fields) for t in TABLES.values())


def test_reports_sheet_is_the_reports_csv_with_agency_names(package, book):
    ws = book["报告"]
    rows = list(ws.iter_rows(values_only=True))
    names = list(TABLES["reports"].fields)
    at = names.index("agency_id") + 1
    names = names[:at] + list(workbook.AGENCY_FIELDS) + names[at:]
    assert list(rows[0]) == [FIELDS[n].title for n in names], "Chinese headers, agency columns after 机关编号"
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(names))}{len(rows)}"
    reports = read_csv(package, "reports").sort_values("report_id")
    agencies = read_csv(package, "agencies").set_index("agency_id")
    assert len(rows) - 1 == len(reports)
    for got, (_, want) in zip(rows[1:], reports.iterrows()):
        row = dict(zip(names, got))
        for n in TABLES["reports"].fields:
            assert typed(row[n], n) == typed(want[n], n), (want["report_id"], n)
        assert row["agency_name"] == agencies.loc[want["agency_id"], "agency_name"]


def wide_header(rows: list[tuple]) -> list[tuple]:
    """(row label, column label) of every column: the row label is merged over its columns, so carry it right."""
    top, out = None, []
    for i, column_label in enumerate(rows[1]):
        top = rows[0][i] if rows[0][i] is not None else (top if i >= len(LEAD) else None)
        out.append((top, column_label))
    return out


@pytest.mark.parametrize(
    "title, table, versions",
    [
        ("二、主动公开（2019格式）", "proactive", ["2019"]),
        ("二、主动公开（2021格式）", "proactive", ["2021"]),
        ("三、依申请公开", "requests", ["2019", "2021"]),
        ("四、复议诉讼", "appeals", ["2019", "2021"]),
    ],
)
def test_wide_sheets_hold_every_cell_of_the_csv(package, book, title, table, versions):
    """One row per agency-year of those templates; every cell's number (and unit) under its row and column label; empty stays empty."""
    ws = book[title]
    rows = list(ws.iter_rows(values_only=True))
    header = wide_header(rows)
    assert [h[1] for h in header[: len(LEAD)]] == LEAD
    assert ws.freeze_panes == "C3" and ws.auto_filter.ref.startswith("A2:")
    cells = read_csv(package, table)
    cells = cells[cells["template_code"].isin(versions)]
    reports = read_csv(package, "reports")
    want_ids = sorted(reports.loc[reports["template_code"].isin(versions), "report_id"])
    by_id = {r[0]: r for r in rows[2:]}
    assert [r[0] for r in rows[2:]] == want_ids, "one row per agency-year, by report id"
    value_field = "value" if table == "proactive" else "count"
    seen = 0
    for c in cells.itertuples():
        label = f"{c.row_group_label} {c.row_label}" if c.row_group_label else c.row_label
        at = [i for i, h in enumerate(header) if h == (label, c.column_label)]
        assert len(at) == 1, (label, c.column_label)
        assert typed(by_id[c.report_id][at[0]], value_field) == typed(getattr(c, value_field), value_field), (c.report_id, c.row_code)
        if table == "proactive" and (label, f"{c.column_label}单位") in header:
            unit_at = header.index((label, f"{c.column_label}单位"))
            assert (by_id[c.report_id][unit_at] or "") == c.unit_name
        seen += 1
    assert seen == len(cells) > 0
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert merged and all(r.endswith("1") and ":" in r for r in merged), "row labels merged over their columns, on the first row"


def test_pandas_reads_the_wide_sheet(package):
    df = pd.read_excel(package / f"{FILE_NAME}.xlsx", sheet_name="三、依申请公开", header=1)
    reports = read_csv(package, "reports")
    assert list(df.columns[:4]) == LEAD
    assert sorted(df["报告编号"]) == sorted(reports["report_id"])
    assert df["报告年度"].dtype.kind == "i"


def test_long_and_odd_text_is_kept_within_excels_limits(package, tmp_path):
    """A title longer than a cell holds is cut with a note saying where the rest is; characters XML cannot hold are dropped."""
    tables = _tables_from(package)
    long_title = "\x01标" + "题" * 40_000
    tables["reports"] = tables["reports"].set_column(
        tables["reports"].schema.get_field_index("title"),
        "title",
        _replace_first(tables["reports"]["title"].to_pylist(), long_title),
    )
    path = workbook.write_workbook(tables, _meta(package), tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(path)["报告"]
    header = [c.value for c in ws[1]]
    titles = [r[header.index(FIELDS["title"].title)] for r in ws.iter_rows(min_row=2, values_only=True)]
    cut = [t for t in titles if t.startswith("标题")]
    assert len(cut) == 1 and len(cut[0]) == workbook.MAX_CELL_CHARS and cut[0].endswith(workbook.TRUNCATED)


def test_same_bytes_in_another_time_zone_and_another_process(package, tmp_path):
    """Nothing in the file depends on the clock, the machine's time zone, or what the process wrote before."""
    tables, meta = _tables_from(package), _meta(package)
    fresh = tmp_path / "fresh.xlsx"  # the first workbook of its process, as `ogi build` writes it
    script = "import sys, json; from test_package_formats import _tables_from, _meta; from ogi.package import workbook; from pathlib import Path; p = Path(sys.argv[1]); workbook.write_workbook(_tables_from(p), _meta(p), Path(sys.argv[2]))"
    subprocess.run([sys.executable, "-c", script, str(package), str(fresh)], check=True, cwd=Path(__file__).parent)
    first = workbook.write_workbook(tables, meta, tmp_path / "a.xlsx").read_bytes()
    assert first == fresh.read_bytes()
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    try:
        second = workbook.write_workbook(tables, meta, tmp_path / "b.xlsx").read_bytes()
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
    assert first == second
    props = openpyxl.load_workbook(tmp_path / "a.xlsx").properties
    assert props.created.date().isoformat() == meta["created"][:10]


def _tables_from(package: Path) -> dict:
    import pyarrow.parquet as pq

    return {name: pq.read_table(package / "parquet" / f"{name}.parquet") for name in TABLES}


def _meta(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text("utf-8"))


def _replace_first(values: list, new):
    import pyarrow as pa

    return pa.array([new, *values[1:]], pa.string())
