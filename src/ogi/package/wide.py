"""Wide views of sections 二, 三 and 四: one row per report, the table's cells across, as the reports print them.

Built from the published tidy tables (not from the records), so the workbook
cannot disagree with the CSVs. Headers are two rows: the template's row label
(merged over its columns) and the column label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ogi import template as templates
from ogi.package import xlsx
from ogi.package.formats import python_columns

LEAD = ["报告编号", "机关名称", "报告年度", "格式版本"]


@dataclass
class WideColumn:
    row_code: str
    column_code: str
    row_header: str
    column_header: str
    is_unit: bool = False  # the unit the report wrote for this cell, not its number

    def key(self) -> tuple:
        return (self.row_code, self.column_code, "unit") if self.is_unit else (self.row_code, self.column_code)


def _numeric(code: str) -> tuple | None:
    return tuple(int(p) for p in code.split(".")) if re.fullmatch(r"\d+(\.\d+)*", code) else None


def template_rows(table: str, versions: list[str]) -> list[tuple[dict, dict]]:
    """(template table, row) for every row any of the versions (and their variants) prints, in print order."""
    found: dict[str, tuple[dict, dict]] = {}
    order: list[str] = []
    for version in versions:
        tbl = templates.load(version)["tables"][table]
        for variant in [None] + [v["name"] for v in tbl.get("variants", [])]:
            prev = None
            for row in templates.table_rows(tbl, variant):
                if row["code"] not in found:
                    found[row["code"]] = (tbl, row)
                    order.insert(order.index(prev) + 1 if prev else 0, row["code"])
                prev = row["code"]
    if all(_numeric(c) for c in order):
        order.sort(key=_numeric)
    return [found[c] for c in order]


def wide_columns(table: str, versions: list[str]) -> list[WideColumn]:
    out = []
    for tbl, row in template_rows(table, versions):
        header = f"{row['group']} {row['label']}" if row.get("group") else row["label"]
        for col in templates.row_columns(tbl, row):
            spec = tbl["columns"][col]
            out.append(WideColumn(row["code"], col, header, spec["label"]))
            if spec.get("type") == "decimal" and spec.get("unit") is None:  # unit as the report writes it (元 or 万元)
                out.append(WideColumn(row["code"], col, header, f"{spec['label']}单位", is_unit=True))
    return out


def _cell_values(cells: pd.DataFrame, value_field: str) -> dict[str, dict]:
    """report_id → {(row_code, column_code): value, (row_code, column_code, 'unit'): unit}."""
    out: dict[str, dict] = {}
    names = ["report_id", "row_code", "column_code", value_field] + (["unit_name"] if "unit_name" in cells else [])
    for report_id, row_code, column_code, value, *unit in zip(*python_columns(cells[names])):
        d = out.setdefault(report_id, {})
        d[(row_code, column_code)] = value
        if unit:
            d[(row_code, column_code, "unit")] = unit[0]
    return out


def wide_sheet(title: str, table: str, versions: list[str], cells: pd.DataFrame, reports: pd.DataFrame) -> xlsx.Sheet:
    columns = wide_columns(table, versions)
    value_field = "value" if "value" in cells else "count"
    values = _cell_values(cells, value_field)
    header1 = LEAD + [c.row_header for c in columns]
    header2 = [None] * len(LEAD) + [c.column_header for c in columns]
    merges = [(0, i, 1, i) for i in range(len(LEAD))]
    start = len(LEAD)
    for i in range(len(LEAD), len(header1) + 1):
        if i == len(header1) or columns[i - len(LEAD)].row_code != columns[start - len(LEAD)].row_code:
            if i - start > 1:
                merges.append((0, start, 0, i - 1))
                header1[start + 1 : i] = [None] * (i - start - 1)
            start = i
    chosen = reports[reports["template_code"].isin(versions)]
    rows = []
    for report_id, name, year, version in zip(*python_columns(chosen[["report_id", "agency_name", "report_year", "template_code"]])):
        v = values.get(report_id, {})
        rows.append((report_id, name, year, version, *(v.get(c.key()) for c in columns)))
    widths = [22, 24, 10, 10] + [12.0] * len(columns)
    return xlsx.Sheet(title, [header1, header2], rows, merges=merges, widths=widths)


def wide_sheets(tables: dict[str, pd.DataFrame]) -> list[xlsx.Sheet]:
    reports = tables["reports"].merge(tables["agencies"][["agency_id", "agency_name"]], on="agency_id", how="left")
    return [
        wide_sheet("宽表·二（2019格式）", "proactive", ["2019"], tables["proactive"], reports),
        wide_sheet("宽表·二（2021格式）", "proactive", ["2021"], tables["proactive"], reports),
        wide_sheet("宽表·三", "requests", list(templates.TEMPLATE_VERSIONS), tables["requests"], reports),
        wide_sheet("宽表·四", "appeals", list(templates.TEMPLATE_VERSIONS), tables["appeals"], reports),
    ]
