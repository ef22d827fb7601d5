"""OCR'd numbers are ours to doubt: a cell read by OCR is kept only when the rules vouch for it.

The bundled PDF's table pages (3–5 of reports/samples/huaian_szf_2024.pdf) are
rendered to images with pypdfium2 and saved as an image-only PDF with Pillow;
tesseract reads them back. Whatever OCR misreads, no value in the record may
differ from the hand-read golden: every cell equals it, or is null and flagged.
"""

import json
import shutil
import time

import pypdfium2
import pytest
from conftest import GOLDEN, REPORTS
from golden_compare import expected_cells

from ogi import extract
from ogi.parse import parse_document, parse_file

HUAIAN_PDF = REPORTS / "samples" / "huaian_szf_2024.pdf"
TABLE_PAGES = [3, 4, 5]  # sections 二, 三, 四 and the heading of 五
needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="tesseract is not installed (scripts/install_system_deps.sh)"
)


def golden(name):
    return expected_cells(json.loads((GOLDEN / "samples" / f"{name}.expected.json").read_text("utf-8")))


def image_only_pdf(path, pages, dpi):
    pdf = pypdfium2.PdfDocument(HUAIAN_PDF)
    images = [pdf[i - 1].render(scale=dpi / 72).to_pil().convert("L") for i in pages]
    images[0].save(path, save_all=True, append_images=images[1:], resolution=dpi)
    pdf.close()
    return path


def by_ref(record):
    return {(c["table"], c["row_code"], c["column_code"]): c for c in record["cells"]}


@needs_tesseract
@pytest.mark.parametrize("dpi", [150, 300])
def test_no_ocr_misreading_is_published(tmp_path, dpi):
    scan = image_only_pdf(tmp_path / f"scan_{dpi}.pdf", TABLE_PAGES, dpi)
    start = time.perf_counter()
    record = parse_file(scan)
    seconds = time.perf_counter() - start
    cells, expected = by_ref(record), golden("huaian_szf_2024.pdf")
    assert set(cells) == set(expected)
    assert all((c["source"] or {}).get("ocr") for c in cells.values() if c["source"])
    wrong = {ref: (c["value"], expected[ref]) for ref, c in cells.items() if c["value"] is not None and c["value"] != expected[ref]}
    assert not wrong, f"OCR misreadings published at {dpi} dpi: {wrong}"
    assert all(c["flag"] for c in cells.values() if c["value"] is None)
    published = sum(c["value"] is not None for c in cells.values())
    doubted = [ref for ref, c in cells.items() if c["flag"] == "ocr_doubt"]
    # what the rules vouch for is kept: OCR is not thrown away wholesale
    assert published >= 100 and doubted
    for ref in doubted:
        assert cells[ref]["text"] is not None  # the OCR text is kept
        assert any(p["code"] == "ocr_doubt" and p["row_code"] == ref[1] for p in record["problems"])
    print(f"\n{dpi} dpi: {len(cells)} cells, {published} published, {len(doubted)} doubted (ocr_doubt), OCR + parse {seconds:.1f} s")


def test_ocr_cells_a_failed_rule_runs_through_are_unread():
    """The rule itself, on a text report read as if by OCR, one number misread (53 → 58)."""
    doc = extract.read(REPORTS / "samples" / "huaian_szf_2024.txt")
    for line in doc.lines:
        line.loc["ocr"] = True
    row = next(line for line in doc.lines if line.text.startswith("一、本年新收政府信息公开申请数量"))
    assert " 53 " in row.text
    row.text = row.text.replace(" 53 ", " 58 ", 1)
    record = parse_document(doc)
    cells, expected = by_ref(record), golden("huaian_szf_2024.txt")
    misread = cells[("requests", "1", "commercial_enterprise")]
    assert misread["value"] is None and misread["flag"] == "ocr_doubt" and misread["text"] == "58"
    # the row's and the column's cells the failed rules ran through go with it; nothing wrong stays
    assert cells[("requests", "1", "total")]["flag"] == "ocr_doubt"
    assert all(c["value"] in (None, expected[ref]) for ref, c in cells.items())
    # section 二 has no rules: nothing vouches for an OCR'd number there
    assert all(c["flag"] == "ocr_doubt" for ref, c in cells.items() if ref[0] == "proactive" and c["text"])
    # every other cell of 三 and 四 is vouched for by its rules and kept
    kept = [ref for ref, c in cells.items() if ref[0] != "proactive" and c["value"] is not None]
    assert len(kept) >= 150
    assert not [c for c in record["checks"] if c["status"] == "fail"]


def test_cells_read_from_a_text_layer_are_never_doubted():
    record = parse_file(REPORTS / "samples" / "hongze_qzf_2023.txt")  # two rules fail in the report itself
    assert [c for c in record["checks"] if c["status"] == "fail"]
    assert not [c for c in record["cells"] if c["flag"] == "ocr_doubt"]
