"""The template's consistency rules (勾稽关系), evaluated on a report's cells.

Rules live in the template files; each expands into instances, one per row or
per column. A failed rule is a finding about the report: recorded, never fixed.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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
    return RuleInstance(rule["name"], rule["description"], table_name, table["section"], rule["per"], subject, tuple(left), tuple(right))


def evaluate(inst: RuleInstance, values: Mapping[Ref, Any]) -> dict:
    """One check result: the numbers compared and pass / fail / incomplete."""
    get = values.get
    left = [{"row_code": r, "column_code": c, "value": get((r, c))} for r, c in inst.left]
    right = [{"row_code": r, "column_code": c, "value": get((r, c))} for r, c in inst.right]
    return _result(inst, left, [x["value"] for x in left], right, [x["value"] for x in right])


def _result(inst: RuleInstance, left: list[dict], left_values: list, right: list[dict], right_values: list) -> dict:
    try:
        left_sum, right_sum = sum(left_values), sum(right_values)
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
    """All rule results for a report, its values given table by table, keyed (row code, column code).

    The same as `evaluate` on every instance, faster: each cell a rule reads is
    listed once per report, and the rules pick their cells by position.
    """
    results: list[dict] = []
    for name, table in tpl["tables"].items():
        rows = templates.table_rows(table, variants.get(name))
        refs, rules = _compiled(name, table, rows)
        get = by_table.get(name, {}).get
        shown = [{"row_code": r, "column_code": c, "value": get(ref)} for ref, r, c in refs]
        values = [x["value"] for x in shown]
        results += [
            _result(inst, pick_left(shown), pick_left(values), pick_right(shown), pick_right(values))
            for inst, pick_left, pick_right in rules
        ]
    return results


def _compiled(name: str, table: dict, rows: Sequence[dict]) -> tuple[tuple[tuple[Ref, str, str], ...], tuple]:
    """Every cell some rule of the table reads, once; and each rule with two pickers of its cells from that list."""
    codes = templates.rows_key(rows)

    def make():
        insts = instances_cached(name, table, codes, rows)
        refs = tuple(dict.fromkeys(r for i in insts for r in i.left + i.right))
        index = {ref: k for k, ref in enumerate(refs)}
        rules = tuple((i, _picker([index[r] for r in i.left]), _picker([index[r] for r in i.right])) for i in insts)
        return tuple((ref, ref[0], ref[1]) for ref in refs), rules

    return templates.once_per(table, ("compiled rules", name, codes), make)


def _picker(positions: list[int]) -> Callable[[list], list]:
    if not positions:
        return lambda xs: []
    get = operator.itemgetter(*positions)
    return (lambda xs: [get(xs)]) if len(positions) == 1 else (lambda xs: list(get(xs)))
