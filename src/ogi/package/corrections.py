"""Corrections: manual fixes as data, each with its reason and its source.

`reports/corrections.csv` has one row per corrected cell:

    report_id,cell,old_value,new_value,reason,source
    fj_pingtan-2021,proactive/normative_document/issued_count,,69,"…",pingtan_2021.html table 1 row 4

`cell` is `table/row_code/column_code`; an empty value means "no number".
Corrections are applied last, after parsing and after duplicates are resolved;
the consistency rules are then checked again. A correction whose old value no
longer matches what was read stops the build: someone must look at it. One
whose cell already holds the new value is listed as `not_needed`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ogi import check
from ogi import template as templates
from ogi.package.reading import Reading

CORRECTIONS_FILE = "corrections.csv"
COLUMNS = ["report_id", "cell", "old_value", "new_value", "reason", "source"]
TABLE_CODES = ("proactive", "requests", "appeals")


class CorrectionError(ValueError):
    """A correction cannot be applied; the message names its row."""


@dataclass
class Correction:
    number: int  # row number in the file, from 1
    report_id: str
    table: str
    row_code: str
    column_code: str
    old_value: int | float | None
    new_value: int | float | None
    reason: str
    source: str
    status: str | None = None  # applied | not_needed

    def row(self) -> dict:
        return {
            "correction_number": self.number,
            "report_id": self.report_id,
            "table_code": self.table,
            "row_code": self.row_code,
            "column_code": self.column_code,
            "old_value": self.old_value,
            "new_value": self.new_value,
            "reason": self.reason,
            "correction_source": self.source,
            "correction_status_code": self.status,
        }


def _number(text: str, where: str) -> int | float | None:
    text = text.strip()
    if not text:
        return None
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise CorrectionError(f"{where}: {text!r} is not a number") from None
    return int(d) if d == d.to_integral_value() and "." not in text else float(d)


def load_corrections(reports_dir: Path) -> list[Correction]:
    path = reports_dir / CORRECTIONS_FILE
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as f:  # a BOM from Excel is fine
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise CorrectionError(f"{path}: the header must be {','.join(COLUMNS)}")
        return [_parse_row(row, n, path) for n, row in enumerate(reader, 1)]


def _parse_row(row: dict, number: int, path: Path) -> Correction:
    where = f"{path.name} row {number}"
    parts = row["cell"].strip().split("/")
    if len(parts) != 3 or parts[0] not in TABLE_CODES:
        raise CorrectionError(f"{where}: cell {row['cell']!r} must be table/row_code/column_code with table one of {TABLE_CODES}")
    if not row["reason"].strip() or not row["source"].strip():
        raise CorrectionError(f"{where}: every correction needs a reason and a source")
    return Correction(
        number,
        row["report_id"].strip(),
        *parts,
        _number(row["old_value"], where),
        _number(row["new_value"], where),
        row["reason"].strip(),
        row["source"].strip(),
    )


def apply_corrections(corrections: list[Correction], readings: dict[str, Reading]) -> None:
    """Apply each correction to its published report (by report_id), then check the report's rules again."""
    touched: dict[str, set] = {}
    for corr in corrections:
        reading = readings.get(corr.report_id)
        if reading is None:
            raise CorrectionError(f"correction {corr.number}: no published report {corr.report_id!r}")
        _apply_one(corr, reading)
        if corr.status == "applied":
            touched.setdefault(corr.report_id, set()).add((corr.table, corr.row_code, corr.column_code))
    for report_id, cells in touched.items():
        recheck(readings[report_id], cells)


def _apply_one(corr: Correction, reading: Reading) -> None:
    key = (corr.table, corr.row_code, corr.column_code)
    keys = reading.cell_keys
    if key not in keys:
        raise CorrectionError(f"correction {corr.number}: report {corr.report_id} has no cell {'/'.join(key)}")
    at = keys.index(key)
    value = reading.values[at]
    if corr.table != "proactive" and isinstance(corr.new_value, float):
        raise CorrectionError(f"correction {corr.number}: {corr.table} cells are counts; {corr.new_value!r} is not a whole number")
    if value == corr.new_value:
        corr.status = "not_needed"
        return
    if value != corr.old_value:
        raise CorrectionError(
            f"correction {corr.number}: {corr.report_id} {'/'.join(key)} was read as {value!r} (printed {reading.texts[at]!r}), "
            f"not {corr.old_value!r} as the correction expects; check the correction against {reading.file}"
        )
    reading.values[at] = corr.new_value
    reading.corrected.add(at)
    corr.status = "applied"


def recheck(reading: Reading, corrected: set[tuple[str, str, str]]) -> None:
    """Run the template's rules again on the corrected numbers, keeping the results as read beside them."""
    md = reading.metadata
    values = dict(zip(reading.cell_keys, reading.values))
    results = {
        (r["table"], r["rule"], r["subject"]): r for r in check.run_checks(templates.load(md["template"]), md["template_variants"], values)
    }
    reading.statuses_before_correction = list(reading.statuses)
    for i, key in enumerate(reading.check_keys):
        r = results[key]
        reading.left_sums[i], reading.right_sums[i], reading.statuses[i] = r["left_sum"], r["right_sum"], r["status"]
        if {(r["table"], x["row_code"], x["column_code"]) for x in r["left"] + r["right"]} & corrected:
            reading.corrected_checks.add(i)
