"""The template's consistency rules (勾稽关系), evaluated on a report's cells.

Rules live in the template files; each expands into instances, one per row or
per column. A failed rule is a finding about the report: recorded, never fixed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ogi import template as templates

Ref = tuple[str, str]  # (row code, column code)


@dataclass(frozen=True)
class RuleInstance:
    rule: str
    description: str
    table: str
    section: str
    per: str  # row | column
    subject: str  # the row code or column code the instance is about
    left: tuple[Ref, ...]
    right: tuple[Ref, ...]

    # the same refs with their codes unpacked, for fast evaluation
    left_refs: tuple[tuple[Ref, str, str], ...] = field(default=(), compare=False, repr=False)
    right_refs: tuple[tuple[Ref, str, str], ...] = field(default=(), compare=False, repr=False)


def instances_cached(table_name: str, table: dict, row_codes: tuple[str, ...], rows: Sequence[dict]) -> tuple[RuleInstance, ...]:
    """`instances`, computed once per table and row list."""
    return templates.once_per(table, ("rule instances", table_name, row_codes), lambda: tuple(instances(table_name, table, rows)))


def _pick_rows(side: dict, rows: Sequence[dict]) -> list[str]:
    if "rows" in side:
        present = {r["code"] for r in rows}
        return [c for c in side["rows"] if c in present]
    if "kind" in side:
        return [r["code"] for r in rows if r.get("kind") == side["kind"]]
    return [r["code"] for r in rows]


def instances(table_name: str, table: dict, rows: Sequence[dict]) -> list[RuleInstance]:
    out = []
    for rule in table.get("rules", []):
        if rule["per"] == "row":
            for row in rows:
                cols = templates.row_columns(table, row)
                left = [c for c in rule["left"]["columns"] if c in cols]
                right = [c for c in rule["right"]["columns"] if c in cols]
                if left and right:
                    out.append(
                        _inst(rule, table_name, table, row["code"], [(row["code"], c) for c in left], [(row["code"], c) for c in right])
                    )
        else:
            left_rows, right_rows = _pick_rows(rule["left"], rows), _pick_rows(rule["right"], rows)
            for col in table["columns"]:
                out.append(_inst(rule, table_name, table, col, [(r, col) for r in left_rows], [(r, col) for r in right_rows]))
    return out


def _inst(rule, table_name, table, subject, left, right) -> RuleInstance:
    return RuleInstance(
        rule["name"], rule["description"], table_name, table["section"], rule["per"], subject, tuple(left), tuple(right),
        tuple((ref, ref[0], ref[1]) for ref in left), tuple((ref, ref[0], ref[1]) for ref in right),
    )  # fmt: skip


def evaluate(inst: RuleInstance, values: Mapping[Ref, Any]) -> dict:
    """One check result: the numbers compared and pass / fail / incomplete."""
    get = values.get
    left = [{"row_code": r, "column_code": c, "value": get(ref)} for ref, r, c in inst.left_refs]
    right = [{"row_code": r, "column_code": c, "value": get(ref)} for ref, r, c in inst.right_refs]
    try:
        left_sum = sum([x["value"] for x in left])
        right_sum = sum([x["value"] for x in right])
    except TypeError:  # a cell without a number
        left_sum = right_sum = None
    return {
        "rule": inst.rule,
        "description": inst.description,
        "section": inst.section,
        "table": inst.table,
        "per": inst.per,
        "subject": inst.subject,
        "left": left,
        "right": right,
        "left_sum": left_sum,
        "right_sum": right_sum,
        "status": "incomplete" if left_sum is None else ("pass" if left_sum == right_sum else "fail"),
    }


def holds(inst: RuleInstance, values: Mapping[Ref, Any]) -> bool | None:
    """True/False when every value is known, else None."""
    try:
        left = sum(values[ref] for ref in inst.left)
        right = sum(values[ref] for ref in inst.right)
    except (KeyError, TypeError):
        return None
    return left == right


def run_checks(tpl: dict, variants: Mapping[str, str | None], values: Mapping[tuple[str, str, str], Any]) -> list[dict]:
    """All rule results for a report. `values` is keyed (table, row code, column code)."""
    by_table: dict[str, dict] = {}
    for (t, r, c), v in values.items():
        by_table.setdefault(t, {})[(r, c)] = v
    return check_tables(tpl, variants, by_table)


def check_tables(tpl: dict, variants: Mapping[str, str | None], by_table: Mapping[str, Mapping[Ref, Any]]) -> list[dict]:
    """All rule results for a report, its values given table by table, keyed (row code, column code)."""
    results: list[dict] = []
    for name, table in tpl["tables"].items():
        rows = templates.table_rows(table, variants.get(name))
        table_values = by_table.get(name, {})
        codes = tuple(r["code"] for r in rows)
        results.extend(evaluate(inst, table_values) for inst in instances_cached(name, table, codes, rows))
    return results
