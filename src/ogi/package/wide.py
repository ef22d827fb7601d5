"""Wide views of sections 二, 三 and 四: one row per report, the table's cells across, as the reports print them.

The workbook's tables. Built from the published tidy tables (not from the
records), so the workbook cannot disagree with the CSVs. Headers are two rows:
the template's row label (merged over its columns) and the column label. A cell
without a number is empty; its printed text and flag are in the long tables
(CSV, Parquet, SQLite).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ogi import template as templates

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
    """(template table, row) for every row the versions (and their variants) print, in print order."""
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
    if all(_numeric(c) for c in order):  # section 三: 3.6 (2019) before 3.6.1–3.6.3 (2021)
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


def _wide_values(cells: pa.Table, columns: list[WideColumn], report_ids: list[str]) -> list[pa.Array]:
    """One array per wide column, one value per report (in report_ids order): the cells pivoted."""
    names = cells.column_names
    value_field = "value" if "value" in names else "count"
    df = cells.select(["report_id", "row_code", "column_code", value_field] + (["unit_name"] if "unit_name" in names else [])).to_pandas()
    df["key"] = df["row_code"] + "/" + df["column_code"]
    numbers = df.pivot(index="report_id", columns="key", values=value_field).reindex(index=report_ids)
    units = df.pivot(index="report_id", columns="key", values="unit_name").reindex(index=report_ids) if "unit_name" in df else None
    out = []
    for c in columns:
        source = units if c.is_unit else numbers
        key = f"{c.row_code}/{c.column_code}"
        out.append(pa.array(source[key], from_pandas=True) if key in source else pa.nulls(len(report_ids)))
    return out


def _headers(columns: list[WideColumn]) -> tuple[list, list, list]:
    """Two header rows and the merged ranges: each row label over its columns; LEAD and the column labels on the second row, where the filter is."""
    header1 = [None] * len(LEAD) + [c.row_header for c in columns]
    header2 = LEAD + [c.column_header for c in columns]
    merges = []
    start = 0
    for i in range(1, len(columns) + 1):
        if i == len(columns) or columns[i].row_code != columns[start].row_code:
            if i - start > 1:
                merges.append((0, len(LEAD) + start, 0, len(LEAD) + i - 1))
                header1[len(LEAD) + start + 1 : len(LEAD) + i] = [None] * (i - start - 1)
            start = i
    return header1, header2, merges


@dataclass
class WideTable:
    """One wide view, ready for a sheet: two header rows, their merged cells, and one column of values per wide column."""

    title: str  # the sheet's name
    about: str  # what it holds, for the notes sheet
    header: list[list]  # two rows; None under a merged cell
    merges: list[tuple[int, int, int, int]]  # (first row, first column, last row, last column), 0-based
    columns: list[pa.Array | pa.ChunkedArray]  # LEAD, then the cells; one value per report

    @property
    def num_rows(self) -> int:
        return len(self.columns[0])


def wide_table(
    title: str, about: str, table: str, versions: list[str], cells: pa.Table, reports: pa.Table, layout: pa.Array | None = None
) -> WideTable:
    """`layout`: the template each report's table is printed in, where it differs from the report's template."""
    columns = wide_columns(table, versions)
    header1, header2, merges = _headers(columns)
    chosen = reports.filter(pc.is_in(reports["template_code"] if layout is None else layout, pa.array(versions)))
    lead = [chosen[c] for c in ("report_id", "agency_name", "report_year", "template_code")]
    values = _wide_values(cells, columns, chosen["report_id"].to_pylist()) if chosen.num_rows else [pa.nulls(0)] * len(columns)
    return WideTable(title, about, [header1, header2], merges, lead + values)


def section_2_layout(reports: pa.Table) -> pa.Array:
    """The columns each report prints section 二 with: a 2021 report printing the 2019 columns
    (variant `proactive:columns_2019`) belongs with the 2019 sheet, whose columns are its cells' codes."""
    codes = reports["template_variant_codes"].to_pylist()
    return pa.array(
        ["2019" if v and "proactive:columns_2019" in v else t for t, v in zip(reports["template_code"].to_pylist(), codes)], pa.string()
    )


def wide_tables(tables: dict[str, pa.Table]) -> list[WideTable]:
    """The four wide views: 二 in each template (they share no cells), 三 and 四."""
    reports = tables["reports"].join(tables["agencies"].select(["agency_id", "agency_name"]), "agency_id").sort_by("report_id")
    versions = list(templates.TEMPLATE_VERSIONS)
    section_2 = section_2_layout(reports)
    return [
        wide_table(
            "二、主动公开（2019格式）",
            "Section 二, 2019 template: one row per report, as the reports print the table",
            "proactive",
            ["2019"],
            tables["proactive"],
            reports,
            section_2,
        ),
        wide_table(
            "二、主动公开（2021格式）",
            "Section 二, 2021 template: one row per report (no cell-for-cell match with 2019)",
            "proactive",
            ["2021"],
            tables["proactive"],
            reports,
            section_2,
        ),
        wide_table(
            "三、依申请公开",
            "Section 三: one row per report, every row × applicant column of the table",
            "requests",
            versions,
            tables["requests"],
            reports,
        ),
        wide_table(
            "四、复议诉讼",
            "Section 四: one row per report, review and litigation × results",
            "appeals",
            versions,
            tables["appeals"],
            reports,
        ),
    ]
