"""A 2021 report printing section 二 with the 2019 table's columns under the 2021 rows.

Section 二 of bundled 2021 reports is replaced, in the test, by the same rows
printed with the 2019 columns (本年新制作数量 / 本年新公开数量 / 对外公开总数量;
上一年项目数量 / 本年增/减 / 处理决定数量) in three layouts. The columns are read
as printed (variant `columns_2019`): every cell right, or empty and flagged —
never a three-cell row's digits in one cell (`行政许可 = 89741888`).
"""

import json
import re

import pytest
from conftest import GOLDEN, REPORTS
from golden_compare import expected_cells

from ogi.extract.text import decode
from ogi.parse import parse_file

# row → (columns, values) as printed
ROWS = {
    "regulation": ("规章", ["made_count", "published_count", "public_total_count"], [0, 0, 0]),
    "normative_document": ("行政规范性文件", ["made_count", "published_count", "public_total_count"], [5, 3, 120]),
    "licensing": ("行政许可", ["previous_year_item_count", "change_count", "decision_count"], [89, 74, 1888]),
    "punishment": ("行政处罚", ["previous_year_item_count", "change_count", "decision_count"], [74, 0, 0]),
    "enforcement": ("行政强制", ["previous_year_item_count", "change_count", "decision_count"], [3, -1, 12]),
    "fee": ("行政事业性收费", ["previous_year_item_count", "change_count"], [2, 0]),
}
GROUPS = [
    ("第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量", ["regulation", "normative_document"]),
    ("第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", ["licensing"]),
    ("第二十条第（六）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", ["punishment", "enforcement"]),
    ("第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", ["fee"]),
]


def section_2(layout: str) -> str:
    lines = []
    for group, header, codes in GROUPS:
        lines += [group, header]
        for code in codes:
            label, _, values = ROWS[code]
            printed = [f"{v:+d}" if v < 0 else str(v) for v in values]
            if layout == "tabs":
                lines.append("\t".join([label, *printed]))
            elif layout == "cell_per_line":
                lines += [label, *printed]
            else:  # run together, as crawled pages print it
                lines.append(label + "".join(printed))
    if layout == "cell_per_line":
        lines = [x for line in lines for x in line.split("\t")]
    sep = "" if layout == "run_together" else "\n"
    return sep.join(lines)


def with_section_2(path, layout) -> str:
    text = decode(str(path), path.read_bytes())[0]
    start = re.search(r"二、主动公开政府信息情况", text).end()
    end = re.search(r"三、收到和处理政府信息公开申请情况", text).start()
    return text[:start] + "\n" + section_2(layout) + "\n" + text[end:]


BASES = [
    REPORTS / "seeds" / "001_7e78f6154f3411bd.txt",
    REPORTS / "samples" / "hongze_qzf_2024.txt",
    REPORTS / "samples" / "pingtan_2021.txt",
]


def parse_mixed(tmp_path, base, layout):
    path = tmp_path / base.name
    path.write_text(with_section_2(base, layout), "utf-8")
    return parse_file(path)


def proactive(record) -> dict:
    return {(c["row_code"], c["column_code"]): c for c in record["cells"] if c["table"] == "proactive"}


@pytest.mark.parametrize("layout", ["tabs", "cell_per_line", "run_together"])
@pytest.mark.parametrize("base", BASES, ids=lambda p: p.name)
def test_2019_columns_in_a_2021_report_are_read_as_printed(tmp_path, base, layout):
    record = parse_mixed(tmp_path, base, layout)
    assert record["metadata"]["template"] == "2021"
    assert record["metadata"]["template_variants"]["proactive"] == "columns_2019"
    cells = proactive(record)
    expected = {(code, col): v for code, (_, cols, values) in ROWS.items() for col, v in zip(cols, values)}
    assert set(cells) == set(expected)  # the 2019 columns' cells, and no 2021 one
    for ref, value in expected.items():
        cell = cells[ref]
        if layout != "run_together":
            assert cell["value"] == value, ref
        else:  # section 二 has no rules to split a run by: right, or empty and flagged
            assert cell["value"] == value or (cell["value"] is None and cell["flag"]), (ref, cell)
    assert not any(c["value"] in (89741888, 7400, 897418) for c in cells.values())
    # the other tables are read as before
    golden = json.loads((GOLDEN / (base.relative_to(REPORTS).as_posix() + ".expected.json")).read_text("utf-8"))
    want = {k: v for k, v in expected_cells(golden).items() if k[0] != "proactive"}
    got = {(c["table"], c["row_code"], c["column_code"]): c["value"] for c in record["cells"]}
    assert {k: got[k] for k in want} == want


def test_run_together_row_never_becomes_one_number(tmp_path):
    """The issue's case: 行政许可 printed 89741888 (= 89 / 74 / 1888), 行政处罚 7400 (= 74 / 0 / 0)."""
    record = parse_mixed(tmp_path, BASES[2], "run_together")
    cells = proactive(record)
    licensing = [cells[("licensing", c)] for c in ROWS["licensing"][1]]
    assert all(c["value"] is None and c["flag"] for c in licensing)  # ambiguous: several readings, none chosen
    assert [p for p in record["problems"] if p["row_code"] == "licensing"]


def test_2021_columns_still_read_as_2021():
    record = parse_file(BASES[0])
    assert "proactive" not in record["metadata"]["template_variants"]
    assert {c["column_code"] for c in record["cells"] if c["table"] == "proactive"} == {
        "issued_count",
        "repealed_count",
        "in_force_count",
        "decision_count",
        "fee_amount",
    }
