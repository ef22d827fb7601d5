"""Render a random report in each layout, parse it back, get the same numbers (or a flag, never a wrong number)."""

import random
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ogi import check
from ogi import template as templates
from ogi.extract.text import read_text_bytes
from ogi.parse import parse_document
from ogi.synth import LAYOUTS, make_report, render, scramble

CLEAN_LAYOUTS = [x for x in LAYOUTS if x != "run_together"]


def parse_text(text: str) -> dict:
    return parse_document(read_text_bytes("synthetic.txt", text.encode("utf-8")))


def cells_of(record):
    return {(c["table"], c["row_code"], c["column_code"]): c for c in record["cells"]}


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(str(a)) == Decimal(str(b))


def own_appeal_totals_wrong(report) -> bool:
    """Does the report itself print a section 四 total that does not add up?"""
    results = check.run_checks(templates.load(report.template), {"requests": report.variant}, report.values)
    return any(r["status"] == "fail" and r["table"] == "appeals" for r in results)


def wrong_values(record, truth):
    got = cells_of(record)
    return [(k, v, got[k]["value"]) for k, v in truth.items() if got[k]["value"] is not None and not same(got[k]["value"], v)]


reports = st.builds(
    lambda seed, year, single, inconsistent: make_report(
        random.Random(seed), year=year, variant="single_other_handling_row" if single else None, inconsistent=inconsistent
    ),
    st.integers(0, 2**32 - 1),
    st.sampled_from([2019, 2020, 2021, 2022, 2024]),
    st.booleans(),
    st.booleans(),
)


messy_reports = st.builds(
    lambda seed, inconsistent, blanks: make_report(random.Random(seed), inconsistent=inconsistent, blanks=blanks),
    st.integers(0, 2**32 - 1),
    st.booleans(),
    st.integers(0, 3),
)


@settings(max_examples=120, deadline=None)
@given(report=reports, layout=st.sampled_from(CLEAN_LAYOUTS), seed=st.integers(0, 1000))
def test_round_trip_gives_the_same_numbers_metadata_and_rule_results(report, layout, seed):
    record = parse_text(render(report, layout, random.Random(seed)))
    assert record["status"] == "published", record["problems"]
    md = record["metadata"]
    assert (md["agency_name"], md["report_year"], md["template"]) == (report.agency_name, report.year, report.template)
    assert md["template_variants"].get("requests") == report.variant
    got = cells_of(record)
    assert set(got) == set(report.values)
    assert not [k for k, v in report.values.items() if not same(got[k]["value"], v)]
    expected_checks = check.run_checks(templates.load(report.template), {"requests": report.variant}, report.values)
    assert [(c["rule"], c["subject"], c["status"]) for c in record["checks"]] == [
        (c["rule"], c["subject"], c["status"]) for c in expected_checks
    ]


@settings(max_examples=80, deadline=None)
@given(report=reports, seed=st.integers(0, 1000))
def test_run_together_digits_are_split_or_flagged_never_wrong(report, seed):
    assume(not own_appeal_totals_wrong(report))  # see test_section_4_splits_rest_on_the_reports_own_totals
    record = parse_text(render(report, "run_together", random.Random(seed)))
    assert not wrong_values(record, report.values)
    unresolved = [c for c in record["cells"] if c["value"] is None]
    if unresolved and record["status"] == "published":
        assert all(c["flag"] in ("ambiguous",) for c in unresolved)
        assert any(p["code"] == "ambiguous_split" for p in record["problems"])


@settings(max_examples=80, deadline=None)
@given(
    report=reports,
    layout=st.sampled_from(CLEAN_LAYOUTS),
    seed=st.integers(0, 1000),
    full_width=st.booleans(),
    page_breaks=st.integers(0, 4),
    extra_spaces=st.booleans(),
)
def test_scrambled_layouts_parse_to_the_same_numbers_or_are_flagged(report, layout, seed, full_width, page_breaks, extra_spaces):
    rng = random.Random(seed)
    text = scramble(render(report, layout, rng), rng, full_width=full_width, page_breaks=page_breaks, extra_spaces=extra_spaces)
    record = parse_text(text)
    assert not wrong_values(record, report.values)
    if record["status"] == "published":
        assert all(c["value"] is not None or c["flag"] for c in record["cells"])
    else:
        assert any(p["severity"] == "error" for p in record["problems"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(["tabs", "pipes"]), blanks=st.integers(1, 3))
def test_blank_cells_stay_blank_where_the_layout_shows_cells(seed, layout, blanks):
    report = make_report(random.Random(seed), blanks=blanks)
    record = parse_text(render(report, layout, random.Random(seed)))
    assert not wrong_values(record, report.values)
    got = cells_of(record)
    for key, v in report.values.items():
        if v is None:
            assert got[key]["value"] is None and got[key]["flag"] in ("blank", "not_found", "ambiguous"), (key, got[key])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), layout=st.sampled_from(["spaces", "cell_per_line", "wrapped"]))
def test_a_blank_cell_that_the_layout_hides_is_reported_not_guessed(seed, layout):
    report = make_report(random.Random(seed), blanks=1)
    record = parse_text(render(report, layout, random.Random(seed)))
    assert not wrong_values(record, report.values)
    blank = next(k for k, v in report.values.items() if v is None)
    assert cells_of(record)[blank]["value"] is None


@settings(max_examples=150, deadline=None)
@given(report=messy_reports, layout=st.sampled_from(LAYOUTS), seed=st.integers(0, 1000))
def test_blank_cells_and_broken_totals_never_produce_a_wrong_number(report, layout, seed):
    """Every layout, with cells left blank and totals that do not add up: a value is right, or absent and accounted for."""
    assume(layout != "run_together" or not own_appeal_totals_wrong(report))  # see test_section_4_splits_rest_on_the_reports_own_totals
    record = parse_text(render(report, layout, random.Random(seed)))
    assert not wrong_values(record, report.values)
    got = cells_of(record)
    assert not [k for k, v in report.values.items() if v is None and got[k]["value"] is not None]
    for cell in record["cells"]:
        if cell["value"] is None:
            assert cell["flag"] is not None


@settings(max_examples=150, deadline=None)
@given(report=messy_reports, layout=st.sampled_from(CLEAN_LAYOUTS), seed=st.integers(0, 10**6), strays=st.integers(1, 4))
def test_stray_number_lines_in_section_3_never_produce_a_wrong_number(report, layout, seed, strays):
    """Lines of other numbers inside the table (repeated headers "数据1 … 数据6", notes): read around, or flagged.

    Not guaranteed, so not asserted: one cell per line with a blank cell left out. There a stray
    number line looks exactly like the missing cell, and only a broken row rule will show it.
    """
    assume(layout != "cell_per_line" or None not in report.values.values())
    rng = random.Random(seed)
    lines = render(report, layout, rng).split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    for _ in range(strays):
        numbers = [str(rng.choice([0, rng.randint(1, 9), rng.randint(10, 999)])) for _ in range(rng.randint(1, 9))]
        stray = " ".join(numbers) if rng.random() < 0.5 else "类别 " + " ".join(f"数据{n}" for n in numbers)
        lines.insert(rng.randint(start + 1, end - 1), stray)
    record = parse_text("\n".join(lines))
    assert not wrong_values(record, report.values)
    if record["status"] == "rejected":
        assert any(p["severity"] == "error" for p in record["problems"])


def test_section_4_splits_rest_on_the_reports_own_totals():
    """The known limit of run-together splitting, kept visible.

    Section 四 has no column rules: a run of digits is split by its three row rules alone.
    When the report's own total is wrong (here 45 + 9 printed as 63), another cut can add up
    to it (4 + 59) and be the only one that does. Such cells are never unflagged: each
    carries `split_by_rules` and the split is listed in the problems, so users can set them aside.
    """
    report = make_report(random.Random(612), year=2021, inconsistent=True)
    assert own_appeal_totals_wrong(report)
    record = parse_text(render(report, "run_together", random.Random(0)))
    wrong = wrong_values(record, report.values)
    assert wrong, "the example no longer shows the limit: pick another"
    flags = {(c["table"], c["row_code"], c["column_code"]): c["flag"] for c in record["cells"]}
    assert all(flags[key] == "split_by_rules" for key, _, _ in wrong)
    assert any(p["code"] == "split_by_rules" and p["section"] == "4" for p in record["problems"])
