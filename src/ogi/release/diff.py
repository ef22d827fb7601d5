"""What changed in the data between two packages: the previous release's archive and the new build.

The diff is read from the packages themselves (their descriptors and CSV tables),
so it works across code versions: tables and fields are found by the descriptor's
Table Schemas, cells by their primary key (report_id, row_code, column_code).
Values are compared as the CSV prints them, so "0" and a blank stay apart.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

DESCRIPTOR = "datapackage.json"
CELL_KEY = ["report_id", "row_code", "column_code"]
CHECK_KEY = ["report_id", "rule_code", "subject_code"]
CHECK_FIELD = "rule_status_code"
FLAG_FIELD = "flag_code"
# Kinds of change, in the order the diff lists them.
KINDS = (
    "resource_added",
    "resource_removed",
    "field_added",
    "field_removed",
    "field_renamed",
    "report_added",
    "report_removed",
    "cell_changed",
    "cell_added",
    "cell_removed",
    "check_changed",
    "check_added",
    "check_removed",
)


@dataclass(frozen=True)
class Change:
    change: str  # one of KINDS
    table: str = ""
    report_id: str = ""
    key: str = ""  # row_code/column_code for a cell, rule_code/subject_code for a check
    field: str = ""
    old: str = ""
    new: str = ""
    reason: str = ""


COLUMNS = [f.name for f in fields(Change)]


@dataclass
class Snapshot:
    """A package as its files: the descriptor, and a reader of any file by its path in the package."""

    descriptor: dict
    read: Callable[[str], bytes]

    def tables(self) -> dict[str, dict]:
        return {r["name"]: r for r in self.descriptor["resources"] if r.get("type") == "table" or "schema" in r}

    def frame(self, table: str, columns: list[str]) -> pd.DataFrame:
        """The table's columns (those it has), every value as the CSV prints it ('' for blank)."""
        res = self.tables()[table]
        have = [c for c in columns if c in field_names(res)]
        options = pacsv.ConvertOptions(
            include_columns=have,
            column_types={c: pa.string() for c in have},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        return pacsv.read_csv(io.BytesIO(self.read(res["path"])), convert_options=options).to_pandas()


def from_folder(folder: Path) -> Snapshot:
    folder = Path(folder)
    return Snapshot(json.loads((folder / DESCRIPTOR).read_text("utf-8")), lambda rel: (folder / rel).read_bytes())


def from_zip(path: Path) -> Snapshot:
    """A release archive: the package under one top folder inside the zip."""
    archive = zipfile.ZipFile(path)
    top = next((n.removesuffix(DESCRIPTOR) for n in sorted(archive.namelist()) if n.endswith("/" + DESCRIPTOR) or n == DESCRIPTOR), None)
    if top is None:
        raise ValueError(f"{path}: no {DESCRIPTOR} in this archive")
    return Snapshot(json.loads(archive.read(top + DESCRIPTOR)), lambda rel: archive.read(top + rel))


def empty() -> Snapshot:
    """No package: the diff of a first release lists everything as added."""
    return Snapshot({"resources": []}, lambda rel: b"")


def field_names(resource: dict) -> list[str]:
    return [f["name"] for f in resource.get("schema", {}).get("fields", [])]


def value_field(resource: dict) -> str | None:
    """A cell table's value: its first numeric field that is not a source location (`value`, `count`)."""
    for f in resource["schema"]["fields"]:
        if f["type"] in ("integer", "number") and not f["name"].startswith("source_"):
            return f["name"]
    return None


def is_cell_table(resource: dict) -> bool:
    return resource.get("schema", {}).get("primaryKey") == CELL_KEY and value_field(resource) is not None


# --- the diff ---


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every change from old to new, in KINDS order."""
    changes = resource_changes(old, new) + field_changes(old, new)
    old_reports, new_reports = report_ids(old), report_ids(new)
    changes += [Change("report_added", "reports", rid, new=title) for rid, title in sorted(new_reports.items()) if rid not in old_reports]
    changes += [Change("report_removed", "reports", rid, old=title) for rid, title in sorted(old_reports.items()) if rid not in new_reports]
    both = set(old_reports) & set(new_reports)
    reasons = correction_reasons(old, new)
    cells = [c for name in sorted(new.tables()) for c in cell_changes(old, new, name, both, reasons)]
    changes += cells + check_changes(old, new, both, cells)
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(changes, key=lambda c: (order[c.change], c.table, c.report_id, c.key, c.field))


def resource_changes(old: Snapshot, new: Snapshot) -> list[Change]:
    a = {r["name"]: r.get("path", "") for r in old.descriptor["resources"]}
    b = {r["name"]: r.get("path", "") for r in new.descriptor["resources"]}
    return [Change("resource_added", name, new=b[name]) for name in sorted(b.keys() - a.keys())] + [
        Change("resource_removed", name, old=a[name]) for name in sorted(a.keys() - b.keys())
    ]


def field_changes(old: Snapshot, new: Snapshot) -> list[Change]:
    """Fields added and removed in tables both packages have; a removed and an added field with the same title or the same values is a rename."""
    out = []
    old_tables, new_tables = old.tables(), new.tables()
    for name in sorted(old_tables.keys() & new_tables.keys()):
        a = {f["name"]: f for f in old_tables[name]["schema"]["fields"]}
        b = {f["name"]: f for f in new_tables[name]["schema"]["fields"]}
        removed, added = [f for f in a if f not in b], [f for f in b if f not in a]
        for gone in list(removed):
            twin = next((f for f in added if _same_field(old, new, name, a[gone], b[f])), None)
            if twin:
                out.append(Change("field_renamed", name, field=twin, old=gone, new=twin))
                removed.remove(gone)
                added.remove(twin)
        out += [Change("field_added", name, field=f, new=b[f].get("title", "")) for f in added]
        out += [Change("field_removed", name, field=f, old=a[f].get("title", "")) for f in removed]
    return out


def _same_field(old: Snapshot, new: Snapshot, table: str, a: dict, b: dict) -> bool:
    if a["type"] != b["type"]:
        return False
    if a.get("title") and a.get("title") == b.get("title"):
        return True
    key = old.tables()[table]["schema"].get("primaryKey")
    if not key or key != new.tables()[table]["schema"].get("primaryKey"):
        return False
    left = old.frame(table, [*key, a["name"]]).rename(columns={a["name"]: "v"})
    right = new.frame(table, [*key, b["name"]]).rename(columns={b["name"]: "v"})
    if not left["v"].ne("").any():  # two empty columns say nothing about being one field
        return False
    return left.sort_values(key).reset_index(drop=True).equals(right.sort_values(key).reset_index(drop=True))


def report_ids(snap: Snapshot) -> dict[str, str]:
    """Published report id (agency-year) → its title."""
    if "reports" not in snap.tables():
        return {}
    frame = snap.frame("reports", ["report_id", "title"])
    titles = frame["title"] if "title" in frame else [""] * len(frame)
    return dict(zip(frame["report_id"], titles))


def correction_reasons(old: Snapshot, new: Snapshot) -> dict[tuple, str]:
    """(report_id, table, row_code, column_code) → why that cell changed, for corrections applied in one package and not alike in the other."""
    a, b = _applied(old), _applied(new)
    out = {key: f"correction: {reason}" for key, (value, reason) in b.items() if a.get(key, (None,))[0] != value}
    out.update({key: f"correction withdrawn: {reason}" for key, (_, reason) in a.items() if key not in b})
    return out


def _applied(snap: Snapshot) -> dict[tuple, tuple[str, str]]:
    if "corrections" not in snap.tables():
        return {}
    columns = ["report_id", "table_code", "row_code", "column_code", "new_value", "reason", "correction_source", "correction_status_code"]
    frame = snap.frame("corrections", columns)
    if frame.empty or "correction_status_code" not in frame:
        return {}
    out = {}
    for row in frame[frame["correction_status_code"] == "applied"].to_dict("records"):
        source = f" (source: {row['correction_source']})" if row.get("correction_source") else ""
        out[(row["report_id"], row["table_code"], row["row_code"], row["column_code"])] = (row.get("new_value", ""), row["reason"] + source)
    return out


def _keyed_changes(old: Snapshot, new: Snapshot, table: str, key: list[str], compared: list[str], reports: set[str]) -> tuple:
    """Rows of reports in both packages: (changed rows with the fields that changed, added keys, removed keys)."""
    a = old.frame(table, key + compared)
    b = new.frame(table, key + compared)
    a, b = a[a["report_id"].isin(reports)], b[b["report_id"].isin(reports)]
    compared = [c for c in compared if c in a.columns and c in b.columns]
    merged = a.merge(b, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    changed = []
    for row in merged[merged["_merge"] == "both"].to_dict("records"):
        diffs = [(c, row[f"{c}_old"], row[f"{c}_new"]) for c in compared if row[f"{c}_old"] != row[f"{c}_new"]]
        if diffs:
            changed.append(([row[k] for k in key], diffs, row))
    added = [[r[k] for k in key] for r in merged[merged["_merge"] == "right_only"].to_dict("records")]
    removed = [[r[k] for k in key] for r in merged[merged["_merge"] == "left_only"].to_dict("records")]
    return changed, added, removed


def cell_changes(old: Snapshot, new: Snapshot, table: str, reports: set[str], reasons: dict[tuple, str]) -> list[Change]:
    """Cells of the same report whose value or flag changed, with the correction that explains it, if any."""
    res_new, res_old = new.tables()[table], old.tables().get(table)
    if not (is_cell_table(res_new) and res_old and is_cell_table(res_old)):
        return []
    compared = [value_field(res_new), FLAG_FIELD]
    changed, added, removed = _keyed_changes(old, new, table, CELL_KEY, compared, reports)
    out = [
        Change("cell_changed", table, rid, f"{row}/{col}", field, before, after, reasons.get((rid, table, row, col), ""))
        for (rid, row, col), diffs, _ in changed
        for field, before, after in diffs
    ]
    out += [Change("cell_added", table, rid, f"{row}/{col}") for rid, row, col in added]
    out += [Change("cell_removed", table, rid, f"{row}/{col}") for rid, row, col in removed]
    return out


def check_changes(old: Snapshot, new: Snapshot, reports: set[str], cells: list[Change]) -> list[Change]:
    """Checks of the same report whose result changed; the reason is the corrections of that report's table, if any."""
    if "check_results" not in new.tables() or "check_results" not in old.tables():
        return []
    changed, added, removed = _keyed_changes(old, new, "check_results", CHECK_KEY, [CHECK_FIELD, "table_code"], reports)
    explained: dict[tuple, set[str]] = {}
    for c in cells:
        if c.reason:
            explained.setdefault((c.report_id, c.table), set()).add(c.reason)
    out = []
    for (rid, rule, subject), diffs, row in changed:
        for field, before, after in diffs:
            if field == CHECK_FIELD:
                reason = "; ".join("after " + r for r in sorted(explained.get((rid, row.get("table_code_new", "")), ())))
                out.append(Change("check_changed", "check_results", rid, f"{rule}/{subject}", field, before, after, reason))
    out += [Change("check_added", "check_results", rid, f"{rule}/{subject}") for rid, rule, subject in added]
    out += [Change("check_removed", "check_results", rid, f"{rule}/{subject}") for rid, rule, subject in removed]
    return out


def summary(changes: list[Change]) -> dict[str, int]:
    """How many changes of each kind (every kind listed, 0 when none)."""
    counts = Counter(c.change for c in changes)
    return {kind: counts.get(kind, 0) for kind in KINDS}


def to_csv(changes: list[Change]) -> bytes:
    """The diff for machines: one row per change, the columns of `Change`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(astuple(c) for c in changes)
    return out.getvalue().encode("utf-8")
