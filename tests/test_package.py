"""The data package built from the bundled reports: valid, reproducible, the same numbers in every format.

One build per session (fixture `package`), read back with the real readers:
pandas for CSV, sqlite3, openpyxl, pyarrow. Nothing here uses the parser's
checks or check.py to decide what the rules say.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import REPORTS, ROOT, report_files
from frictionless import validate

from ogi.package.build import FILE_NAME, build_package
from ogi.package.fields import TABLES
from ogi.parse import parse_file

COMMITTED = ROOT / "datapackage"
CELL_TABLES = {"proactive": "value", "requests": "count", "appeals": "count"}
KEY = ["report_id", "row_code", "column_code"]


@pytest.fixture(scope="session")
def csv(package) -> dict[str, pd.DataFrame]:
    """Every table as pandas reads the CSV, codes kept as text."""
    return {
        name: pd.read_csv(
            package / "data" / f"{name}.csv",
            dtype={"row_code": str, "subject_code": str, "template_code": str, "division_code": str, "text": str},
        )
        for name in TABLES
    }


@pytest.fixture(scope="session")
def records(csv) -> dict[str, dict]:
    """The parser's record for every published report, parsed again from its source file."""
    return {row.report_id: parse_file(REPORTS / row.source_file, root=REPORTS) for row in csv["reports"].itertuples()}


def expected_values(records: dict[str, dict], corrections: pd.DataFrame) -> dict[tuple, object]:
    """(table, report_id, row_code, column_code) → the record's value, or the corrected value where a correction was applied."""
    out = {(c["table"], rid, c["row_code"], c["column_code"]): c["value"] for rid, rec in records.items() for c in rec["cells"]}
    for c in corrections[corrections["correction_status_code"] == "applied"].itertuples():
        out[(c.table_code, c.report_id, c.row_code, c.column_code)] = None if pd.isna(c.new_value) else c.new_value
    return out


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and pd.isna(a)):
        return b is None or (isinstance(b, float) and pd.isna(b))
    return b is not None and not (isinstance(b, float) and pd.isna(b)) and abs(float(a) - float(b)) < 1e-9


def assert_same_numbers(got: dict[tuple, object], expected: dict[tuple, object], where: str) -> None:
    assert got.keys() == expected.keys(), f"{where}: cells differ: {sorted(got.keys() ^ expected.keys())[:5]}"
    wrong = [(k, got[k], expected[k]) for k in expected if not same(got[k], expected[k])]
    assert not wrong, f"{where}: {len(wrong)} numbers differ from the records, e.g. {wrong[:3]}"


# --- the package as a whole ---


def test_frictionless_validate_passes(package):
    report = validate(package / "datapackage.json")
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])[:20]


def test_two_builds_are_byte_identical(package, tmp_path):
    again = tmp_path / "datapackage"
    build_package(REPORTS, again, progress=False)
    assert files_of(again) == files_of(package)


def test_committed_package_is_what_a_fresh_build_gives(package):
    """datapackage/ is generated: run `make` (ogi build) after any change to the inputs or the code, never edit it."""
    committed, fresh = files_of(COMMITTED), files_of(package)
    assert committed.keys() == fresh.keys(), f"files differ: {sorted(committed.keys() ^ fresh.keys())} — run `make`"
    changed = sorted(name for name in fresh if committed[name] != fresh[name])
    assert not changed, f"datapackage/ is out of date or was edited by hand: {changed} — run `make`"


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_descriptor_metadata(package):
    d = json.loads((package / "datapackage.json").read_text("utf-8"))
    assert d["name"] == "ogi-annual-reports"
    assert d["version"].count(".") == 2 and all(p.isdigit() for p in d["version"].split("."))
    assert "政府信息公开" in d["title"] and "open government information" in d["title"]
    assert d["created"].startswith(max(json.loads(p.read_text("utf-8"))["added"] for p in REPORTS.rglob("*.provenance.json")))
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    for key in ("description", "sources", "contributors", "homepage", "keywords"):
        assert d[key], key
    table = {r["name"]: r for r in d["resources"] if r["type"] == "table"}
    assert table["requests"]["schema"]["foreignKeys"] == [
        {"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}
    ]
    assert table["reports"]["schema"]["foreignKeys"] == [
        {"fields": ["agency_id"], "reference": {"resource": "agencies", "fields": ["agency_id"]}}
    ]
    assert all(r["schema"]["missingValues"] == [""] for r in table.values())
    listed = {r["path"] for r in d["resources"]}
    on_disk = {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()} - {"datapackage.json"}
    assert listed == on_disk, "every file in the package is a resource of the descriptor, with its hash"


def test_version_is_the_changelogs_latest():
    d = json.loads((COMMITTED / "datapackage.json").read_text("utf-8"))
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    # "## Unreleased" gathers changes until the next version is cut
    first = next(line for line in changelog.splitlines() if line.startswith("## ") and "Unreleased" not in line)
    assert d["version"] in first, f"CHANGELOG.md's latest entry is {first!r}; the package says {d['version']}"


# --- the same numbers in every format ---


def test_csv_has_the_records_numbers(csv, records):
    expected = expected_values(records, csv["corrections"])
    got = {(t, *k): v for t, field in CELL_TABLES.items() for *k, v in csv[t][KEY + [field]].itertuples(index=False)}
    assert_same_numbers(got, expected, "CSV")


def test_sqlite_has_the_records_numbers(package, csv, records):
    con = sqlite3.connect(package / f"{FILE_NAME}.sqlite")
    got = {}
    for t, field in CELL_TABLES.items():
        got.update({(t, *row[:3]): row[3] for row in con.execute(f"SELECT report_id, row_code, column_code, {field} FROM {t}")})
    assert_same_numbers(got, expected_values(records, csv["corrections"]), "SQLite")
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    pk = [r[1] for r in sorted(con.execute("PRAGMA table_info(requests)"), key=lambda r: r[5]) if r[5]]
    assert pk == KEY
    fks = {(r[2], r[3], r[4]) for r in con.execute("PRAGMA foreign_key_list(reports)")}
    assert ("agencies", "agency_id", "agency_id") in fks  # and the code lists' keys (tests/test_package_formats.py)


def test_parquet_has_the_records_numbers(package, csv, records):
    got = {}
    for t, field in CELL_TABLES.items():
        table = pq.read_table(package / "parquet" / f"{t}.parquet")
        got.update({(t, *k): v for *k, v in zip(*(table[c].to_pylist() for c in KEY + [field]))})
        assert table.schema.field("row_label").metadata[b"title"].decode() == "行标签"
    assert_same_numbers(got, expected_values(records, csv["corrections"]), "Parquet")


def test_xlsx_has_the_records_numbers(package, csv, records):
    """The workbook's wide sheets (one row per report) hold every number of the records, under its template row and column."""
    wb = openpyxl.load_workbook(package / f"{FILE_NAME}.xlsx", read_only=True)
    sheets = {
        "proactive": ["二、主动公开（2019格式）", "二、主动公开（2021格式）"],
        "requests": ["三、依申请公开"],
        "appeals": ["四、复议诉讼"],
    }
    got = {}
    for t, titles in sheets.items():
        at, by_report = {}, {}
        for title in titles:
            rows = list(wb[title].iter_rows(values_only=True))
            top = list(rows[0])
            for i in range(5, len(top)):  # a row label is merged over its columns: carry it right
                top[i] = top[i] if top[i] is not None else top[i - 1]
            at[title] = {(top[i], rows[1][i]): i for i in range(4, len(rows[1]))}
            by_report.update({values[0]: (title, values) for values in rows[2:]})
        for c in csv[t].itertuples():
            title, values = by_report[c.report_id]
            label = f"{c.row_group_label} {c.row_label}" if isinstance(c.row_group_label, str) else c.row_label
            got[(t, c.report_id, c.row_code, c.column_code)] = values[at[title][(label, c.column_label)]]
    assert_same_numbers(got, expected_values(records, csv["corrections"]), "Excel")


# --- the consistency rules, recomputed from the published tables ---


def rule_results_from_tables(requests: pd.DataFrame, appeals: pd.DataFrame) -> dict[tuple, tuple]:
    """(report_id, rule, subject) → (left sum, right sum, status), summed here from the cell tables."""
    out = {}

    def put(report_id, rule, subject, left: list, right: list):
        known = all(pd.notna(v) for v in left + right)
        sums = (sum(left), sum(right)) if known else (None, None)
        out[(report_id, rule, subject)] = (*sums, ("pass" if sums[0] == sums[1] else "fail") if known else "incomplete")

    applicants = [
        "natural_person",
        "commercial_enterprise",
        "research_institution",
        "public_interest_org",
        "legal_service_agency",
        "other_org",
    ]
    for report_id, cells in requests.groupby("report_id"):
        v = {(r.row_code, r.column_code): r.count for r in cells.itertuples()}
        rows = list(dict.fromkeys(cells["row_code"]))
        outcomes = [r for r in rows if r.startswith("3.") and r != "3.7"]
        for row in rows:
            put(report_id, "request_row_total", row, [v[(row, "total")]], [v[(row, c)] for c in applicants])
        for col in applicants + ["total"]:
            put(report_id, "request_outcome_total", col, [v[("3.7", col)]], [v[(r, col)] for r in outcomes])
            put(report_id, "request_balance", col, [v[("1", col)], v[("2", col)]], [v[("3.7", col)], v[("4", col)]])
    for report_id, cells in appeals.groupby("report_id"):
        v = {(r.row_code, r.column_code): r.count for r in cells.itertuples()}
        for row in dict.fromkeys(cells["row_code"]):
            put(
                report_id,
                "appeal_total",
                row,
                [v[(row, "total")]],
                [v[(row, c)] for c in ("upheld", "corrected", "other_result", "pending")],
            )
    return out


def published_rule_results(check_results: pd.DataFrame) -> dict[tuple, tuple]:
    def num(v):
        return None if pd.isna(v) else v

    return {
        (r.report_id, r.rule_code, r.subject_code): (num(r.left_sum), num(r.right_sum), r.rule_status_code)
        for r in check_results.itertuples()
    }


def test_rules_recomputed_from_the_tables_match_the_check_results(csv):
    recomputed = rule_results_from_tables(csv["requests"], csv["appeals"])
    published = published_rule_results(csv["check_results"])
    assert recomputed.keys() == published.keys()
    differ = {k: (recomputed[k], published[k]) for k in recomputed if recomputed[k] != published[k]}
    assert not differ, f"{len(differ)} checks differ, e.g. {list(differ.items())[:3]}"


def test_a_broken_rule_is_published_as_a_finding(csv):
    """洪泽区 2023 prints 0 as section 四's totals against 10 + 1 and 5: published as read, and failed."""
    failed = csv["check_results"][csv["check_results"]["rule_status_code"] == "fail"]
    hongze = failed[failed["report_id"] == "js_huaian_hongze_gov-2023"]
    assert set(hongze["subject_code"]) == {"review", "litigation_after_review"}
    appeals = csv["appeals"]
    total = appeals[
        (appeals["report_id"] == "js_huaian_hongze_gov-2023") & (appeals["row_code"] == "review") & (appeals["column_code"] == "total")
    ]
    assert total["count"].tolist() == [0] and total["text"].tolist() == ["0"]
    report = csv["reports"].set_index("report_id").loc["js_huaian_hongze_gov-2023"]
    assert report["rule_failed_count"] == 2


# --- inputs, agencies ---


def test_every_input_is_a_report_or_a_rejected_input(csv):
    inputs = {p.relative_to(REPORTS).as_posix() for p in report_files()}
    published, rejected = set(csv["reports"]["source_file"]), set(csv["rejected_inputs"]["source_file"])
    assert not published & rejected
    assert published | rejected == inputs
    assert csv["rejected_inputs"]["reason"].notna().all() and csv["rejected_inputs"]["reason_code"].notna().all()


def test_rejected_inputs_say_why(csv, records):
    rejected = csv["rejected_inputs"].set_index("source_file")
    assert rejected.loc["samples/rejected/pingtan_2018_pre_template.txt", "reason_code"] == "pre_template"
    for file, row in rejected.iterrows():
        if row["reason_code"] == "duplicate":
            assert row["duplicate_of_report_id"] in set(csv["reports"]["report_id"])
            continue
        record = parse_file(REPORTS / file, root=REPORTS)
        errors = [p for p in record["problems"] if p["severity"] == "error"]
        assert record["status"] == "rejected" and row["reason_code"] == errors[0]["code"]
        assert errors[0]["message"] in row["reason"]


def test_duplicates_keep_the_reading_with_most_cells_read(csv, records):
    duplicates = csv["rejected_inputs"][csv["rejected_inputs"]["reason_code"] == "duplicate"]
    reports = csv["reports"].set_index("report_id")
    assert len(duplicates) > 0

    def rank(record):  # the stated rule: most cells read, fewest failed rules, the original format, the file path
        cells_read = sum(c["value"] is not None for c in record["cells"])
        failed = sum(c["status"] == "fail" for c in record["checks"])
        return (-cells_read, failed, record["source"]["format"] == "text", record["source"]["file"])

    for row in duplicates.itertuples():
        kept = records[row.duplicate_of_report_id]
        dropped = parse_file(REPORTS / row.source_file, root=REPORTS)
        assert rank(kept) < rank(dropped)
        assert reports.loc[row.duplicate_of_report_id, "duplicate_file_count"] >= 1
        assert reports.loc[row.duplicate_of_report_id, "source_file"] in row.reason


def test_one_agency_id_across_years_and_name_variants(csv):
    reports = csv["reports"].set_index("report_id")
    hongze = reports[reports["agency_id"] == "js_huaian_hongze_gov"]
    assert set(hongze["report_year"]) == {2023, 2024}
    assert set(hongze["titled_agency_name"]) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}
    jiyuan = reports[reports["agency_id"] == "ha_jiyuan_gov_office"]
    assert set(jiyuan["report_year"]) == {2020, 2022}


def test_agencies_have_level_region_and_parent(csv):
    agencies = csv["agencies"].set_index("agency_id")
    assert agencies.loc[
        "js_huaian_hongze_gov", ["level_code", "city_name", "county_name", "division_code", "parent_agency_id"]
    ].tolist() == [
        "county_government",
        "淮安市",
        "洪泽区",
        "320813",
        "js_huaian_gov",
    ]
    assert agencies.loc["js_huaian_hongze_gov", "level_name"] == "县级人民政府"
    parents = set(agencies["parent_agency_id"].dropna())
    assert parents <= set(agencies.index)
    assert set(csv["reports"]["agency_id"]) <= set(agencies.index)


def test_blank_marks_and_zero_are_kept_apart(csv):
    """A cell's number is empty only with a text or flag that says why; 0 is a number printed as 0."""
    for t, field in CELL_TABLES.items():
        cells = csv[t]
        empty = cells[cells[field].isna()]
        assert empty["flag_code"].notna().all(), f"{t}: an empty number without a flag"
        zero = cells[cells[field] == 0]
        assert (zero["text"].astype(str).str.replace("０", "0").str.strip().isin(["0", "00", "000"]) | zero["flag_code"].notna()).all()
