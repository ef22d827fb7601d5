"""The PDF reader: ruled tables as cells, text lines with their page, page furniture dropped, scans read by OCR."""

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPORTS
from golden_compare import differences
from pypdf import PdfWriter
from report_builders import budget_lines, cell_values, cjk_pdf, error_codes, load_golden, pre_template_lines, wrap

from ogi.document import UnreadableInput
from ogi.extract import read
from ogi.extract.pdf import _lines, _Page, _Table, read_pdf_bytes
from ogi.parse import parse_file
from ogi.record import validate

HUAIAN_PDF = REPORTS / "samples/huaian_szf_2024.pdf"
HUAIAN_TXT = REPORTS / "samples/huaian_szf_2024.txt"
BUDGET_PDF = REPORTS / "samples/rejected/putuo_welfare_home_budget_2024.pdf"


@pytest.fixture(scope="module")
def huaian():
    record = parse_file(HUAIAN_PDF, root=REPORTS)
    validate(record)
    return record


@pytest.fixture(scope="module")
def huaian_doc():
    return read(HUAIAN_PDF)


def test_huaian_pdf_gives_the_hand_read_values(huaian):
    assert differences(huaian, load_golden("samples/huaian_szf_2024.pdf")) == []
    assert sum(c["value"] is not None for c in huaian["cells"]) == 200
    assert huaian["problems"] == []


def test_huaian_pdf_and_its_text_give_the_same_numbers(huaian):
    text = parse_file(HUAIAN_TXT, root=REPORTS)
    assert cell_values(text) == cell_values(huaian)
    assert {c["rule"] for c in huaian["checks"] if c["status"] != "pass"} == set()


def test_cells_come_from_the_tables_with_their_page(huaian):
    cells = {(c["table"], c["row_code"], c["column_code"]): c for c in huaian["cells"]}
    assert cells[("proactive", "punishment", "decision_count")]["source"] == {"page": 4, "table": 1, "row": 10, "column": 2}
    assert cells[("requests", "3.4.1", "total")]["source"] == {"page": 4, "table": 2, "row": 16, "column": 10}
    assert cells[("requests", "3.4.2", "natural_person")]["source"] == {"page": 5, "table": 2, "row": 17, "column": 4}
    assert cells[("appeals", "litigation_after_review", "total")]["source"] == {"page": 5, "table": 3, "row": 4, "column": 15}


def test_page_numbers_are_dropped_and_tables_joined_across_pages(huaian_doc):
    texts = [line.text for line in huaian_doc.lines]
    assert not any(t.strip().startswith("- ") and t.strip().endswith(" -") for t in texts)
    assert [f["text"] for f in huaian_doc.meta["page_furniture"]] == [f"- {n} -" for n in range(1, 7)]
    tables = {}
    for line in huaian_doc.lines:
        if line.cells is not None:
            tables.setdefault(line.loc["table"], []).append((line.loc["page"], line.loc["row"]))
    assert sorted(tables) == [1, 2, 3]
    assert {page for page, _ in tables[1]} == {3, 4} and {page for page, _ in tables[2]} == {4, 5}
    for rows in tables.values():
        numbers = [row for _, row in rows]
        assert numbers == sorted(set(numbers))  # one run of rows, not restarted on the next page
    assert huaian_doc.meta["tables_joined_across_pages"] == [{"table": 1, "page": 4}, {"table": 2, "page": 5}]


def test_text_framed_by_a_box_is_text_not_a_table(huaian_doc):
    first = [line for line in huaian_doc.lines if line.loc["page"] == 1]
    assert all(line.cells is None for line in first)
    assert first[0].text == "淮安市人民政府" and first[2].text.startswith("本报告由淮安市人民政府办公室")


def test_merged_cells_appear_once(huaian_doc):
    rows = {line.loc["row"]: line.cells for line in huaian_doc.lines if line.cells is not None and line.loc["table"] == 2}
    assert rows[3] == ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert rows[6][:2] == ["三、本年度办理结果", "（一）予以公开"]
    assert rows[9][:3] == ["", "", "2.其他法律行政法规禁止公开"]
    assert rows[4] == ["一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119"]


def test_budget_is_rejected_as_not_a_report():
    record = parse_file(BUDGET_PDF, root=REPORTS)
    assert record["status"] == "rejected" and error_codes(record) == ["not_a_report"]


def test_budget_as_text_is_rejected_too(tmp_path):
    path = tmp_path / "budget.txt"
    path.write_text("\n".join(budget_lines()), "utf-8")
    assert error_codes(parse_file(path)) == ["not_a_report"]


def test_pre_2019_report_as_pdf_is_rejected(tmp_path):
    lines = [piece for line in pre_template_lines() for piece in wrap(line)]
    path = tmp_path / "pingtan_2018.pdf"
    path.write_bytes(cjk_pdf([lines[i : i + 44] for i in range(0, len(lines), 44)]))
    assert read(path).lines[0].text == "平潭综合实验区2018年度政府信息公开工作年度报告"
    record = parse_file(path)
    assert record["status"] == "rejected" and error_codes(record) == ["pre_template"]
    assert record["metadata"]["report_year"] == 2018


def test_encrypted_pdf_says_so(tmp_path):
    writer = PdfWriter(clone_from=HUAIAN_PDF)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableInput) as e:
        read_pdf_bytes("locked.pdf", buf.getvalue())
    assert e.value.code == "encrypted_pdf" and "locked.pdf" in e.value.message


def test_damaged_pdf_says_so():
    for data in (b"%PDF-1.4\nnot really a pdf", HUAIAN_PDF.read_bytes()[:40000]):
        with pytest.raises(UnreadableInput) as e:
            read_pdf_bytes("damaged.pdf", data)
        assert e.value.code == "corrupt_file" and "damaged.pdf" in e.value.message


def _scan(pages: list[int], path: Path, dpi: int = 200) -> Path:
    """A scanned copy of some of the report's pages: images only, no text layer."""
    with pdfplumber.open(HUAIAN_PDF) as pdf:
        images = [pdf.pages[i - 1].to_image(resolution=dpi).original.convert("L") for i in pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    return path


def test_scanned_pdf_without_ocr_is_refused_with_the_reason(tmp_path):
    scan = _scan([4], tmp_path / "scan.pdf", dpi=72)
    code = f"from ogi.parse import parse_file; r = parse_file({str(scan)!r}); print(r['status']); print(r['problems'][0]['code']); print(r['problems'][0]['message'])"
    env = {**os.environ, "PATH": str(tmp_path / "no-tools")}  # tesseract cannot be found
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout.splitlines()
    assert out[:2] == ["rejected", "scanned_pdf"]
    assert "no text layer" in out[2] and "tesseract" in out[2] and "scan.pdf" in out[2]


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed (scripts/install_system_deps.sh)")
def test_scanned_pdf_is_read_by_ocr_into_table_cells_marked_ocr(tmp_path):
    doc = read(_scan([4], tmp_path / "scan.pdf", dpi=300))
    assert doc.meta["ocr_pages"] == [1] and [f["text"] for f in doc.meta["page_furniture"]] == ["-4 -"]
    assert doc.lines and all(line.ocr and line.loc["ocr"] for line in doc.lines)
    assert all(loc["ocr"] for line in doc.lines if line.cells for loc in line.cell_locs)
    rows = {line.cells[0]: line.cells[1:] for line in doc.lines if line.cells}
    assert rows["行政处罚"] == ["3985758"] and rows["行政强制"] == ["88283"] and rows["行政事业性收费"] == ["96171.6"]
    assert rows["一、本年新收政府信息公开申请数量"] == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert "三、收到和处理政府信息公开申请情况" in [line.text for line in doc.lines if line.cells is None]


def test_row_cut_by_a_page_break_is_joined_and_repeated_header_dropped():
    header = [("项目", 1), ("自然人", 2), ("总计", 3)]
    page_1 = _Page(
        1,
        items=[
            (100.0, "table", _Table(100.0, (70, 100, 520, 800), [header, [("1.本机关不掌握相关政", 1), ("746", 2), ("769", 3)]], 3), False)
        ],
    )
    page_2 = _Page(
        2,
        items=[
            (
                80.0,
                "table",
                _Table(
                    80.0,
                    (70, 80, 520, 300),
                    [header, [("府信息", 1), ("", 2), ("", 3)], [("2.没有现成信息需要另行制作", 1), ("11", 2), ("11", 3)]],
                    3,
                ),
                False,
            ),
            (320.0, "text", "五、存在的主要问题及改进情况", False),
        ],
    )
    meta = {}
    lines = _lines([page_1, page_2], meta)
    assert [line.cells for line in lines if line.cells] == [
        ["项目", "自然人", "总计"],
        ["1.本机关不掌握相关政府信息", "746", "769"],
        ["2.没有现成信息需要另行制作", "11", "11"],
    ]
    assert [line.loc for line in lines] == [
        {"page": 1, "table": 1, "row": 1},
        {"page": 1, "table": 1, "row": 2},
        {"page": 2, "table": 1, "row": 3},  # rows of the joined table: the cut row counts once
        {"page": 2, "line": 1},
    ]
    assert meta == {"rows_joined_across_pages": [{"table": 1, "page": 2}], "tables_joined_across_pages": [{"table": 1, "page": 2}]}


def test_next_row_after_a_page_break_is_not_joined():
    page_1 = _Page(
        1, items=[(100.0, "table", _Table(100.0, (70, 100, 520, 800), [[("4.保护第三方合法权益", 1), ("", 2), ("", 3)]], 3), False)]
    )
    page_2 = _Page(
        2, items=[(80.0, "table", _Table(80.0, (70, 80, 520, 300), [[("5.属于三类内部事务信息", 1), ("7", 2), ("8", 3)]], 3), False)]
    )
    cells = [line.cells for line in _lines([page_1, page_2], {})]
    assert cells == [["4.保护第三方合法权益", "", ""], ["5.属于三类内部事务信息", "7", "8"]]
