"""Build report files for the reader tests: a golden record's values laid out as the national template prints them.

A report is a list of blocks: ("p", text) or ("table", rows), where a row is a
list of Cells with rowspan/colspan as a word processor merges them. The same
blocks are written as HTML (rowspan/colspan), DOCX (python-docx merges), plain
text, or a PDF whose text uses the standard CID font STSong-Light (no font file
needed), so one report can be compared across formats.
"""

from __future__ import annotations

import html
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from golden_compare import APPEAL_COLS, row_code_3, section2_code

from ogi import template as templates
from ogi.package.fields import SECTION_LABELS

SECTION_TITLES = SECTION_LABELS  # the headings as the template prints them


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def _fmt(v) -> str:
    return "" if v is None else str(v)


def report_blocks(golden: dict, title: str, blank: Collection[tuple[str, str]] = ()) -> list:
    """A 2021-template report holding the golden record's values; `blank`: the (row code, column code)s of section 三 left empty."""
    tpl = templates.load("2021")
    blocks: list = [("p", title), ("p", "本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限自1月1日起至12月31日止。")]
    blocks += [("p", SECTION_TITLES["1"]), ("p", "全年主动公开政府信息，依法办理政府信息公开申请。")]
    blocks += [("p", SECTION_TITLES["2"]), ("table", _proactive(golden, tpl))]
    blocks += [("p", SECTION_TITLES["3"]), ("table", _requests(golden, tpl, blank))]
    blocks += [("p", SECTION_TITLES["4"]), ("table", _appeals(golden))]
    blocks += [("p", SECTION_TITLES["5"]), ("p", "政策解读质量仍需提升。"), ("p", SECTION_TITLES["6"]), ("p", "本年度未收取信息处理费。")]
    return blocks


def _proactive(golden: dict, tpl: dict) -> list[list[Cell]]:
    table = tpl["tables"]["proactive"]
    by_code = {section2_code(label, tpl): values for label, values in golden["section2"].items()}
    rows, group = [], None
    for row in table["rows"]:
        cols = templates.row_columns(table, row)
        if row["group"] != group:
            group = row["group"]
            rows.append([Cell(group, colspan=4)])
            rows.append([Cell("信息内容")] + [Cell(table["columns"][c]["label"], colspan=3 // len(cols)) for c in cols])
        values = by_code[row["code"]]
        rows.append([Cell(row["label"])] + [Cell(_fmt(v), colspan=3 // len(cols)) for v in values])
    return rows


def _requests(golden: dict, tpl: dict, blank) -> list[list[Cell]]:
    table = tpl["tables"]["requests"]
    values = {row_code_3(r[0]): r[1:] for r in golden["section3"]["rows"]}
    cols = list(table["columns"])
    rows = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(table["columns"][c]["label"]) for c in cols[1:6]],
    ]
    outcome_rows = [r for r in table["rows"] if r.get("group") == "三、本年度办理结果" or (r.get("group") or "").startswith("（")]
    seen_groups = set()
    for row in table["rows"]:
        cells = [Cell(_fmt(None if (row["code"], c) in blank else v)) for c, v in zip(cols, values[row["code"]])]
        group = row.get("group")
        if group is None:
            rows.append([Cell(row["label"], colspan=3)] + cells)
            continue
        lead = []
        if "三、本年度办理结果" not in seen_groups:
            seen_groups.add("三、本年度办理结果")
            lead.append(Cell("三、本年度办理结果", rowspan=len(outcome_rows)))
        if group == "三、本年度办理结果":
            rows.append(lead + [Cell(row["label"], colspan=2)] + cells)
            continue
        if group not in seen_groups:
            seen_groups.add(group)
            lead.append(Cell(group, rowspan=sum(1 for r in table["rows"] if r.get("group") == group)))
        rows.append(lead + [Cell(row["label"])] + cells)
    return rows


def _appeals(golden: dict) -> list[list[Cell]]:
    labels = {"upheld": "结果维持", "corrected": "结果纠正", "other_result": "其他结果", "pending": "尚未审结", "total": "总计"}
    return [
        [Cell("行政复议", colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(labels[c], rowspan=2) for c in APPEAL_COLS] + [Cell("未经复议直接起诉", colspan=5), Cell("复议后起诉", colspan=5)],
        [Cell(labels[c]) for c in APPEAL_COLS] * 2,
        [Cell(_fmt(v)) for v in golden["section4"]],
    ]


def text_blocks(lines: list[str]) -> list:
    return [("p", line) for line in lines if line.strip()]


def placed(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, Cell]], int, int]:
    """Each cell with its grid row and column, as a browser lays merged cells out; and the grid's size."""
    taken: set[tuple[int, int]] = set()
    out, width = [], 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            out.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
            width = max(width, c)
    height = max(r for r, _ in taken) + 1 if taken else 0
    return out, height, width


def to_html(blocks: list, page: bool = True, charset: str = "utf-8", furniture: bool = False) -> str:
    body = []
    for kind, payload in blocks:
        if kind == "p":
            body.append(f"<p>{html.escape(payload)}</p>")
            continue
        rows = []
        for row in payload:
            cells = "".join(
                f"<td{f' rowspan={c.rowspan}' if c.rowspan > 1 else ''}{f' colspan={c.colspan}' if c.colspan > 1 else ''}>{html.escape(c.text)}</td>"
                for c in row
            )
            rows.append(f"<tr>{cells}</tr>")
        body.append("<table border=1><tbody>" + "".join(rows) + "</tbody></table>")
    content = "\n".join(body)
    if not page:
        return content
    nav = footer = ""
    if furniture:
        nav = '<div class="header"><ul><li>首页</li><li>政务公开</li><li>2023年度政府信息公开工作年度报告</li></ul></div><div class="breadcrumb">当前位置：首页 > 政务公开 > 年度报告</div>'
        footer = '<div class="footer"><p>主办单位：某市人民政府办公室 网站标识码：1234567890 备案号：12345678号</p></div><script>var x = "一、总体情况 2 3 4";</script>'
    return (
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>年度报告</title>'
        f'<style>td {{ border: 1px solid; }}</style></head><body>{nav}<div class="article">{content}</div>{footer}</body></html>'
    )


def to_docx(blocks: list, path: Path) -> Path:
    import docx

    document = docx.Document()
    for kind, payload in blocks:
        if kind == "p":
            document.add_paragraph(payload)
            continue
        cells, height, width = placed(payload)
        table = document.add_table(rows=height, cols=width)
        for r, c, cell in cells:
            target = table.cell(r, c)
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
            target.text = cell.text
    document.save(path)
    return path


def to_text(blocks: list) -> str:
    out = []
    for kind, payload in blocks:
        if kind == "p":
            out.append(payload)
        else:
            out += [" ".join(c.text for c in row) for row in payload]
    return "\n".join(out) + "\n"


def cjk_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with these lines of text on each page, in the standard CID font STSong-Light (readers need no font file)."""
    n = len(pages)
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (6 + 2 * i) for i in range(n)) + b"] /Count %d >>" % n,
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>",
        4: b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 >>",
        5: b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    }
    for i, lines in enumerate(pages):
        ops = [b"BT /F1 10.5 Tf 16 TL 60 770 Td"]
        ops += [b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines]
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objs[6 + 2 * i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (7 + 2 * i)
        )
        objs[7 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for k in sorted(objs):
        offsets[k] = len(out)
        out += b"%d 0 obj\n" % k + objs[k] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in sorted(objs))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def wrap(text: str, width: int = 40) -> list[str]:
    """A long line cut into lines a page can hold."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def load_golden(relative: str) -> dict:
    """A hand-read expected record from tests/golden/ (e.g. "samples/huaian_szf_2024.pdf")."""
    import json

    from conftest import GOLDEN

    return json.loads((GOLDEN / (relative + ".expected.json")).read_text("utf-8"))


def cell_values(record: dict) -> dict[tuple[str, str, str], object]:
    return {(c["table"], c["row_code"], c["column_code"]): c["value"] for c in record["cells"]}


def error_codes(record: dict) -> list[str]:
    return [p["code"] for p in record["problems"] if p["severity"] == "error"]


def pre_template_lines() -> list[str]:
    """The 2018 report's title and body, without the crawler's header (its title line is kept as the first line)."""
    from conftest import REPORTS

    text = (REPORTS / "samples/rejected/pingtan_2018_pre_template.txt").read_text("utf-8")
    head, _, body = text.partition("==================== 正文 ====================")
    title = next(line.split(":", 1)[1].strip() for line in head.splitlines() if line.startswith("标题:"))
    return [title] + [line.strip() for line in body.splitlines() if line.strip()]


def budget_lines() -> list[str]:
    """The text of the budget PDF (a non-report), line by line."""
    import pdfplumber
    from conftest import REPORTS

    with pdfplumber.open(REPORTS / "samples/rejected/putuo_welfare_home_budget_2024.pdf") as pdf:
        return [line for page in pdf.pages for line in (page.extract_text() or "").splitlines() if line.strip()]
