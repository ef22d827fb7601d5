"""The national report templates, read from the YAML files in ogi/templates/."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from importlib import resources
from typing import TypeVar

import yaml

T = TypeVar("T")

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


_ONCE: dict = {}


def once_per(obj: object, what: Hashable, make: Callable[[], T]) -> T:
    """`make()`, computed once per template object (or part of one) and `what`.

    Templates are loaded once and never change, and their dicts hash slowly, so
    derived values are kept by the object's id; the object is kept with them so
    its id can never be reused by another.
    """
    key = (id(obj), what)
    hit = _ONCE.get(key)
    if hit is None:
        hit = _ONCE[key] = (obj, make())
    return hit[1]


def table_rows(table: dict, variant: str | None = None) -> tuple[dict, ...]:
    """The table's rows, with a named variant's replacement applied (the same tuple on every call)."""
    return once_per(table, ("rows", variant), lambda: tuple(_table_rows(table, variant)))


def _table_rows(table: dict, variant: str | None) -> list[dict]:
    rows = list(table["rows"])
    for v in table.get("variants", []):
        if v["name"] != variant:
            continue
        codes = v["replace"]
        at = next(i for i, r in enumerate(rows) if r["code"] == codes[0])
        rows = rows[:at] + list(v["with"]) + [r for r in rows[at:] if r["code"] not in codes]
    return rows


def rows_key(rows: tuple[dict, ...]) -> tuple:
    """What tells two row lists apart, for caches: codes and columns (a variant may print the same rows with other columns).

    Row lists come from `table_rows`, one tuple per table and variant, so the key is made once per tuple.
    """
    return once_per(rows, "rows key", lambda: tuple((r["code"], tuple(r.get("columns", ()))) for r in rows))


def row_columns(table: dict, row: dict) -> list[str]:
    return row.get("columns") or list(table["columns"])
