"""The build on a changed copy of the reports folder: corrections, duplicates, marks in cells, an unregistered agency.

One build per session of a copy of reports/ where
- the HTML page of 平潭 2021 is gone, so its crawled text (with a row of run-together
  digits the parser leaves empty) is published, and corrections.csv fills that row;
- another correction changes a total, so a rule that held now fails;
- 济源 2022's row 三（三）1 prints "/" in every cell;
- 济源 2020 is there twice, byte for byte;
- 洪泽区 2024 is copied as a report of 清江浦区, which is not in the registry;
- 克井镇 2020 prints 行政许可 with no numbers and 三（三）1 with a number missing: published with gaps;
- 轵城镇 2020 is there a second time, cut off inside section 三: a truncated copy, rejected.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from conftest import REPORTS

from ogi.package.build import build_package
from ogi.package.corrections import CorrectionError, apply_corrections, load_corrections
from ogi.package.reading import read_input

CORRECTIONS = """report_id,cell,old_value,new_value,reason,source
fj_pingtan-2021,proactive/normative_document/issued_count,,69,digits run together in the crawled text,"pingtan_2021.html table 1 row 4: 69 | 3 | 665"
fj_pingtan-2021,proactive/normative_document/repealed_count,,3,digits run together in the crawled text,"pingtan_2021.html table 1 row 4: 69 | 3 | 665"
fj_pingtan-2021,proactive/normative_document/in_force_count,,665,digits run together in the crawled text,"pingtan_2021.html table 1 row 4: 69 | 3 | 665"
fj_pingtan-2021,requests/1/natural_person,64,64,already right,test
fj_pingtan-2021,requests/1/total,70,71,a test correction that breaks a rule,test
"""
MARKS_LINE = 43  # seeds/001: "(三) 不予公开 1. 属于国家秘密" and seven zeros


@pytest.fixture(scope="session")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("scenario")
    reports = root / "reports"
    shutil.copytree(REPORTS, reports)
    for name in ("pingtan_2021.html", "pingtan_2021.html.provenance.json"):
        (reports / "samples" / name).unlink()
    (reports / "corrections.csv").write_text(CORRECTIONS, "utf-8")
    seed = reports / "seeds" / "001_7e78f6154f3411bd.txt"
    lines = seed.read_text("utf-8").split("\n")
    assert lines[MARKS_LINE - 1].endswith("\t0" * 7)
    lines[MARKS_LINE - 1] = lines[MARKS_LINE - 1][: -len("\t0" * 7)] + "\t/" * 7
    seed.write_text("\n".join(lines), "utf-8")
    shutil.copy(reports / "seeds" / "000_40e2ac12d098bcd7.txt", reports / "seeds" / "000_copy.txt")
    hongze = (reports / "samples" / "hongze_qzf_2024.txt").read_text("utf-8")
    (reports / "samples" / "qingjiangpu_2024.txt").write_text(hongze.replace("洪泽区", "清江浦区"), "utf-8")
    kejing = reports / "seeds" / "004_9bf64bd8106e216b.txt"
    text = kejing.read_text("utf-8")
    assert "行政许可 0 0 0\n" in text and "1.属于国家秘密 0 0 0 0 0 0 0\n" in text
    kejing.write_text(
        text.replace("行政许可 0 0 0\n", "行政许可\n").replace("1.属于国家秘密 0 0 0 0 0 0 0\n", "1.属于国家秘密 0 0 0 0 0 0\n"), "utf-8"
    )
    zhicheng = (reports / "seeds" / "003_e6430650c8b30f66.txt").read_text("utf-8").split("\n")
    (reports / "seeds" / "003_truncated.txt").write_text("\n".join(zhicheng[:46]), "utf-8")
    out = root / "datapackage"
    summary = build_package(reports, out, progress=False)
    tables = {
        name: pd.read_csv(out / "data" / f"{name}.csv", dtype={"row_code": str, "subject_code": str, "text": str})
        for name in (
            "reports",
            "proactive",
            "requests",
            "appeals",
            "problems",
            "check_results",
            "corrections",
            "rejected_inputs",
            "agencies",
        )
    }
    return reports, summary, tables


def cell(table: pd.DataFrame, report_id: str, row_code: str, column_code: str) -> pd.Series:
    found = table[(table["report_id"] == report_id) & (table["row_code"] == row_code) & (table["column_code"] == column_code)]
    assert len(found) == 1
    return found.iloc[0]


def test_corrections_are_applied_and_listed(scenario):
    _, summary, t = scenario
    for column, value in (("issued_count", 69), ("repealed_count", 3), ("in_force_count", 665)):
        c = cell(t["proactive"], "fj_pingtan-2021", "normative_document", column)
        assert c["value"] == value and c["corrected"] and c["flag_code"] == "ambiguous" and c["text"] == "693665"
    listed = t["corrections"].set_index("correction_number")
    assert listed["correction_status_code"].tolist() == ["applied", "applied", "applied", "not_needed", "applied"]
    assert listed.loc[1, "correction_source"].startswith("pingtan_2021.html")
    assert t["reports"].set_index("report_id").loc["fj_pingtan-2021", "correction_count"] == 4
    assert summary.corrections == {"applied": 4, "not_needed": 1}


def test_corrections_show_in_the_check_results(scenario):
    _, _, t = scenario
    checks = t["check_results"].set_index(["report_id", "rule_code", "subject_code"])
    row = checks.loc[("fj_pingtan-2021", "request_row_total", "1")]
    assert (row["rule_status_code"], row["rule_status_before_correction_code"], bool(row["corrected"])) == ("fail", "pass", True)
    assert (row["left_sum"], row["right_sum"]) == (71, 70)
    untouched = checks.loc[("fj_pingtan-2021", "request_row_total", "2")]
    assert (untouched["rule_status_code"], bool(untouched["corrected"])) == ("pass", False)


def test_marks_stay_apart_from_zero(scenario):
    _, _, t = scenario
    requests = t["requests"]
    mark = cell(requests, "ha_jiyuan_gov_office-2022", "3.3.1", "natural_person")
    assert pd.isna(mark["count"]) and mark["text"] == "/" and mark["flag_code"] == "blank_mark"
    zero = cell(requests, "ha_jiyuan_gov_office-2022", "3.3.2", "natural_person")
    assert zero["count"] == 0 and zero["text"] == "0" and pd.isna(zero["flag_code"])
    checks = t["check_results"].set_index(["report_id", "rule_code", "subject_code"])
    assert checks.loc[("ha_jiyuan_gov_office-2022", "request_row_total", "3.3.1"), "rule_status_code"] == "incomplete"
    report = t["reports"].set_index("report_id").loc["ha_jiyuan_gov_office-2022"]
    assert report["blank_cell_count"] == 7 and report["rule_incomplete_count"] > 0


def test_duplicate_agency_year_is_reported_not_overwritten(scenario):
    _, summary, t = scenario
    rejected = t["rejected_inputs"].set_index("source_file")
    assert rejected.loc["seeds/000_copy.txt", "reason_code"] == "duplicate"
    assert rejected.loc["seeds/000_copy.txt", "duplicate_of_report_id"] == "ha_jiyuan_gov_office-2020"
    assert "the same bytes" in rejected.loc["seeds/000_copy.txt", "reason"]
    assert t["reports"].set_index("report_id").loc["ha_jiyuan_gov_office-2020", "source_file"] == "seeds/000_40e2ac12d098bcd7.txt"
    assert ("ha_jiyuan_gov_office-2020", "seeds/000_40e2ac12d098bcd7.txt", "seeds/000_copy.txt") in summary.duplicates
    assert rejected.loc["samples/pingtan_2021.txt":"samples/pingtan_2021.txt"].empty, "with the HTML gone, the text is published"


def test_unregistered_agency_is_built_and_listed(scenario):
    _, summary, t = scenario
    report = t["reports"][t["reports"]["titled_agency_name"] == "淮安市清江浦区人民政府"].iloc[0]
    assert report["agency_match_code"] == "unregistered" and report["agency_id"].startswith("x_")
    agency = t["agencies"].set_index("agency_id").loc[report["agency_id"]]
    assert (agency["level_code"], agency["level_source_code"], agency["city_name"], agency["county_name"]) == (
        "county_government",
        "name",
        "淮安市",
        "清江浦区",
    )
    assert agency["parent_agency_id"] == "js_huaian_gov" and not agency["registered"]
    assert ("淮安市清江浦区人民政府", report["agency_id"]) in summary.unregistered
    assert "unregistered agencies: 1" in summary.text()


def test_input_warnings_name_the_files(scenario):
    _, summary, _ = scenario
    assert "seeds/000_copy.txt: no provenance file beside it" in summary.warnings
    assert any(w.startswith("seeds/001_7e78f6154f3411bd.txt: sha256 differs") for w in summary.warnings)


def test_a_correction_that_no_longer_matches_stops_the_build(scenario):
    reports, _, _ = scenario
    reading = read_input(reports / "samples" / "pingtan_2021.txt", reports)
    corrections = load_corrections(reports)
    corrections[0].old_value = 12  # the cell was read as empty, not 12
    with pytest.raises(CorrectionError, match="was read as None"):
        apply_corrections(corrections[:1], {"fj_pingtan-2021": reading})
    with pytest.raises(CorrectionError, match="no published report"):
        apply_corrections(corrections[:1], {})


KEJING_2020 = "ha_jiyuan_kejing_gov-2020"


def test_a_report_with_gaps_is_published_with_its_gaps_flagged(scenario):
    _, summary, t = scenario
    reports = t["reports"].set_index("report_id")
    assert KEJING_2020 in reports.index, sorted(reports.index)
    report = reports.loc[KEJING_2020]
    assert report["report_status_code"] == "published_with_gaps"
    assert report["unread_cell_count"] == 3 + 7  # 行政许可's three cells, 三（三）1's seven
    licensing = t["proactive"][(t["proactive"]["report_id"] == KEJING_2020) & (t["proactive"]["row_code"] == "licensing")]
    assert len(licensing) == 3 and licensing["value"].isna().all() and set(licensing["flag_code"]) == {"not_printed"}
    secret = t["requests"][(t["requests"]["report_id"] == KEJING_2020) & (t["requests"]["row_code"] == "3.3.1")]
    assert len(secret) == 7 and secret["count"].isna().all() and set(secret["flag_code"]) == {"unread"}
    assert set(secret["text"]) == {"0 0 0 0 0 0"}
    # every other cell of the report is read
    others = t["requests"][(t["requests"]["report_id"] == KEJING_2020) & (t["requests"]["row_code"] != "3.3.1")]
    assert others["count"].notna().all()
    assert t["appeals"][t["appeals"]["report_id"] == KEJING_2020]["count"].notna().all()
    problems = t["problems"][t["problems"]["report_id"] == KEJING_2020]
    named = set(zip(problems["problem_code"], problems["row_code"]))
    assert {("row_not_printed", "licensing"), ("row_unread", "3.3.1")} <= named
    assert set(problems["severity_code"]) == {"warning"}
    assert summary.with_gaps == {KEJING_2020: 10}
    assert "published with gaps: 1 (10 gap cells" in summary.text()


def test_a_report_whose_gaps_are_all_corrected_is_published_whole(scenario):
    """平潭 2021's text leaves a row empty; the corrections fill it, so the report has no gap left."""
    _, _, t = scenario
    report = t["reports"].set_index("report_id").loc["fj_pingtan-2021"]
    assert (report["report_status_code"], report["unread_cell_count"]) == ("published", 0)
    assert set(t["reports"]["report_status_code"]) == {"published", "published_with_gaps"}
    assert ((t["reports"]["report_status_code"] == "published_with_gaps") == (t["reports"]["unread_cell_count"] > 0)).all()


def test_a_truncated_copy_stays_rejected(scenario):
    _, _, t = scenario
    rejected = t["rejected_inputs"].set_index("source_file")
    assert rejected.loc["seeds/003_truncated.txt", "reason_code"] == "truncated"
    assert not (t["reports"]["source_file"] == "seeds/003_truncated.txt").any()
