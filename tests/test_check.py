"""The rules: the fast report-wide evaluation gives what evaluating each rule on its own gives."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi import check
from ogi import template as templates
from ogi.synth import make_report


def one_by_one(tpl: dict, variants: dict, by_table: dict) -> list[dict]:
    out = []
    for name, table in tpl["tables"].items():
        rows = templates.table_rows(table, variants.get(name))
        out += [check.evaluate(inst, by_table.get(name, {})) for inst in check.instances(name, table, rows)]
    return out


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10**6),
    st.sampled_from([2019, 2020, 2021, 2024]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 4),
    st.sampled_from([(), ("appeals",), ("requests", "appeals")]),
)
def test_check_tables_equals_each_rule_evaluated_alone(seed, year, single, inconsistent, blanks, tables_missing):
    report = make_report(
        random.Random(seed), year=year, variant="single_other_handling_row" if single else None, inconsistent=inconsistent, blanks=blanks
    )
    tpl = templates.load(report.template)
    variants = {"requests": report.variant}
    by_table: dict = {}
    for (table, row, col), value in report.values.items():
        if table not in tables_missing:
            by_table.setdefault(table, {})[(row, col)] = value
    fast = check.check_tables(tpl, variants, by_table)
    assert fast == one_by_one(tpl, variants, by_table)
    statuses = {r["status"] for r in fast}
    if not tables_missing and not blanks:
        assert ("fail" in statuses) == inconsistent
        assert "incomplete" not in statuses
    if tables_missing:
        assert all(r["status"] == "incomplete" for r in fast if r["table"] in tables_missing)


def test_a_broken_total_fails_its_row_and_column_rules():
    report = make_report(random.Random(7), year=2022)
    values = dict(report.values)
    values[("requests", "1", "total")] += 1
    results = check.run_checks(templates.load("2021"), {}, values)
    failed = {(r["rule"], r["subject"]) for r in results if r["status"] == "fail"}
    assert ("request_row_total", "1") in failed
    assert any(subject == "total" for _, subject in failed)
    broken = next(r for r in results if r["rule"] == "request_row_total" and r["subject"] == "1")
    assert broken["left_sum"] == broken["right_sum"] + 1
