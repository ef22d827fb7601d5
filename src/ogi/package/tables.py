"""Readings → the package's tidy tables, typed by the field registry.

Tables are Arrow tables (`table.to_pandas()` gives pandas): ten thousand
reports are over two million cell rows, and Arrow keeps them compact and
writes CSV and Parquet fast. Columns are built a report at a time from the
readings' lists; labels come from the templates. Rows are in a fixed order —
reports by id, cells in template order — so every build of the same inputs
gives the same bytes.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import pyarrow as pa

from ogi import check
from ogi import template as templates
from ogi.package.fields import FIELDS, TABLES
from ogi.package.reading import SOURCE_KEYS, Reading, template_cell_keys, variants_key
from ogi.record import BLANK_FLAGS, PUBLISHED, PUBLISHED_WITH_GAPS

ARROW_TYPES = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(), "date": pa.date32()}


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


def arrow_schema(table: str) -> pa.Schema:
    """The table's Arrow schema, with each column's Chinese title and description as metadata."""
    t = TABLES[table]
    fields = [
        pa.field(
            n,
            ARROW_TYPES[FIELDS[n].type],
            nullable=n not in t.primary_key,
            metadata={"title": FIELDS[n].title, "description": FIELDS[n].description},
        )
        for n in t.fields
    ]
    return pa.schema(
        fields,
        metadata={"title": f"{t.title_zh} · {t.title_en}", "description": t.description, "primary_key": json.dumps(list(t.primary_key))},
    )


def arrow_table(table: str, columns: dict[str, list]) -> pa.Table:
    schema = arrow_schema(table)
    arrays = []
    for f in schema:
        values = columns[f.name]
        arrays.append(pa.array(values, type=pa.string()).cast(f.type) if pa.types.is_date32(f.type) else pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def from_dicts(table: str, rows: list[dict]) -> pa.Table:
    return arrow_table(table, {n: [r.get(n) for r in rows] for n in TABLES[table].fields})


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


@dataclass(frozen=True)
class Layout:
    """Where one table's cells are in a reading's lists, and their labels."""

    at: range | list[int]
    labels: dict[str, list]  # row_code, row_group_label, row_label, column_code, column_group_label, column_label


def _layout_of(version: str, table: str, keys: tuple) -> Layout:
    at = [i for i, k in enumerate(keys) if k[0] == table]
    if at and at == list(range(at[0], at[-1] + 1)):
        at = range(at[0], at[-1] + 1)
    rows, cols = row_labels(version, table), column_labels(version, table)
    picked = [keys[i] for i in at]
    labels = {
        "row_code": [k[1] for k in picked],
        "row_group_label": [rows[k[1]][1] for k in picked],
        "row_label": [rows[k[1]][0] for k in picked],
        "column_code": [k[2] for k in picked],
        "column_group_label": [cols[k[2]][1] for k in picked],
        "column_label": [cols[k[2]][0] for k in picked],
    }
    return Layout(at, labels)


@functools.cache
def _template_layout(version: str, variants: tuple, table: str) -> Layout:
    return _layout_of(version, table, template_cell_keys(version, variants))


def layout(reading: Reading, table: str) -> Layout:
    md = reading.metadata
    if reading.own_cell_keys is None:
        return _template_layout(md["template"], variants_key(md), table)
    return _layout_of(md["template"], table, reading.own_cell_keys)


def _take(values: list, at: range | list[int]) -> list:
    return values[at.start : at.stop] if isinstance(at, range) else [values[i] for i in at]


# --- one table each ---


def cell_columns(published: list[Published], table: str) -> dict[str, list]:
    """The columns of one cell table (proactive, requests or appeals)."""
    names = TABLES[table].fields
    cols: dict[str, list] = {n: [] for n in names}
    value_field = "value" if "value" in names else "count"
    for p in published:
        r = p.reading
        lay = layout(r, table)
        n = len(lay.at)
        cols["report_id"] += [p.report_id] * n
        cols["template_code"] += [r.metadata["template"]] * n
        for name, labels in lay.labels.items():
            cols[name] += labels
        cols[value_field] += _take(r.values, lay.at)
        if "unit_name" in cols:
            cols["unit_name"] += _take(r.units, lay.at)
        cols["text"] += [t or None for t in _take(r.texts, lay.at)]
        cols["flag_code"] += _take(r.flags, lay.at)
        cols["corrected"] += [i in r.corrected for i in lay.at] if r.corrected else [False] * n
        for key in SOURCE_KEYS:
            if key == "ocr":  # true or false for every cell
                cols["source_ocr"] += [bool(v) for v in _take(r.sources[key], lay.at)] if key in r.sources else [False] * n
            else:
                cols[f"source_{key}"] += _take(r.sources[key], lay.at) if key in r.sources else [None] * n
    return cols


def check_columns(published: list[Published]) -> dict[str, list]:
    cols: dict[str, list] = {n: [] for n in TABLES["check_results"].fields}
    for p in published:
        r, md = p.reading, p.reading.metadata
        before = r.statuses_before_correction or r.statuses
        for i, (table, rule, subject) in enumerate(r.check_keys):
            per, description, left, right = rule_info(md["template"], table, md["template_variants"].get(table))[(rule, subject)]
            row = (
                p.report_id,
                table,
                rule,
                subject,
                per,
                description,
                left,
                right,
                r.left_sums[i],
                r.right_sums[i],
                r.statuses[i],
                before[i],
                i in r.corrected_checks,
            )
            for name, value in zip(cols, row):
                cols[name].append(value)
    return cols


def report_rows(published: list[Published]) -> list[dict]:
    return [_report_row(p) for p in published]


def _report_row(p: Published) -> dict:
    r, md = p.reading, p.reading.metadata
    unread = [f for v, f in zip(r.values, r.flags) if v is None]
    gaps = sum(f not in BLANK_FLAGS for f in unread)
    return {
        "report_id": p.report_id,
        "agency_id": p.agency_id,
        "report_year": md["report_year"],
        "titled_agency_name": md["agency_name"],
        "agency_match_code": p.agency_match,
        "title": md["title"],
        "template_code": md["template"],
        "template_from_year_code": md["template_from_year"],
        "template_variant_codes": "; ".join(f"{t}:{v}" for t, v in sorted(md["template_variants"].items())) or None,
        "year_source_code": (md["year_source"] or "").replace(" ", "_") or None,
        "agency_source_code": (md.get("agency_source") or "").replace(" ", "_") or None,
        "scope_code": md["scope"],
        "scope_evidence": md["scope_evidence"],
        **source_fields(r),
        "published_time": md["published"],
        "cell_count": len(r.values),
        "value_count": r.value_count,
        # after corrections: a corrected gap is no longer one
        "report_status_code": PUBLISHED_WITH_GAPS if gaps else PUBLISHED,
        "blank_cell_count": sum(f in BLANK_FLAGS for f in unread),
        "unread_cell_count": gaps,
        "rule_count": len(r.statuses),
        "rule_failed_count": r.failed_count,
        "rule_incomplete_count": r.statuses.count("incomplete"),
        "correction_count": len(r.corrected),
        "warning_count": len(r.problems),
        "unplaced_number_count": r.unplaced_count,
        "duplicate_file_count": p.duplicate_count,
    }


def source_fields(r: Reading) -> dict:
    prov = r.provenance or {}
    return {
        "source_file": r.file,
        "source_format_code": r.format or prov.get("format"),
        "source_encoding": r.encoding,
        "source_url": r.metadata.get("source_url") or prov.get("source_url"),
        "source_description": prov.get("source_description"),
        "retrieved_date": prov.get("retrieved"),
        "added_date": prov.get("added"),
        "sha256": r.sha256,
        "file_byte_count": r.byte_count,
    }


def narrative_columns(published: list[Published]) -> dict[str, list]:
    rows = [(p.report_id, *item) for p in published for item in p.reading.narrative]
    return _columns("narratives", rows)


def problem_columns(published: list[Published]) -> dict[str, list]:
    rows = [
        (p.report_id, i, x["severity"], x["code"], x["section"], x["row_code"], x["message"])
        for p in published
        for i, x in enumerate(p.reading.problems, 1)
    ]
    return _columns("problems", rows)


def _columns(table: str, rows: list[tuple]) -> dict[str, list]:
    names = TABLES[table].fields
    return dict(zip(names, map(list, zip(*rows)))) if rows else {n: [] for n in names}


def rejected_rows(rejected: list[Rejected]) -> list[dict]:
    out = []
    for x in rejected:
        r, prov = x.reading, x.reading.provenance or {}
        src = source_fields(r)
        out.append(
            {
                "source_file": r.file,
                "reason_code": x.reason_code,
                "reason": x.reason,
                "duplicate_of_report_id": x.duplicate_of,
                "titled_agency_name": r.metadata["agency_name"],
                "report_year": r.metadata["report_year"],
                "provenance_agency": prov.get("agency"),
                "provenance_year": prov.get("year"),
                **{
                    k: src[k] for k in ("source_format_code", "source_url", "source_description", "added_date", "sha256", "file_byte_count")
                },
            }
        )
    return sorted(out, key=lambda row: row["source_file"])


def all_tables(published: list[Published], rejected: list[Rejected], agencies: list[dict], corrections: list[dict]) -> dict[str, pa.Table]:
    """Every table of the package, keyed by table name, in the registry's order."""
    published = sorted(published, key=lambda p: p.report_id)
    built = {
        "agencies": lambda: from_dicts("agencies", agencies),
        "reports": lambda: from_dicts("reports", report_rows(published)),
        "proactive": lambda: arrow_table("proactive", cell_columns(published, "proactive")),
        "requests": lambda: arrow_table("requests", cell_columns(published, "requests")),
        "appeals": lambda: arrow_table("appeals", cell_columns(published, "appeals")),
        "narratives": lambda: arrow_table("narratives", narrative_columns(published)),
        "check_results": lambda: arrow_table("check_results", check_columns(published)),
        "problems": lambda: arrow_table("problems", problem_columns(published)),
        "rejected_inputs": lambda: from_dicts("rejected_inputs", rejected_rows(rejected)),
        "corrections": lambda: from_dicts("corrections", corrections),
    }
    return {name: built[name]() for name in TABLES}
