"""The Excel workbook, for people who open it in Excel or WPS to look and filter.

Sheets: 说明 (what this is), 报告 (the reports list, with each agency's name,
level and place), the wide tables of sections 二, 三 and 四 (one row per
agency-year, as the reports print them: see ogi.package.wide), and 字段说明.
The long tables (one row per cell, check or item) stay in CSV, Parquet and
SQLite: in a workbook they are millions of rows nobody reads.

Written with XlsxWriter in constant_memory mode (each row goes to disk as it
is written). The file is the same bytes every build: XlsxWriter fixes the zip
entries' timestamps, and the document's created date is the package's.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from ogi.package.fields import FIELDS, TABLES
from ogi.package.wide import LEAD, WideTable, wide_tables

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header rows included
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
TRUNCATED = "…（全文见 CSV 文件）"  # ends a text longer than a cell holds
FONT = "等线"  # DengXian: Excel's default font for Chinese
HEADER_HEIGHT = 32  # points: two lines of the header font (Excel does not fit the height of merged cells)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
AGENCY_FIELDS = ("agency_name", "level_name", "province_name", "city_name", "county_name", "township_name")  # after agency_id
REPORTS_SHEET = TABLES["reports"].title_zh
ABOUT_SHEET, DICTIONARY_SHEET = "说明", "字段说明"
OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,  # a report's id or a code that looks like a number stays text
    "strings_to_formulas": False,  # a text starting with = is text
    "strings_to_urls": False,  # a source URL is text: Excel allows 65,530 links a sheet
    "default_format_properties": {"font_name": FONT, "font_size": 11},
}


def write_workbook(tables: dict[str, pa.Table], meta: dict, path: Path) -> Path:
    """说明, 报告, the wide tables, 字段说明."""
    wides = wide_tables(tables)
    reports = reports_list(tables)
    wb = xlsxwriter.Workbook(str(path), copy.deepcopy(OPTIONS))  # XlsxWriter adds to the dicts it is given
    wb.set_properties({"title": meta["title"], "comments": f"{meta['name']} {meta['version']}", "created": created(meta)})
    header = wb.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    _about(wb.add_worksheet(ABOUT_SHEET), meta, wides, header, wrap)
    _table(wb.add_worksheet(REPORTS_SHEET), reports, header)
    for w in wides:
        _wide(wb.add_worksheet(w.title), w, header)
    _dictionary(wb.add_worksheet(DICTIONARY_SHEET), header, wrap)
    wb.close()
    return path


def created(meta: dict) -> datetime:
    """The package's `created` date (the newest input's), never the clock: the same bytes every build."""
    if not meta.get("created"):
        return datetime(2019, 1, 1, tzinfo=UTC)  # no input has a date: a fixed day
    return datetime.fromisoformat(meta["created"].replace("Z", "+00:00"))


def reports_list(tables: dict[str, pa.Table]) -> pa.Table:
    """The reports table with its agency's name, level and place after agency_id, by report_id."""
    reports = tables["reports"]
    agencies = tables["agencies"].select(["agency_id", *AGENCY_FIELDS])
    joined = reports.join(agencies, "agency_id", join_type="left outer").sort_by("report_id")
    names = list(reports.column_names)
    at = names.index("agency_id") + 1
    return joined.select(names[:at] + list(AGENCY_FIELDS) + names[at:])


def _text(v: str) -> str:
    v = _NOT_XML.sub("", v)
    return v if len(v) <= MAX_CELL_CHARS else v[: MAX_CELL_CHARS - len(TRUNCATED)] + TRUNCATED


def _write_row(ws, row: int, values) -> None:
    for col, v in enumerate(values):
        if v is None:
            continue
        if isinstance(v, str):
            ws.write_string(row, col, _text(v))
        elif isinstance(v, bool):
            ws.write_boolean(row, col, v)
        else:
            ws.write_number(row, col, v)


def _rows(columns: list) -> zip:
    """The columns' values a row at a time, as plain Python (dates as ISO text, None for missing)."""
    plain = [(c.cast(pa.string()) if pa.types.is_date32(c.type) else c).to_pylist() for c in columns]
    return zip(*plain)


def _check_rows(title: str, data_rows: int, header_rows: int) -> None:
    if data_rows + header_rows > MAX_ROWS:
        raise ValueError(f"sheet {title!r}: {data_rows} rows are more than Excel's {MAX_ROWS - header_rows}; the CSV holds them")


def _table(ws, table: pa.Table, header_format) -> None:
    """A table with Chinese headers: frozen header and first column, a filter on every column."""
    _check_rows(ws.name, table.num_rows, 1)
    titles = [FIELDS[n].title for n in table.column_names]
    ws.write_row(0, 0, titles, header_format)
    for i, values in enumerate(_rows(table.columns), 1):
        _write_row(ws, i, values)
    for i, w in enumerate(_widths(table, titles)):
        ws.set_column(i, i, w)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(table.num_rows, 1), len(titles) - 1)


def _widths(table: pa.Table, titles: list[str]) -> list[float]:
    """From the title and the first 200 values: wide enough to read, at most 60 characters."""
    sample = table.slice(0, 200)
    return [_fit([title] + column.to_pylist()) for title, column in zip(titles, sample.columns)]


def _fit(values: list, least: float = 8, most: float = 60) -> float:
    """A column width (in widths of a Latin digit) that shows the longest value: a Chinese character takes two."""
    widest = max((_display_width(str(v)) for v in values if v is not None), default=0)
    return float(min(max(widest + 2, least), most))


def _display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _wide(ws, w: WideTable, header_format) -> None:
    """Two header rows, row labels merged over their columns; the report's id and agency stay in view; filters on the second row."""
    _check_rows(ws.name, w.num_rows, 2)
    top, bottom = w.header
    ws.set_row(0, HEADER_HEIGHT)  # before the rows are written: constant_memory writes each row out as the next starts
    ws.set_row(1, HEADER_HEIGHT)
    for m in w.merges:  # all on row 0: constant_memory writes a row out when the next one starts
        ws.merge_range(*m, top[m[1]], header_format)
    merged = {c for m in w.merges for c in range(m[1], m[3] + 1)}
    for col, label in enumerate(top):
        if col not in merged and label is not None:
            ws.write(0, col, label, header_format)
    ws.write_row(1, 0, bottom, header_format)
    for i, values in enumerate(_rows(w.columns), 2):
        _write_row(ws, i, values)
    lead = len(LEAD)
    for i, column in enumerate(w.columns[:lead]):  # the report's id and agency: as wide as they are
        ws.set_column(i, i, _fit([bottom[i]] + column.slice(0, 200).to_pylist()))
    for i, label in enumerate(bottom[lead:], lead):  # numbers: the column label on at most two lines
        ws.set_column(i, i, _fit([label[: (len(label) + 1) // 2]], least=10, most=20))
    ws.freeze_panes(2, 2)
    ws.autofilter(1, 0, max(w.num_rows + 1, 2), len(top) - 1)


def _about(ws, meta: dict, wides: list[WideTable], header_format, wrap) -> None:
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
            "数值为空表示报告中该单元格空白、填写“/”“—”“无”等符号或无法读出，不是0；原文和原因见 CSV、Parquet、SQLite 中各表的“原文”（text）和“标记”（flag_code）列。"
            "An empty number is a blank, a mark or an unread cell, never 0: the text as printed and why are in the long tables (CSV, Parquet, SQLite).",
        ),
        (
            "长表 long tables",
            "每个单元格一行的长表（二、三、四部分，勾稽核对，文字部分，解析问题等）见 data/*.csv、parquet/*.parquet 和 SQLite 文件。"
            "The long tables (one row per cell, check, narrative item, problem…) are in data/*.csv, parquet/*.parquet and the SQLite file.",
        ),
        ("", ""),
        ("工作表 sheet", "内容 contents"),
        (REPORTS_SHEET, f"Reports: {TABLES['reports'].description} With each agency's name, level and place."),
    ]
    rows += [(w.title, w.about) for w in wides]
    rows.append((DICTIONARY_SHEET, "Every column of every table: English name, Chinese title, type, unit, meaning"))
    ws.write_row(0, 0, ["项目 item", "内容 value"], header_format)
    for i, (item, value) in enumerate(rows, 1):
        ws.write_string(i, 0, item)
        ws.write_string(i, 1, value or "", wrap)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 120)


def _dictionary(ws, header_format, wrap) -> None:
    rows = [
        (t.title_zh, t.name, n, FIELDS[n].title, FIELDS[n].type, FIELDS[n].unit, FIELDS[n].description)
        for t in TABLES.values()
        for n in t.fields
    ]
    ws.write_row(0, 0, ["表", "table", "field", "中文标题", "type", "unit", "description"], header_format)
    for i, values in enumerate(rows, 1):
        _write_row(ws, i, values[:-1])
        ws.write_string(i, len(values) - 1, values[-1], wrap)
    for i, w in enumerate([16, 16, 28, 20, 10, 8, 100]):
        ws.set_column(i, i, w)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), 6)
