"""The HTML reader: a saved government page and bare fragments → table rows with cells, paragraphs in order."""

import pytest
from conftest import REPORTS
from golden_compare import differences, expected_cells
from report_builders import (
    Cell,
    budget_lines,
    cell_values,
    error_codes,
    load_golden,
    pre_template_lines,
    report_blocks,
    text_blocks,
    to_html,
)

from ogi.document import UnreadableInput
from ogi.extract import read
from ogi.extract.html import read_html_bytes
from ogi.parse import parse_file
from ogi.record import validate
from ogi.template import load

PINGTAN_HTML = REPORTS / "samples/pingtan_2021.html"
PINGTAN_TXT = REPORTS / "samples/pingtan_2021.txt"


@pytest.fixture(scope="module")
def pingtan():
    record = parse_file(PINGTAN_HTML, root=REPORTS)
    validate(record)
    return record


def test_pingtan_page_gives_the_hand_read_values(pingtan):
    golden = load_golden("samples/pingtan_2021.html")
    assert differences(pingtan, golden) == []
    assert len(expected_cells(golden)) == 200
    assert pingtan["status"] == "published" and pingtan["metadata"]["report_year"] == 2021


def test_pingtan_page_splits_the_row_the_crawler_text_cannot(pingtan):
    cells = {(c["row_code"], c["column_code"]): c for c in pingtan["cells"] if c["table"] == "proactive"}
    row = [cells[("normative_document", col)] for col in ("issued_count", "repealed_count", "in_force_count")]
    assert [c["value"] for c in row] == [69, 3, 665]
    assert all(c["flag"] is None for c in row)
    assert [c["source"] for c in row] == [{"table": 1, "row": 4, "column": col} for col in (2, 3, 4)]
    fee = cells[("fee", "fee_amount")]
    assert fee["value"] == pytest.approx(24252.311082) and fee["unit"] == "万元"


def test_pingtan_page_and_crawler_text_give_the_same_numbers(pingtan):
    text = parse_file(PINGTAN_TXT, root=REPORTS)
    html_values = cell_values(pingtan)
    ambiguous = {(c["table"], c["row_code"], c["column_code"]) for c in text["cells"] if c["flag"] == "ambiguous"}
    assert ambiguous == {("proactive", "normative_document", col) for col in ("issued_count", "repealed_count", "in_force_count")}
    for key, value in cell_values(text).items():
        if key not in ambiguous:
            assert html_values[key] == value, key


def test_pingtan_page_furniture_is_dropped():
    doc = read(PINGTAN_HTML)
    text = "\n".join(line.text for line in doc.lines)
    assert doc.lines[0].text == "平潭综合实验区2021年度政府信息公开工作年度报告"
    for furniture in ("当前位置", "网站标识码", "主办单位", "闽政通APP", "长者模式", "相关链接", "ms-", "function"):
        assert furniture not in text
    assert doc.meta["source_url"] == "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm"
    assert doc.meta["published"] == "2022-02-08 16:34"
    assert doc.encoding == "utf-8" and doc.meta["tables"] == 3
    assert [line.text for line in doc.lines if line.cells is None][-2:] == ["六、其他需要报告的事项", "2021年，无收取信息处理费情况。"]


def test_paragraphs_and_tables_keep_document_order():
    doc = read(PINGTAN_HTML)
    order = [("table", line.loc["table"]) if line.cells is not None else line.text for line in doc.lines]
    heading_2 = order.index("二、主动公开政府信息情况")
    heading_3 = order.index("三、收到和处理政府信息公开申请情况")
    heading_4 = order.index("四、政府信息公开行政复议、行政诉讼情况")
    assert set(order[heading_2 + 1 : heading_3]) == {("table", 1)}
    assert set(order[heading_3 + 1 : heading_4]) == {("table", 2)}
    assert order[heading_4 + 1] == ("table", 3)


def test_merged_cells_appear_once():
    page = """<table>
      <tr><td rowspan="3" colspan="2">说明</td><td colspan="3">申请人情况</td></tr>
      <tr><td rowspan="2">自然人</td><td colspan="2">法人或其他组织</td></tr>
      <tr><td>商业企业</td><td>其他</td></tr>
      <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>5</td><td colspan="2">7</td></tr>
      <tr><td>（二）部分公开</td><td>&nbsp;</td><td>1</td><td>2</td></tr>
    </table>"""
    doc = read_html_bytes("merged.html", page.encode())
    assert [line.cells for line in doc.lines] == [
        ["说明", "申请人情况"],
        ["", "自然人", "法人或其他组织"],
        ["", "", "商业企业", "其他"],
        ["三、本年度办理结果", "（一）予以公开", "5", "7"],
        ["", "（二）部分公开", "", "1", "2"],
    ]
    assert [loc["column"] for loc in doc.lines[3].cell_locs] == [1, 2, 3, 4]
    assert doc.lines[4].cell_locs[2] == {"table": 1, "row": 5, "column": 3}


def test_bare_fragment_gives_the_hand_read_values():
    golden = load_golden("samples/huaian_szf_2024.pdf")
    fragment = to_html(report_blocks(golden, "淮安市人民政府2024年政府信息公开工作年度报告"), page=False)
    assert "<html" not in fragment
    record = _parse_html(fragment.encode("utf-8"), "fragment.html")
    assert differences(record, golden) == []


def test_gbk_page_with_site_furniture_gives_the_hand_read_values():
    golden = load_golden("samples/huaian_szf_2024.pdf")
    page = to_html(report_blocks(golden, "淮安市人民政府2024年政府信息公开工作年度报告"), charset="gb2312", furniture=True)
    data = page.encode("gb18030")
    doc = read_html_bytes("gbk.html", data)
    assert doc.encoding == "gb18030"
    text = "\n".join(line.text for line in doc.lines)
    assert "网站标识码" not in text and "当前位置" not in text and "var x" not in text
    assert differences(_parse_html(data, "gbk.html"), golden) == []


def test_report_in_an_aspnet_form_with_html5_furniture_and_links_to_other_years():
    golden = load_golden("samples/huaian_szf_2024.pdf")
    body = to_html(report_blocks(golden, "淮安市人民政府2024年政府信息公开工作年度报告")[1:], page=False)
    page = (
        '<html><head><meta charset="utf-8"><title>首页</title></head><body><form id="form1" method="post">'
        "<header><nav><a>首页</a><a>政务公开</a></nav></header>"
        '<div class="sidebar"><ul><li><a href="2023.htm">淮安市人民政府2023年政府信息公开工作年度报告</a></li></ul></div>'
        '<div class="main"><h1 class="title">淮安市人民政府2024年政府信息公开工作年度报告</h1>'
        f'<div class="TRS_Editor">{body}</div><div class="share">分享到：微信 微博</div></div>'
        "<footer>版权所有：淮安市人民政府办公室</footer></form></body></html>"
    )
    doc = read_html_bytes("aspnet.html", page.encode())
    texts = [line.text for line in doc.lines]
    assert texts[0] == "淮安市人民政府2024年政府信息公开工作年度报告" and doc.meta["title"] == texts[0]
    assert not any(word in text for text in texts for word in ("2023年", "分享到", "版权所有", "政务公开"))
    assert differences(_parse_html(page.encode(), "aspnet.html"), golden) == []


def test_real_page_saved_as_gbk_gives_the_same_numbers(pingtan):
    page = PINGTAN_HTML.read_bytes().decode("utf-8").replace('<meta charset="utf-8"', '<meta charset="gbk"')
    record = _parse_html(page.encode("gbk"), "pingtan_gbk.html")
    assert record["source"]["encoding"] == "gb18030"
    assert cell_values(record) == cell_values(pingtan)


def test_blank_cells_stay_blank():
    golden = load_golden("samples/huaian_szf_2024.pdf")
    blocks = report_blocks(golden, "淮安市人民政府2024年政府信息公开工作年度报告", blank={("3.5.3", "research_institution")})
    record = _parse_html(to_html(blocks).encode(), "blank.html")
    cell = next(c for c in record["cells"] if (c["row_code"], c["column_code"]) == ("3.5.3", "research_institution"))
    assert cell["value"] is None and cell["flag"] == "blank"
    assert [d for d in differences(record, golden) if "failed rules" not in d] == [
        "第三部分 (requests) row 3.5.3 column research_institution: got None (printed ''), expected 0"
    ]


def test_an_empty_last_cell_and_a_row_of_empty_cells_are_blank_cells():
    """<td></td> at the end of a row, and a row with nothing in any cell: as real pages print zeros."""
    golden = load_golden("samples/huaian_szf_2024.pdf")
    columns = list(load("2021")["tables"]["requests"]["columns"])
    blanks = {("3.1", "total")} | {("3.3.2", c) for c in columns}
    record = _parse_html(
        to_html(report_blocks(golden, "淮安市人民政府2024年政府信息公开工作年度报告", blank=blanks)).encode(), "blanks.html"
    )
    assert record["status"] == "published", [p["message"] for p in record["problems"]]
    cells = {(c["row_code"], c["column_code"]): c for c in record["cells"] if c["table"] == "requests"}
    assert all(cells[ref]["value"] is None and cells[ref]["flag"] == "blank" for ref in blanks)
    wrong = [d for d in differences(record, golden) if "failed rules" not in d]
    assert len(wrong) == len(blanks) and all("got None (printed '')" in d for d in wrong)


@pytest.mark.parametrize(
    "lines, code",
    [(pre_template_lines(), "pre_template"), (budget_lines(), "not_a_report")],
    ids=["pre_2019_report", "budget"],
)
def test_non_reports_are_rejected_with_their_reason(lines, code):
    record = _parse_html(to_html(text_blocks(lines), furniture=True).encode(), f"{code}.html")
    assert record["status"] == "rejected"
    assert code in error_codes(record)


def test_table_with_cells_for_a_budget_still_rejected():
    blocks = text_blocks(budget_lines()[:5]) + [("table", [[Cell("项目"), Cell("金额")], [Cell("一般公共预算"), Cell("1234.5")]])]
    record = _parse_html(to_html(blocks).encode(), "budget_table.html")
    assert error_codes(record) == ["not_a_report"]


def test_page_without_text_is_unreadable():
    with pytest.raises(UnreadableInput) as e:
        read_html_bytes("empty.html", b"<html><head><script>var a=1;</script></head><body><img src=x></body></html>")
    assert e.value.code == "empty_html" and "empty.html" in e.value.message


def _parse_html(data: bytes, name: str) -> dict:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        record = parse_file(path)
    validate(record)
    return record
