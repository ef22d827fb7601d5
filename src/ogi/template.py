"""The national report templates, read from the YAML files in ogi/templates/."""

from __future__ import annotations

import functools
from importlib import resources

import yaml

TEMPLATE_VERSIONS = ("2019", "2021")


@functools.cache
def load(version: str) -> dict:
    text = resources.files("ogi.templates").joinpath(f"{version}.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def all_templates() -> list[dict]:
    return [load(v) for v in TEMPLATE_VERSIONS]


def version_for_year(year: int) -> str | None:
    """The template a report of this year should follow (None before 2019)."""
    for tpl in reversed(all_templates()):
        first, last = tpl["report_years"]
        if year >= first and (last is None or year <= last):
            return tpl["version"]
    return None


_ROWS: dict = {}


def table_rows(table: dict, variant: str | None = None) -> tuple[dict, ...]:
    """The table's rows, with a named variant's replacement applied (the same tuple on every call)."""
    key = (id(table), variant)
    if key not in _ROWS:
        _ROWS[key] = (table, tuple(_table_rows(table, variant)))  # the table is kept so its id stays its own
    return _ROWS[key][1]


def _table_rows(table: dict, variant: str | None) -> list[dict]:
    rows = list(table["rows"])
    for v in table.get("variants", []):
        if v["name"] != variant:
            continue
        codes = v["replace"]
        at = next(i for i, r in enumerate(rows) if r["code"] == codes[0])
        rows = rows[:at] + list(v["with"]) + [r for r in rows[at:] if r["code"] not in codes]
    return rows


def row_columns(table: dict, row: dict) -> list[str]:
    return row.get("columns") or list(table["columns"])
