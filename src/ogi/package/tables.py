"""Readings → the package's tidy tables (pandas DataFrames, columns as the field registry lists them).

Labels come from the templates (the parser's cells carry the same ones), so a
reading stays small. Rows are in a fixed order — reports by id, cells in
template order — so every build of the same inputs gives the same bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from ogi import check
from ogi import template as templates
from ogi.package.fields import FIELDS, TABLES
from ogi.package.reading import Reading

BLANK_FLAGS = ("blank", "blank_mark")


@dataclass
class Published:
    """A reading that became a published report."""

    report_id: str
    agency_id: str
    agency_match: str
    reading: Reading
    duplicate_count: int = 0


@dataclass
class Rejected:
    """An input file that did not become a report, and why."""

    reading: Reading
    reason_code: str
    reason: str
    duplicate_of: str | None = None


def frame(table: str, rows: list[tuple] | list[dict]) -> pd.DataFrame:
    """A DataFrame with the table's columns, in order, typed from the field registry."""
    names = TABLES[table].fields
    if rows and isinstance(rows[0], dict):
        columns = [[r.get(n) for r in rows] for n in names]
    else:
        columns = [list(c) for c in zip(*rows)] if rows else [[] for _ in names]
    return pd.DataFrame({n: _series(FIELDS[n].type, col) for n, col in zip(names, columns)})


def _series(type_: str, values: list) -> pd.Series:
    if type_ == "integer":
        return pd.Series(values, dtype="Int64")
    if type_ == "boolean":
        return pd.Series(values, dtype="boolean")
    if type_ == "number":  # integers stay integers ("2293", not "2293.0"); decimals as printed
        return pd.Series(values, dtype="object")
    return pd.Series(values, dtype="string[pyarrow]")


# --- template labels and rules, looked up once ---


@functools.cache
def row_labels(version: str, table: str) -> dict[str, tuple[str, str | None]]:
    """row code → (label, group label), variant rows included."""
    tbl = templates.load(version)["tables"][table]
    rows = tbl["rows"] + [r for v in tbl.get("variants", []) for r in v["with"]]
    return {r["code"]: (r["label"], r.get("group")) for r in rows}


@functools.cache
def column_labels(version: str, table: str) -> dict[str, tuple[str, str | None]]:
    cols = templates.load(version)["tables"][table]["columns"]
    return {code: (c["label"], c.get("group")) for code, c in cols.items()}


@functools.cache
def rule_info(version: str, table: str, variant: str | None) -> dict[tuple[str, str], tuple]:
    """(rule, subject) → (per, description, left cells, right cells), as the template states them."""
    tbl = templates.load(version)["tables"][table]
    out = {}
    for inst in check.instances(table, tbl, templates.table_rows(tbl, variant)):
        cells = [" + ".join(f"{r}/{c}" for r, c in side) for side in (inst.left, inst.right)]
        out[(inst.rule, inst.subject)] = (inst.per, inst.description, *cells)
    return out


# --- one table each ---


def report_rows(published: list[Published]) -> list[dict]:
    return [_report_row(p) for p in published]


def _report_row(p: Published) -> dict:
    r, md, prov = p.reading, p.reading.metadata, p.reading.provenance or {}
    flags = [c.flag for c in r.cells if c.value is None]
    return {
        "report_id": p.report_id, "agency_id": p.agency_id, "report_year": md["report_year"], "titled_agency_name": md["agency_name"],
        "agency_match_code": p.agency_match, "title": md["title"], "template_code": md["template"], "template_from_year_code": md["template_from_year"],
        "template_variant_codes": "; ".join(f"{t}:{v}" for t, v in sorted(md["template_variants"].items())) or None,
        "year_source_code": (md["year_source"] or "").replace(" ", "_") or None, "scope_code": md["scope"], "scope_evidence": md["scope_evidence"],
        **_source_fields(r),
        "published_time": md["published"],
        "cell_count": len(r.cells), "value_count": r.value_count, "blank_cell_count": sum(f in BLANK_FLAGS for f in flags),
        "unread_cell_count": sum(f not in BLANK_FLAGS for f in flags),
        "rule_count": len(r.checks), "rule_failed_count": r.failed_count, "rule_incomplete_count": sum(c.status == "incomplete" for c in r.checks),
        "correction_count": sum(c.corrected for c in r.cells), "warning_count": len(r.problems), "unplaced_number_count": r.unplaced_count,
        "duplicate_file_count": p.duplicate_count,
    }


def _source_fields(r: Reading) -> dict:
    prov = r.provenance or {}
    return {
        "source_file": r.file, "source_format_code": r.format or prov.get("format"), "source_encoding": r.encoding,
        "source_url": r.metadata.get("source_url") or prov.get("source_url"), "source_description": prov.get("source_description"),
        "retrieved_date": prov.get("retrieved"), "added_date": prov.get("added"), "sha256": r.sha256, "file_byte_count": r.byte_count,
    }


def cell_rows(published: list[Published], table: str) -> list[tuple]:
    """One tuple per cell of `table`, in the order of TABLES[table].fields."""
    out = []
    with_unit = table == "proactive"
    for p in published:
        version = p.reading.metadata["template"]
        rows, cols = row_labels(version, table), column_labels(version, table)
        for c in p.reading.cells:
            if c.table != table:
                continue
            row_label, row_group = rows[c.row_code]
            col_label, col_group = cols[c.column_code]
            head = (p.report_id, version, c.row_code, row_group, row_label, c.column_code, col_group, col_label, c.value)
            out.append(head + ((c.unit,) if with_unit else ()) + (c.text or None, c.flag, c.corrected, c.page, c.line, c.column, c.table_no, c.row_no, c.paragraph))
    return out


def narrative_rows(published: list[Published]) -> list[tuple]:
    return [(p.report_id, *item) for p in published for item in p.reading.narrative]


def check_rows(published: list[Published]) -> list[tuple]:
    out = []
    for p in published:
        md = p.reading.metadata
        for c in p.reading.checks:
            per, description, left, right = rule_info(md["template"], c.table, md["template_variants"].get(c.table))[(c.rule, c.subject)]
            before = c.status_before_correction or c.status
            out.append((p.report_id, c.table, c.rule, c.subject, per, description, left, right, c.left_sum, c.right_sum, c.status, before, c.corrected))
    return out


def problem_rows(published: list[Published]) -> list[tuple]:
    return [(p.report_id, i, x["severity"], x["code"], x["section"], x["row_code"], x["message"]) for p in published for i, x in enumerate(p.reading.problems, 1)]


def rejected_rows(rejected: list[Rejected]) -> list[dict]:
    out = []
    for x in rejected:
        r, prov = x.reading, x.reading.provenance or {}
        src = _source_fields(r)
        out.append({
            "source_file": r.file, "reason_code": x.reason_code, "reason": x.reason, "duplicate_of_report_id": x.duplicate_of,
            "titled_agency_name": r.metadata["agency_name"], "report_year": r.metadata["report_year"],
            "provenance_agency": prov.get("agency"), "provenance_year": prov.get("year"),
            **{k: src[k] for k in ("source_format_code", "source_url", "source_description", "added_date", "sha256", "file_byte_count")},
        })
    return sorted(out, key=lambda row: row["source_file"])


def all_tables(published: list[Published], rejected: list[Rejected], agencies: list[dict], corrections: list[dict]) -> dict[str, pd.DataFrame]:
    """Every table of the package, keyed by table name, in the registry's order."""
    published = sorted(published, key=lambda p: p.report_id)
    built = {
        "agencies": lambda: frame("agencies", agencies),
        "reports": lambda: frame("reports", report_rows(published)),
        "proactive": lambda: frame("proactive", cell_rows(published, "proactive")),
        "requests": lambda: frame("requests", cell_rows(published, "requests")),
        "appeals": lambda: frame("appeals", cell_rows(published, "appeals")),
        "narratives": lambda: frame("narratives", narrative_rows(published)),
        "check_results": lambda: frame("check_results", check_rows(published)),
        "problems": lambda: frame("problems", problem_rows(published)),
        "rejected_inputs": lambda: frame("rejected_inputs", rejected_rows(rejected)),
        "corrections": lambda: frame("corrections", corrections),
    }
    return {name: built[name]() for name in TABLES}
