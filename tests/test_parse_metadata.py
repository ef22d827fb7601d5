"""Titles, agencies and years as real reports print them."""

import pytest

from ogi.parse.meta import find_scope, find_title
from ogi.parse.sections import find_sections
from ogi.parse.text import normalise
from ogi.template import load


@pytest.mark.parametrize(
    "lines,agency,year",
    [
        (["济源市人民政府办公室2020年政府信息公开工作年", "度报告"], "济源市人民政府办公室", 2020),
        (["淮安市人民政府", "2024 年政府信息公开工作年度报告"], "淮安市人民政府", 2024),
        (["蠡县审计局2022年度政府信息公开工作年度报告"], "蠡县审计局", 2022),
        (["某市生态环境局二〇二三年度政府信息公开工作年度报告"], "某市生态环境局", 2023),
        (["某县财政局政府信息公开工作年度报告（2021年）"], "某县财政局", 2021),
        (["关于印发《某区教育局2022年政府信息公开工作年度报告》"], "某区教育局", 2022),
        (["现将2020年政府信息公开工作报告如下:"], None, 2020),
        (["# 沐阳县人民政府 2025 年 政府信息公开工作年度报告"], "沐阳县人民政府", 2025),  # a Markdown copy
        (["2019年上海市人民政府办公厅政府信息公开工作年度报告"], "上海市人民政府办公厅", 2019),  # the year first
        (["2021年某县人民政府信息公开工作年度报告"], "某县人民政府", 2021),
        (["2020年政府信息公开工作年度报告"], None, 2020),
        # page furniture before the title, as a flipbook page's text prints it: never part of the name
        (["Page 8 - 某区信访局2022年政府信息公开工作年度报告"], "某区信访局", 2022),
        (["第2页 共6页 某县财政局2021年政府信息公开工作年度报告"], "某县财政局", 2021),
        (["- 3 - 某县财政局2021年政府信息公开工作年度报告"], "某县财政局", 2021),
        (["——某县财政局2021年政府信息公开工作年度报告"], "某县财政局", 2021),
        (["·某县财政局2021年政府信息公开工作年度报告"], "某县财政局", 2021),
    ],
)
def test_title_agency_and_year(lines, agency, year):
    found = find_title(lines, None)
    assert (found["agency_name"], found["report_year"]) == (agency, year)


def test_crawler_title_wins():
    found = find_title(["当前位置：首页 > 政务公开"], "平潭综合实验区公安局2024年政府信息公开工作年度报告")
    assert found["agency_name"] == "平潭综合实验区公安局" and found["report_year"] == 2024


def test_headings_numbered_in_brackets_are_found():
    text = "（一）总体情况\n今年...\n（二）主动公开政府信息情况\n规章 0 0 0\n（三）收到和处理政府信息公开申请情况\n（四）政府信息公开行政复议、行政诉讼情况\n（五）存在的主要问题及改进情况\n（六）其他需要报告的事项\n无"
    assert list(find_sections(normalise(text), load("2021"))) == ["1", "2", "3", "4", "5", "6"]


def test_a_shortened_section_5_heading_is_found():
    text = "一、总体情况\n今年...\n二、主动公开政府信息情况\n规章 0 0 0\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在问题及改进情况\n短板\n六、其他需要报告的事项\n无"
    assert list(find_sections(normalise(text), load("2021"))) == ["1", "2", "3", "4", "5", "6"]


def test_scope_is_recorded_with_its_words():
    found = find_scope("2024 年，全市共受理政府信息公开申请 3119 件")
    assert found["scope"] == "area" and "全市共受理" in found["scope_evidence"]
    assert find_scope("本机关全年受理申请 3 件")["scope"] is None


def test_agency_after_guanyu_is_the_reporting_body():
    found = find_title(["某县人民政府办公室关于某县2023年政府信息公开工作年度报告"], None)
    assert found["agency_name"] == "某县" and found["report_year"] == 2023


def test_a_table_whose_heading_is_missing_is_found_by_its_labels():
    from conftest import REPORTS

    from ogi.extract.text import read_text_bytes
    from ogi.parse import parse_document

    text = (REPORTS / "seeds" / "001_7e78f6154f3411bd.txt").read_text("utf-8").replace("三、收到和处理政府信息公开申请情况", "")
    record = parse_document(read_text_bytes("no_heading.txt", text.encode("utf-8")))
    assert record["status"] == "published"
    assert any(p["code"] == "heading_not_found" and p["section"] == "3" for p in record["problems"])
    assert [c["value"] for c in record["cells"] if c["row_code"] == "1" and c["table"] == "requests"] == [16, 0, 0, 0, 2, 0, 18]
