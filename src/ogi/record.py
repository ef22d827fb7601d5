"""The report record: JSON form, its JSON Schema, and a one-line summary."""

from __future__ import annotations

import functools
import json
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "record.schema.json"

# A record's status: published whole, published with cells that could not be read, or not usable as a report.
PUBLISHED, PUBLISHED_WITH_GAPS, REJECTED = "published", "published_with_gaps", "rejected"
STATUSES = (PUBLISHED, PUBLISHED_WITH_GAPS, REJECTED)
# A cell without a number is blank when the report printed it blank (or with a mark);
# any other empty cell is a gap: the report says something there that was not read.
BLANK_FLAGS = ("blank", "blank_mark")


def is_gap(value, flag: str | None) -> bool:
    return value is None and flag not in BLANK_FLAGS


def is_published(record: dict) -> bool:
    return record["status"] != REJECTED


def dumps(record: dict, indent: int | None = None) -> str:
    return json.dumps(record, ensure_ascii=False, indent=indent, sort_keys=False)


@functools.cache
def record_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text("utf-8"))


def validate(record: dict) -> None:
    """Raise jsonschema.ValidationError if the record does not match the schema."""
    import jsonschema

    jsonschema.validate(record, record_schema())


def rules_summary(record: dict) -> str:
    """Rules failed, and how many could not be checked: "failed 0/40" alone would hide 38 rules through blank cells."""
    statuses = [c["status"] for c in record["checks"]]
    incomplete = statuses.count("incomplete")
    return f"rules failed {statuses.count('fail')}/{len(statuses)}" + (f", incomplete {incomplete}" if incomplete else "")


def summary(record: dict) -> str:
    md = record["metadata"]
    file = record["source"]["file"]
    if record["status"] == REJECTED:
        errors = [p["message"] for p in record["problems"] if p["severity"] == "error"]
        return f"{file}: REJECTED — " + " | ".join(errors)
    cells = record["cells"]
    filled = sum(1 for c in cells if c["value"] is not None)
    gaps = sum(1 for c in cells if is_gap(c["value"], c["flag"]))
    warnings = [p for p in record["problems"] if p["severity"] == "warning"]
    variant = "".join(f" ({v})" for v in md["template_variants"].values())
    line = (
        f"{file}: {md['agency_name'] or '(agency not found)'} · {md['report_year']} · template {md['template']}{variant}"
        f" · {record['status']}"
        + (f" ({gaps} gap cells)" if gaps else "")
        + f" · cells {filled}/{len(cells)} · {rules_summary(record)} · problems {len(warnings)}"
    )
    for p in warnings:
        line += f"\n    warning: {p['message'][:300]}"
    for c in record["checks"]:
        if c["status"] == "fail":
            line += f"\n    rule failed: {c['rule']} [{c['subject']}] {c['left_sum']} ≠ {c['right_sum']} — {c['description']}"
    return line
