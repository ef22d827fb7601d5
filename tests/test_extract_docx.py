"""The DOCX reader, on Word files built from hand-read golden records: same numbers back, merged cells once, body order kept."""

import zipfile

import docx
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
    to_docx,
)

from ogi.document import UnreadableInput
from ogi.extract import read
from ogi.extract.docx import read_docx_bytes
from ogi.parse import parse_file
from ogi.record import validate

HUAIAN_TITLE = "淮安市人民政府2024年政府信息公开工作年度报告"
PINGTAN_TITLE = "平潭综合实验区2021年度政府信息公开工作年度报告"


def _parse(path):
    record = parse_file(path)
    validate(record)
    return record


@pytest.fixture(scope="module")
def huaian_docx(tmp_path_factory):
    return to_docx(report_blocks(load_golden("samples/huaian_szf_2024.pdf"), HUAIAN_TITLE), tmp_path_factory.mktemp("docx") / "huaian.docx")


@pytest.mark.parametrize(
    "golden, title",
    [("samples/huaian_szf_2024.pdf", HUAIAN_TITLE), ("samples/pingtan_2021.html", PINGTAN_TITLE)],
    ids=["huaian", "pingtan"],
)
def test_docx_from_golden_values_parses_back_to_them(golden, title, tmp_path):
    expected = load_golden(golden)
    record = _parse(to_docx(report_blocks(expected, title), tmp_path / "report.docx"))
    assert record["source"]["format"] == "docx"
    assert differences(record, expected) == []
    assert sum(c["value"] is not None for c in record["cells"]) == len(expected_cells(expected)) == 200


def test_docx_and_pdf_give_the_same_numbers(huaian_docx):
    assert cell_values(_parse(huaian_docx)) == cell_values(parse_file(REPORTS / "samples/huaian_szf_2024.pdf"))


def test_cells_keep_table_row_and_column(huaian_docx):
    cells = {(c["table"], c["row_code"], c["column_code"]): c for c in _parse(huaian_docx)["cells"]}
    assert cells[("proactive", "normative_document", "repealed_count")]["source"] == {"table": 1, "row": 4, "column": 3}
    assert cells[("requests", "3.3.2", "total")]["source"] == {"table": 2, "row": 9, "column": 10}
    assert cells[("appeals", "review", "total")]["source"] == {"table": 3, "row": 4, "column": 5}


def test_merged_cells_appear_once(huaian_docx):
    rows = {(line.loc["table"], line.loc["row"]): line.cells for line in read(huaian_docx).lines if line.cells is not None}
    assert rows[(1, 1)] == ["第二十条第（一）项"]  # one cell merged across the row
    assert rows[(1, 7)] == ["行政许可", "447228"]  # the value spans three columns: once
    assert rows[(2, 2)] == ["", "自然人", "法人或其他组织", "总计"]
    assert rows[(2, 3)] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert rows[(2, 6)][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert rows[(2, 9)][:3] == ["", "", "2.其他法律行政法规禁止公开"]  # vertical merges continue as ""
    grid = {
        (line.loc["table"], line.loc["row"]): [loc["column"] for loc in line.cell_locs] for line in read(huaian_docx).lines if line.cells
    }
    assert grid[(2, 9)] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] and grid[(1, 7)] == [1, 2]


def test_paragraphs_and_tables_in_body_order(huaian_docx):
    order = [f"table {line.loc['table']}" if line.cells is not None else line.text for line in read(huaian_docx).lines]
    compact = [x for i, x in enumerate(order) if i == 0 or x != order[i - 1]]
    assert compact[4:12] == [
        "二、主动公开政府信息情况",
        "table 1",
        "三、收到和处理政府信息公开申请情况",
        "table 2",
        "四、政府信息公开行政复议、行政诉讼情况",
        "table 3",
        "五、存在的主要问题及改进情况",
        "政策解读质量仍需提升。",
    ]


def test_blank_and_marked_cells_are_kept(tmp_path):
    expected = load_golden("samples/huaian_szf_2024.pdf")
    path = to_docx(report_blocks(expected, HUAIAN_TITLE, blank={("3.5.4", "other_org")}), tmp_path / "blank.docx")
    document = docx.Document(path)
    document.tables[1].cell(21, 4).text = "/"  # 三（五）4 商业企业 printed as "/"
    document.save(path)
    cells = {(c["row_code"], c["column_code"]): c for c in _parse(path)["cells"] if c["table"] == "requests"}
    assert (cells[("3.5.4", "other_org")]["value"], cells[("3.5.4", "other_org")]["flag"]) == (None, "blank")
    assert (
        cells[("3.5.4", "commercial_enterprise")]["value"],
        cells[("3.5.4", "commercial_enterprise")]["flag"],
        cells[("3.5.4", "commercial_enterprise")]["text"],
    ) == (None, "blank_mark", "/")
    assert cells[("3.5.4", "natural_person")]["value"] == 0 and cells[("3.5.5", "natural_person")]["value"] == 1


def test_one_column_table_is_read_as_paragraphs(tmp_path):
    blocks = [("table", [[Cell(HUAIAN_TITLE)], [Cell("本报告由淮安市人民政府办公室编制。")]])]
    lines = read(to_docx(blocks, tmp_path / "framed.docx")).lines
    assert [(line.text, line.cells) for line in lines] == [(HUAIAN_TITLE, None), ("本报告由淮安市人民政府办公室编制。", None)]


@pytest.mark.parametrize(
    "lines, code", [(pre_template_lines(), "pre_template"), (budget_lines(), "not_a_report")], ids=["pre_2019_report", "budget"]
)
def test_non_reports_are_rejected_with_their_reason(lines, code, tmp_path):
    record = _parse(to_docx(text_blocks(lines), tmp_path / f"{code}.docx"))
    assert record["status"] == "rejected" and code in error_codes(record)


def test_a_zip_that_is_not_a_word_file_says_so(tmp_path):
    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "not a document")
    record = parse_file(path)
    assert record["status"] == "rejected" and error_codes(record) == ["not_docx"]


def test_damaged_docx_says_so(huaian_docx):
    with pytest.raises(UnreadableInput) as e:
        read_docx_bytes("damaged.docx", huaian_docx.read_bytes()[:3000])
    assert e.value.code == "corrupt_file" and "damaged.docx" in e.value.message
