"""Bad input gets a clear error naming the file and what is wrong; damaged but readable text still parses."""

import re

import pytest
from conftest import REPORTS

from ogi.parse import parse_file

SEED_2019 = REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt"
SEED_2021 = REPORTS / "seeds" / "001_7e78f6154f3411bd.txt"


def errors(record):
    return [p for p in record["problems"] if p["severity"] == "error"]


def unread_rows(record):
    return {p["row_code"]: p["message"] for p in record["problems"] if p["code"] == "row_unread"}


def values_outside(record, rows):
    return [(c["table"], c["row_code"], c["column_code"], c["value"]) for c in record["cells"] if c["row_code"] not in rows]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_pre_2019_report_is_rejected_with_its_reason():
    record = parse_file(REPORTS / "samples" / "rejected" / "pingtan_2018_pre_template.txt")
    assert record["status"] == "rejected"
    [err] = errors(record)
    assert err["code"] == "pre_template" and "2018" in err["message"] and "pingtan_2018_pre_template.txt" in err["message"]


def test_a_document_that_is_not_a_report_is_rejected(tmp_path):
    text = "关于印发2024年部门预算的通知\n一、部门基本情况\n本部门2024年收入预算1234.5万元，支出预算1234.5万元。\n二、收支预算总表\n"
    record = parse_file(write(tmp_path, "budget.txt", text))
    assert record["status"] == "rejected"
    assert errors(record)[0]["code"] == "not_a_report"
    assert "budget.txt" in errors(record)[0]["message"]


@pytest.mark.parametrize("name", ["lg_qzfgzbm_2024.txt", "lixian_sjj_2022.txt", "yangling_tjj_2020.txt"])
def test_truncated_reports_are_rejected_and_say_where_they_stop(name):
    record = parse_file(REPORTS / "samples" / "truncated" / name)
    assert record["status"] == "rejected"
    truncated = [p for p in errors(record) if p["code"] == "truncated"]
    assert truncated and truncated[0]["section"] in ("2", "3")


def test_a_row_with_a_number_missing_is_a_gap_named_by_section_and_row(tmp_path):
    text = SEED_2021.read_text("utf-8").replace(
        "→→2. 其他法律行政法规禁止公开→0→0→0→0→0→0→0".replace("→", "\t"), "\t\t2. 其他法律行政法规禁止公开\t0\t0\t0\t0\t0\t0"
    )
    text = text.replace("行政规范性文件\t26\t34\t211", "行政规范性文件 26 211")
    record = parse_file(write(tmp_path, "missing.txt", text))
    assert record["status"] == "published_with_gaps" and not errors(record)
    unread = unread_rows(record)
    assert set(unread) == {"normative_document", "3.3.2"}
    assert "第二部分" in unread["normative_document"] and "第三部分" in unread["3.3.2"]
    gap_cells = [c for c in record["cells"] if c["row_code"] in unread]
    assert all(c["value"] is None and c["flag"] == "unread" for c in gap_cells)
    assert {c["text"] for c in gap_cells if c["row_code"] == "normative_document"} == {"26 211"}
    # the bad rows cost no other cell its value
    assert values_outside(record, unread) == values_outside(parse_file(SEED_2021), unread)


def test_a_row_with_an_extra_number_is_a_gap_not_a_wrong_record(tmp_path):
    text = SEED_2019.read_text("utf-8").replace("（一）予以公开 6 0 0 0 0 0 6", "（一）予以公开 6 0 0 0 0 0 6 9")
    record = parse_file(write(tmp_path, "extra.txt", text))
    assert record["status"] == "published_with_gaps"
    message = unread_rows(record)["3.1"]
    assert "8" in message and "7" in message
    assert all(c["value"] is None and c["flag"] == "unread" for c in record["cells"] if c["row_code"] == "3.1")
    assert values_outside(record, {"3.1"}) == values_outside(parse_file(SEED_2019), {"3.1"})


def test_stray_numbers_on_other_lines_do_not_sink_a_row_whose_line_satisfies_its_rules(tmp_path):
    """Copies of reports repeat a header line with digits in it before every row of section 三."""
    header = "\t\t类别\t数据1\t数据2\t数据3\t数据4\t数据5\t数据6\t总计"
    rows = ["一、本年新收政府信息公开申请数量", "(一) 予以公开", "1. 属于国家秘密", "(七) 总计"]
    lines = []
    for line in SEED_2021.read_text("utf-8").split("\n"):
        lines += [header, line] if any(label in line for label in rows) else [line]
    text = "\n".join(lines)
    assert text.count("数据1") == len(rows)
    record = parse_file(write(tmp_path, "headers.txt", text))
    expected = parse_file(SEED_2021)
    assert record["status"] == "published", errors(record)
    requests = lambda r: [(c["row_code"], c["column_code"], c["value"]) for c in r["cells"] if c["table"] == "requests"]  # noqa: E731
    assert requests(record) == requests(expected)
    stray = [u["text"] for u in record["audit"]["unplaced_numbers"]]
    assert stray.count("1") >= len(rows) - 1 and stray.count("6") >= len(rows) - 1  # the header lines' digits, reported
    assert any(p["code"] == "unplaced_numbers" for p in record["problems"])


def test_stray_numbers_that_no_single_line_explains_leave_the_row_unread(tmp_path):
    text = SEED_2019.read_text("utf-8").replace("（一）予以公开 6 0 0 0 0 0 6", "（一）予以公开 6 0 0 0 0 0\n6 9")
    record = parse_file(write(tmp_path, "split.txt", text))
    assert record["status"] == "published_with_gaps"
    assert "3.1" in unread_rows(record)
    assert all(c["value"] is None and c["flag"] == "unread" for c in record["cells"] if c["row_code"] == "3.1")


def test_a_row_wrapped_after_its_first_number_is_read_but_a_lone_number_line_is_unread(tmp_path):
    """ "label 6" / "0 0 0 0 0 6" is a wrapped row; "label" / "7" / "0 0 0 0 0 6" may be a stray 7 where a blank was."""
    row = "（一）予以公开 6 0 0 0 0 0 6"
    wrapped = parse_file(write(tmp_path, "wrapped.txt", SEED_2019.read_text("utf-8").replace(row, "（一）予以公开 6\n0 0 0 0 0 6")))
    assert wrapped["status"] == "published", errors(wrapped)
    assert [c["value"] for c in wrapped["cells"] if c["row_code"] == "3.1"] == [6, 0, 0, 0, 0, 0, 6]
    lone = parse_file(write(tmp_path, "lone.txt", SEED_2019.read_text("utf-8").replace(row, "（一）予以公开\n7\n0 0 0 0 0 6")))
    assert "3.1" in unread_rows(lone) and lone["status"] == "published_with_gaps"
    assert all(c["value"] is None for c in lone["cells"] if c["row_code"] == "3.1")


def test_damaged_text_whose_numbers_can_all_be_placed_parses_with_the_damage_reported(tmp_path):
    text = SEED_2019.read_text("utf-8").replace("1.属于国家秘密", "1.属于国豕秘蜜")  # garbled label
    text = text.replace("规章 0 0 0", "- 2 -\n规章 0 0 0")  # page furniture inside the table
    record = parse_file(write(tmp_path, "damaged.txt", text))
    assert record["status"] == "published", errors(record)
    assert any(p["code"] == "label_not_recognised" and p["row_code"] == "3.3.1" for p in record["problems"])
    assert record["audit"]["page_debris_lines"]
    assert [c["value"] for c in record["cells"] if c["row_code"] == "3.3.1"] == [0] * 7


def test_a_broken_rule_is_recorded_and_the_report_kept():
    record = parse_file(REPORTS / "samples" / "hongze_qzf_2023.txt")
    assert record["status"] == "published"
    failed = [c for c in record["checks"] if c["status"] == "fail"]
    assert {(c["subject"], c["left_sum"], c["right_sum"]) for c in failed} == {("review", 0, 11), ("litigation_after_review", 0, 5)}


def test_binary_junk_is_rejected(tmp_path):
    record = parse_file(write(tmp_path, "junk.txt", b"\x00\x01\x02garbage\x00" * 50))
    assert record["status"] == "rejected" and errors(record)[0]["code"] == "binary_file"


def test_unsupported_format_is_reported_not_dropped(tmp_path):
    record = parse_file(write(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))
    assert record["status"] == "rejected" and errors(record)[0]["code"] == "unsupported_format"
    assert "old.doc" in errors(record)[0]["message"]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-16"])
def test_encodings_are_detected_not_assumed(tmp_path, encoding):
    text = SEED_2021.read_text("utf-8")
    record = parse_file(write(tmp_path, f"report_{encoding}.txt", text, encoding))
    reference = parse_file(SEED_2021)
    assert record["status"] == "published"
    assert [c["value"] for c in record["cells"]] == [c["value"] for c in reference["cells"]]
    assert record["metadata"]["agency_name"] == "济源市人民政府办公室"
    assert record["source"]["encoding"] == {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, "gbk")


def test_gb18030_only_characters_are_read(tmp_path):
    text = SEED_2021.read_text("utf-8").replace("六、其他需要报告的事项", "六、其他需要报告的事项\n附：㐀㐁𠀀")
    record = parse_file(write(tmp_path, "gb18030.txt", text, "gb18030"))
    assert record["source"]["encoding"] == "gb18030"
    assert "𠀀" in record["narrative"]["6"][-1]["text"]


def test_undecodable_bytes_are_rejected_with_the_file_name(tmp_path):
    record = parse_file(write(tmp_path, "broken.txt", "报告".encode() + b"\xff\xfe\xfa\xfb\x81" * 3 + b"\x80"))
    assert record["status"] == "rejected"
    assert re.search(r"broken\.txt.*(UTF-8|GBK)", errors(record)[0]["message"])


def test_html_markup_left_in_crawled_text_is_read(tmp_path):
    """Crawled text with tags and entities left in: cells become cells, tags vanish."""
    lines = SEED_2021.read_text("utf-8").split("\n")
    marked = []
    for line in lines:
        if "\t" in line:
            cells = "".join(f"<td>{c}</td>" for c in line.split("\t"))
            marked.append(f"<tr>{cells}</tr>")
        else:
            marked.append(f"<p>{line.replace(' ', '&nbsp;')}</p>" if line else "<br/>")
    record = parse_file(write(tmp_path, "tagged.txt", "\n".join(marked)))
    reference = parse_file(SEED_2021)
    assert record["status"] == "published", errors(record)
    assert [c["value"] for c in record["cells"]] == [c["value"] for c in reference["cells"]]
    assert record["metadata"]["agency_name"] == "济源市人民政府办公室"


def test_a_row_left_out_is_a_gap_in_any_section(tmp_path):
    text = SEED_2021.read_text("utf-8").replace("规章\t0\t0\t0\n", "")
    record = parse_file(write(tmp_path, "no_rule_row.txt", text))
    assert record["status"] == "published_with_gaps"
    [warning] = [p for p in record["problems"] if p["code"] == "rows_not_found"]
    assert warning["severity"] == "warning" and "regulation" in warning["message"]
    assert all(c["flag"] == "not_found" for c in record["cells"] if c["row_code"] == "regulation")

    text = SEED_2021.read_text("utf-8").replace("\t\t8. 属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n", "")
    record = parse_file(write(tmp_path, "no_3_3_8.txt", text))
    assert record["status"] == "published_with_gaps" and not errors(record)
    assert any(p["code"] == "rows_not_found" and p["row_code"] == "3.3.8" for p in record["problems"])
    assert all(c["value"] is None and c["flag"] == "not_found" for c in record["cells"] if c["row_code"] == "3.3.8")
    assert values_outside(record, {"3.3.8"}) == values_outside(parse_file(SEED_2021), {"3.3.8"})


def test_a_report_without_the_requests_table_is_rejected(tmp_path):
    """Section 三 is what a report is for: a complete text with none of its table's rows is not usable."""
    lines = SEED_2021.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    kept = lines[: start + 1] + ["（本部分表格未能显示）"] + lines[end:]
    record = parse_file(write(tmp_path, "no_requests.txt", "\n".join(kept)))
    assert record["status"] == "rejected"
    assert [p["code"] for p in errors(record)] == ["requests_not_found"]
    assert "no_requests.txt" in errors(record)[0]["message"]


def test_a_missing_section_4_is_a_gap_when_the_text_goes_on(tmp_path):
    lines = SEED_2021.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开"))
    end = next(i for i, line in enumerate(lines) if line.startswith("五、"))
    record = parse_file(write(tmp_path, "no_appeals.txt", "\n".join(lines[:start] + lines[end:])))
    assert record["status"] == "published_with_gaps", errors(record)
    appeals = [c for c in record["cells"] if c["table"] == "appeals"]
    assert len(appeals) == 15 and all(c["value"] is None and c["flag"] == "not_found" for c in appeals)
    assert any(p["code"] == "section_missing" and p["section"] == "4" for p in record["problems"])


def test_numbers_followed_by_words_are_text_not_cells(tmp_path):
    """A sentence inside a table section: "2025年", "15件", "12月" are the text's, never a stray cell."""
    text = SEED_2021.read_text("utf-8")
    row = "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0\t\n"
    assert row in text
    text = text.replace(row, row + "2025年，本机关共收到咨询15件，已于12月办结，涉及3个部门。\n")
    record = parse_file(write(tmp_path, "sentence.txt", text))
    assert record["status"] == "published", record["problems"]
    assert record["audit"]["unplaced_numbers"] == []
    assert [c["value"] for c in record["cells"]] == [c["value"] for c in parse_file(SEED_2021)["cells"]]


def test_a_money_cell_glued_to_a_year_keeps_its_digits(tmp_path):
    """ "行政事业性收费0" then "2025年…" on one line: the fee is 0, 2025年 is narrative."""
    text = SEED_2021.read_text("utf-8")
    fee = next(line for line in text.split("\n") if line.startswith("行政事业性收费"))
    glued = fee.rstrip() + "2025年，本机关继续做好收费公示。"
    record = parse_file(write(tmp_path, "fee.txt", text.replace(fee, glued)))
    reference = parse_file(SEED_2021)
    assert [c["value"] for c in record["cells"]] == [c["value"] for c in reference["cells"]]
    assert record["status"] == "published", record["problems"]


def test_cells_run_into_a_count_of_the_text_leave_the_row_unread(tmp_path):
    """ "…继续办理0000000" + "15件…" glued: where the cells end is not known; the row is unread, not read as 0 or not printed."""
    text = SEED_2021.read_text("utf-8")
    row = "四、结转下年度继续办理\t\t0\t0\t0\t0\t0\t0\t0\t\n"
    text = text.replace(row, "四、结转下年度继续办理000000015件申请已于次年办结。\n")
    record = parse_file(write(tmp_path, "glued.txt", text))
    assert record["status"] == "published_with_gaps"
    cells = [c for c in record["cells"] if c["table"] == "requests" and c["row_code"] == "4"]
    assert {(c["value"], c["flag"]) for c in cells} == {(None, "unread")}
    assert values_outside(record, {"4"}) == values_outside(parse_file(SEED_2021), {"4"})


def change_cells(record, row):
    return [(c["column_code"], c["value"], c["text"]) for c in record["cells"] if c["table"] == "proactive" and c["row_code"] == row]


@pytest.mark.parametrize(
    "printed, value",
    [("减4", -4), ("减少4", -4), ("减 4", -4), ("增3", 3), ("增加3", 3), ("-4", -4), ("+3", 3)],
)
def test_a_change_printed_in_words_keeps_its_sign(tmp_path, printed, value):
    """本年增/减 printed "减4" is −4, not +4 with the 减 lost in the label; the cell keeps "减4" as its text."""
    text = SEED_2019.read_text("utf-8")
    assert "行政许可 0 0 0\n" in text and "行政处罚 0 0 0\n" in text
    # one row space-separated, the other one cell per line with pipes, as crawled pages print it
    text = text.replace("行政许可 0 0 0\n", f"行政许可 6 {printed} 2\n")
    text = text.replace("行政处罚 0 0 0\n", f"行政处罚 |\n6 |\n{printed} |\n2 |\n")
    record = parse_file(write(tmp_path, "change.txt", text))
    assert record["status"] == "published", errors(record)
    for row in ("licensing", "punishment"):
        assert change_cells(record, row) == [
            ("previous_year_item_count", 6, "6"),
            ("change_count", value, printed),
            ("decision_count", 2, "2"),
        ]
    assert values_outside(record, {"licensing", "punishment"}) == values_outside(parse_file(SEED_2019), {"licensing", "punishment"})


def test_zeng_and_jian_inside_words_are_not_signs(tmp_path):
    """增/减 only signs a number that starts a cell: not in a label word, not before a count of the text, not in a count column."""
    text = SEED_2019.read_text("utf-8")
    text = text.replace(
        "本年增/减 处理决定数量\n\n行政许可 0 0 0\n", "本年增减 处理决定数量\n\n行政许可 6 减4 2\n较上年 减少3件， 增加 15%。\n", 1
    )
    text = text.replace("（一）予以公开 6 0 0 0 0 0 6", "（一）予以公开 减6 0 0 0 0 0 6")
    record = parse_file(write(tmp_path, "words.txt", text))
    assert change_cells(record, "licensing") == [
        ("previous_year_item_count", 6, "6"),
        ("change_count", -4, "减4"),
        ("decision_count", 2, "2"),
    ]
    assert record["audit"]["unplaced_numbers"] == []  # 减少3件 and 增加 15% are the text's
    # a count printed with 减 is not a count: not published, as printed in its text
    [natural] = [c for c in record["cells"] if c["row_code"] == "3.1" and c["column_code"] == "natural_person"]
    assert (natural["value"], natural["flag"], natural["text"]) == (None, "invalid_number", "减6")
    assert record["status"] == "published_with_gaps"


def row_cells(record, table, row):
    return [(c["value"], c["flag"]) for c in record["cells"] if c["table"] == table and c["row_code"] == row]


def test_blank_cells_printed_as_lone_pipe_lines_are_blank_cells(tmp_path):
    """A crawled page prints a table one cell per line, each ending in '|', a blank cell as '|' alone, and '||' after a row."""
    text = SEED_2021.read_text("utf-8")
    first, second = (
        "一、本年新收政府信息公开申请数量\t\t16\t0\t0\t0\t2\t0\t18\t\n",
        "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t\n",
    )
    assert first in text and second in text
    text = text.replace(first, "一、本年新收政府信息公开申请数量 |\n16 |\n|\n|\n|\n2 |\n|\n18 |\n||\n")
    text = text.replace(second, "二、上年结转政府信息公开申请数量 |\n" + "|\n" * 7 + "||\n")
    record = parse_file(write(tmp_path, "pipes.txt", text))
    assert record["status"] == "published", record["problems"]
    blank = (None, "blank")
    assert row_cells(record, "requests", "1") == [(16, None), blank, blank, blank, (2, None), blank, (18, None)]
    assert row_cells(record, "requests", "2") == [blank] * 7  # printed blank: not "not printed", never 0
    assert values_outside(record, {"1", "2"}) == values_outside(parse_file(SEED_2021), {"1", "2"})


def test_a_lone_pipe_line_that_starts_every_row_is_not_a_cell(tmp_path):
    """Pages that start each row with a '|' line: before the next label, a lone '|' is that row's, not a blank cell."""
    text = SEED_2021.read_text("utf-8")
    rows = "规章\t0\t0\t0\n行政规范性文件\t26\t34\t211\n"
    assert rows in text
    marked = parse_file(
        write(tmp_path, "marked.txt", text.replace(rows, "|\n规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n26 |\n34 |\n211 |\n|\n"))
    )
    assert row_cells(marked, "proactive", "regulation") == [(0, None), (0, None), (None, "blank")]
    assert row_cells(marked, "proactive", "normative_document") == [(26, None), (34, None), (211, None)]
    assert marked["status"] == "published", marked["problems"]
    # one cell short, or one line too many without the row marks: no reading, never a blank filled
    short = parse_file(write(tmp_path, "short.txt", text.replace(rows, "|\n规章 |\n0 |\n|\n|\n行政规范性文件 |\n26 |\n34 |\n211 |\n|\n")))
    extra = parse_file(write(tmp_path, "extra.txt", text.replace(rows, "规章 |\n0 |\n0 |\n|\n|\n行政规范性文件 |\n26 |\n34 |\n211 |\n")))
    for record in (short, extra):
        assert "regulation" in unread_rows(record) and record["status"] == "published_with_gaps"
        assert row_cells(record, "proactive", "regulation") == [(None, "unread")] * 3
        assert row_cells(record, "proactive", "normative_document") == [(26, None), (34, None), (211, None)]
