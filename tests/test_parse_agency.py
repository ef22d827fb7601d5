"""Agency and year when the text has no title: read from the report's own sentences, or left empty and flagged.

The bundled reports have their titles cut away (and the crawler's header with
them); what is left must give the hand-read agency and year, or nothing and a
problem saying so — never another body's name, never another year.
"""

import json
import re

import pytest
from conftest import GOLDEN, REPORTS

from ogi.extract.text import decode
from ogi.parse import parse_file
from ogi.parse.meta import find_title

TEXTS = sorted([*(REPORTS / "seeds").glob("*.txt"), *(REPORTS / "samples").glob("*.txt")])
# where the report's own part of the page starts, after its title
BODY_START = re.compile(r"(?m)^[ \t]*(?:本报告|根据|一、)|根据《中华人民共和国政府信息公开条例》")
CRAWLER_RULE = "==================== 正文 ====================\n"


def untitled(path) -> str:
    text = decode(str(path), path.read_bytes())[0].split(CRAWLER_RULE, 1)[-1]
    return text[BODY_START.search(text).start() :]


def expected(path) -> dict:
    return json.loads((GOLDEN / (path.relative_to(REPORTS).as_posix() + ".expected.json")).read_text("utf-8"))


def parse_text(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return parse_file(path)


def codes(record):
    return {p["code"] for p in record["problems"]}


def assert_right_or_flagged(record, golden):
    md = record["metadata"]
    if md["agency_name"] is None:
        assert "agency_not_found" in codes(record) and md["agency_source"] is None
    else:
        assert md["agency_name"] == golden["agency_name"] and md["agency_source"]
    if md["report_year"] is None:
        assert "year_not_found" in codes(record)
    else:
        assert md["report_year"] == golden["year"]


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_untitled_report_gives_the_right_agency_or_none_flagged(tmp_path, path):
    record = parse_text(tmp_path, untitled(path))
    assert_right_or_flagged(record, expected(path))


STATED = [
    "根据《中华人民共和国政府信息公开条例》规定，特向社会公布{agency}{year}年度政府信息公开工作年度报告。",
    "现发布{agency}{year}年政府信息公开工作年度报告。",
    "按照要求，向社会公布{agency}{year}年政府信息公开工作年度报告，统计期限自{year}年1月1日起至{year}年12月31日止。",
]


@pytest.mark.parametrize("opening", STATED)
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_opening_sentence_naming_the_report_gives_agency_and_year(tmp_path, path, opening):
    golden = expected(path)
    text = opening.format(agency=golden["agency_name"], year=golden["year"]) + "\n" + untitled(path)
    md = parse_text(tmp_path, text)["metadata"]
    assert (md["agency_name"], md["report_year"]) == (golden["agency_name"], golden["year"])


COMPILED_OR_CONTACT = [
    "{agency}编制完成本报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    "本报告由{agency}根据《条例》编制。统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}联系。",
    "统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}办公室联系（电话：0594-1234567）。",
]


@pytest.mark.parametrize("opening", COMPILED_OR_CONTACT)
@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_compiler_and_contact_sentences_give_the_agency_or_none(tmp_path, path, opening):
    """A government's own office compiles and answers for the government's report: from such a sentence
    alone the body is not told (it may be the office's own report), so it is left empty and flagged."""
    golden = expected(path)
    text = opening.format(agency=golden["agency_name"], year=golden["year"]) + "\n" + untitled(path)
    record = parse_text(tmp_path, text)
    assert_right_or_flagged(record, golden)
    assert record["metadata"]["report_year"] == golden["year"]
    if not golden["agency_name"].endswith(("办公室", "政府", "实验区")):
        assert record["metadata"]["agency_name"] == golden["agency_name"]


BODY = untitled(REPORTS / "samples" / "pingtan_gaj_2024.txt")


@pytest.mark.parametrize(
    "opening,agency,source",
    [
        ("根据《条例》，特向社会公布莆田市城市管理局2024年度政府信息公开工作年度报告。", "莆田市城市管理局", "stated in text"),
        ("现予发布莆田市科学技术局2024年度政府信息公开工作年度报告。", "莆田市科学技术局", "stated in text"),
        ("根据《条例》要求，莆田市水利局编制完成本报告。", "莆田市水利局", "compiler"),
        ("根据《条例》要求，现将2024年上海市人民政府参事室政府信息公开工作报告如下：", "上海市人民政府参事室", "stated in text"),
        ("现将2024年某县人民政府信息公开工作年度报告公布如下。", "某县人民政府", "stated in text"),
        ("如对本报告有任何疑问，请与莆田市林业局办公室联系（地址：莆田市城厢区）。", "莆田市林业局", "contact"),
        (
            "特向社会公布中共莆田市委机构编制委员会办公室2024年度政府信息公开工作年度报告。",
            "中共莆田市委机构编制委员会办公室",
            "stated in text",
        ),
        ("本报告由中共莆田市委机构编制委员会办公室编制。", None, None),  # its own report, or its committee's?
        ("我局编制完成了本报告。如有疑问，请与本局办公室联系。", None, None),
        ("莆田市水利局编制完成本报告。如有疑问，请与莆田市林业局联系。", None, None),
        ("本报告由莆田市人民政府办公室编制。", None, None),
    ],
)
def test_the_brief_s_sentences(tmp_path, opening, agency, source):
    record = parse_text(tmp_path, opening + "\n" + BODY)
    md = record["metadata"]
    assert (md["agency_name"], md["agency_source"]) == (agency, source)
    assert md["report_year"] == 2024  # 统计期限 in the body
    if agency is None:
        assert "agency_not_found" in codes(record)


def test_names_that_disagree_are_listed_not_chosen(tmp_path):
    record = parse_text(tmp_path, "莆田市水利局编制完成本报告。如有疑问，请与莆田市林业局联系。\n" + BODY)
    [problem] = [p for p in record["problems"] if p["code"] == "agency_not_found"]
    assert "莆田市水利局" in problem["message"] and "莆田市林业局" in problem["message"]


def test_a_year_in_another_documents_name_is_not_the_reports(tmp_path):
    # seed 002 (a 2020 report) cites 《濮阳市2019年政府信息公开年度报告》 in its overview
    path = REPORTS / "seeds" / "002_4fb6e0fcd3eb9312.txt"
    assert "《濮阳市2019年政府信息公开年度报告》" in untitled(path)
    assert parse_text(tmp_path, untitled(path))["metadata"]["report_year"] in (None, 2020)
    statement = "统计期限自2025年1月1日起至2025年12月31日止。\n"
    assert parse_text(tmp_path, statement + untitled(path))["metadata"]["report_year"] == 2025


@pytest.mark.parametrize(
    "line,agency,year",
    [
        ("关于印发莆田市水利局2024年度政府信息公开工作年度报告的通知", "莆田市水利局", 2024),
        ("福建省人民政府办公厅关于编制公布2024年政府信息公开工作年度报告有关事项的通知", None, None),
        ("莆田市人民政府办公室关于报送2024年度政府信息公开工作年度报告的通知", None, None),
    ],
)
def test_a_notice_about_reports_is_not_a_title_but_a_cover_is(line, agency, year):
    found = find_title([line], None)
    assert (found["agency_name"], found["report_year"]) == (agency, year)


# seed 002, a 2020 report whose untitled body states no year of its own
SEED_2020 = REPORTS / "seeds" / "002_4fb6e0fcd3eb9312.txt"


@pytest.mark.parametrize(
    "opening,year",
    [
        ("根据《条例》和有关要求，现将我办2020年度政府信息公开情况报告如下：", 2020),
        ("现将本局2020年政府信息公开工作情况报告如下。", 2020),
        ("从总体情况、主动公开政府信息情况等六个方面汇报我镇2020年政府信息公开工作。", 2020),
        # another document's name, quoted or not, never gives the year
        ("按照市政府办公室关于报送2019年度政府信息公开工作年度报告的通知要求，现将有关情况报告如下。", None),
        ("根据《关于做好2019年政府信息公开情况报告工作的通知》，现报告如下。", None),
        # nor a narrative sentence: its year may be any year the report looks back on
        ("2019年，我局共主动公开政府信息15条。", None),
        ("向上级汇报政府信息公开工作。", None),
    ],
)
def test_a_sentence_naming_the_year_s_work_gives_the_year(tmp_path, opening, year):
    assert expected(SEED_2020)["year"] == 2020
    md = parse_text(tmp_path, opening + "\n" + untitled(SEED_2020))["metadata"]
    assert (md["report_year"], md["year_source"]) == (year, "stated in text" if year else None)
