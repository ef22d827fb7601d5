"""Read the built data package: its descriptor and every table resource, as text.

Every column is read as nullable text (held in Arrow memory, read by Arrow's CSV
reader) and only an empty field is missing, so a
blank cell stays blank (never 0, never NaN turned into a number) and a value is
shown exactly as the package publishes it ("24252.311082", not 24252.311082000001).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

DESCRIPTOR = "datapackage.json"
TEXT = pd.StringDtype("pyarrow")  # text held in Arrow memory: a fraction of Python strings' size at 10,000 reports
# The tables the pages are made from; the package may hold more.
NEEDED_TABLES = (
    "reports",
    "agencies",
    "proactive",
    "requests",
    "appeals",
    "narratives",
    "check_results",
    "problems",
    "rejected_inputs",
    "corrections",
)


class PackageError(Exception):
    """The package is missing or cannot be read; the message names the file."""


@dataclass
class Package:
    root: Path
    descriptor: dict
    tables: dict[str, pd.DataFrame]

    def resource(self, name: str) -> dict:
        return next(r for r in self.descriptor["resources"] if r["name"] == name)


def read_descriptor(root: Path) -> dict:
    path = root / DESCRIPTOR
    if not path.is_file():
        raise PackageError(f"{path}: no data package descriptor here (run `ogi build` first)")
    try:
        descriptor = json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"{path}: cannot be read as JSON ({error})") from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise PackageError(f"{path}: not a data package descriptor (no list of resources)")
    return descriptor


def read_table(root: Path, resource: dict) -> pd.DataFrame:
    """One CSV resource as text columns; an empty field is <NA>, any other text (even "NA" or "0") stays as written."""
    path = root / resource["path"]
    if not path.is_file():
        raise PackageError(f"{path}: listed in {root / DESCRIPTOR} as table {resource['name']!r}, but missing")
    expected = [field["name"] for field in resource.get("schema", {}).get("fields", [])]
    try:
        # Arrow's reader straight into Arrow-backed text: no Python string per field (a third of the memory at 10,000 reports).
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(encoding="utf-8"),
            parse_options=pa_csv.ParseOptions(newlines_in_values=True),  # a narrative's paragraphs
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(expected, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
        frame = table.to_pandas(types_mapper={pa.string(): TEXT}.get)
    except (OSError, UnicodeDecodeError, pa.ArrowInvalid) as error:
        raise PackageError(f"{path}: cannot be read as CSV ({error})") from error
    if expected and list(frame.columns) != expected:
        raise PackageError(f"{path}: columns {list(frame.columns)} differ from the schema's {expected}")
    return frame


def read_package(root: Path) -> Package:
    """The descriptor and every CSV table resource the pages need."""
    descriptor = read_descriptor(root)
    csv_resources = {r.get("name"): r for r in descriptor["resources"] if r.get("format") == "csv" and r.get("path")}
    missing = [name for name in NEEDED_TABLES if name not in csv_resources]
    if missing:
        raise PackageError(f"{root / DESCRIPTOR}: no CSV resource for table(s) {', '.join(missing)}")
    tables = {name: read_table(root, resource) for name, resource in csv_resources.items()}
    return Package(root, descriptor, tables)


def records(frame: pd.DataFrame) -> list[dict[str, str | None]]:
    """Rows as dicts of text, None where the field is empty."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def by_report(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A table split per report, rows kept in the package's order (which is the template's)."""
    return {report_id: rows for report_id, rows in frame.groupby("report_id", sort=False)}


ARROW_TYPES = {"integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}  # Table Schema → Arrow, for JSON


class PerReport:
    """A table's rows per report, made into dicts only when a page asks for them.

    The table is held once in Arrow form; turning one report's rows into dicts is a
    slice, so memory stays flat however many reports the package holds.
    """

    def __init__(self, frame: pd.DataFrame, schema: dict | None = None):
        self.table = pa.Table.from_pandas(frame, preserve_index=False)  # the frame's Arrow-backed columns, shared, not copied
        self.positions = frame.groupby("report_id", sort=False).indices if len(frame) else {}
        types = {f["name"]: ARROW_TYPES.get(f.get("type"), pa.string()) for f in (schema or {}).get("fields", [])}
        # Cast once, whole: casting each report's slice costs more than the slice itself.
        self.typed = self.table.cast(pa.schema([pa.field(name, types.get(name, pa.string())) for name in self.table.column_names]))

    def _part(self, table: pa.Table, report_id: str) -> list[dict]:
        positions = self.positions.get(report_id)
        if positions is None:
            return []
        start, count = int(positions[0]), len(positions)
        if int(positions[-1]) - start + 1 == count:  # the package keeps a report's rows together: a slice, no copy
            return table.slice(start, count).to_pylist()
        return table.take(positions).to_pylist()

    def rows(self, report_id: str) -> list[dict[str, str | None]]:
        """The report's rows in the package's order (which is the template's), as text or None."""
        return self._part(self.table, report_id)

    def typed_rows(self, report_id: str) -> list[dict]:
        """The same rows with the Table Schema's types (integer, number, boolean), for JSON."""
        return self._part(self.typed, report_id)


def code_labels(descriptor: dict) -> dict[str, dict[str, str]]:
    """field name → code → Chinese label, from the `categories` the package's Table Schemas publish.

    A field means the same in every table (the package defines each once), so the lists merge by name.
    """
    out: dict[str, dict[str, str]] = {}
    for resource in descriptor["resources"]:
        for f in resource.get("schema", {}).get("fields", []):
            for category in f.get("categories", []):
                if isinstance(category, dict) and "value" in category:
                    out.setdefault(f["name"], {})[str(category["value"])] = str(category.get("label", category["value"]))
    return out
