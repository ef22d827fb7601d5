"""A small streaming .xlsx writer: sheets of rows, a bold header, merged header cells, frozen panes.

Why not openpyxl or XlsxWriter: both write about 150,000 cells a second here,
and a package of 10,000 reports has over 30 million cells — minutes of the
build. This writes the same SpreadsheetML (inline strings, one style for
headers) about fifteen times faster, and byte for byte the same every time
(fixed timestamps in the zip). openpyxl reads it back in the tests.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

MAX_ROWS = 1_048_576  # Excel's limit per sheet, header rows included
MAX_CELL_CHARS = 32_767  # Excel's limit per cell
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_CHUNK_ROWS = 2000


@dataclass
class Sheet:
    title: str  # at most 31 characters, none of []:*?/\
    header: list[list]  # header rows (bold); None leaves a cell empty (e.g. under a merged cell)
    rows: Iterable[tuple]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col), 0-based
    widths: list[float] = field(default_factory=list)  # column widths in characters
    truncated_note: str = "…（全文见 CSV 文件）"


def column_letter(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _text(value: str, note: str) -> str:
    value = _NOT_XML.sub("", value)
    if len(value) > MAX_CELL_CHARS:
        value = value[: MAX_CELL_CHARS - len(note)] + note
    space = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f"<is><t{space}>{escape(value)}</t></is>"


def _row_xml(n: int, values: tuple | list, letters: list[str], style: str, note: str) -> str:
    cells = []
    for letter, v in zip(letters, values):
        if v is None or isinstance(v, float) and v != v:  # no cell for None or NaN
            continue
        ref = f"{letter}{n}"
        if isinstance(v, bool):
            cells.append(f'<c r="{ref}"{style} t="b"><v>{int(v)}</v></c>')
        elif isinstance(v, int | float):
            cells.append(f'<c r="{ref}"{style}><v>{v!r}</v></c>')
        else:
            cells.append(f'<c r="{ref}"{style} t="inlineStr">{_text(str(v), note)}</c>')
    return f'<row r="{n}">{"".join(cells)}</row>'


def _sheet_start(sheet: Sheet, width: int) -> str:
    frozen = len(sheet.header)
    pane = f'<pane ySplit="{frozen}" topLeftCell="A{frozen + 1}" activePane="bottomLeft" state="frozen"/>' if frozen else ""
    cols = "".join(f'<col min="{i + 1}" max="{i + 1}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(sheet.widths[:width]))
    return (
        f"{_HEAD}<worksheet {_NS}><sheetViews><sheetView workbookViewId=\"0\">{pane}</sheetView></sheetViews>"
        f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
    )


def _sheet_end(sheet: Sheet) -> str:
    merges = "".join(f'<mergeCell ref="{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"/>' for r0, c0, r1, c1 in sheet.merges)
    return "</sheetData>" + (f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else "") + "</worksheet>"


def _write_sheet(out, sheet: Sheet) -> int:
    width = max([len(h) for h in sheet.header] + [len(sheet.widths)], default=0)
    letters = [column_letter(i) for i in range(max(width, 1))]
    out.write(_sheet_start(sheet, width).encode("utf-8"))
    n = 0
    for n, values in enumerate(sheet.header, 1):
        out.write(_row_xml(n, values, letters, ' s="1"', sheet.truncated_note).encode("utf-8"))
    chunk = []
    for n, values in enumerate(sheet.rows, n + 1):
        if n > MAX_ROWS:
            raise ValueError(f"sheet {sheet.title!r} has more than {MAX_ROWS} rows; split it first")
        if len(values) > len(letters):
            letters = [column_letter(i) for i in range(len(values))]
        chunk.append(_row_xml(n, values, letters, "", sheet.truncated_note))
        if len(chunk) >= _CHUNK_ROWS:
            out.write("".join(chunk).encode("utf-8"))
            chunk = []
    out.write(("".join(chunk) + _sheet_end(sheet)).encode("utf-8"))
    return n


def _part(z: zipfile.ZipFile, name: str, text: str | None = None):
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    if text is None:
        return z.open(info, "w")
    z.writestr(info, text.encode("utf-8"))
    return None


def write_workbook(path, sheets: list[Sheet]) -> None:
    """Write the sheets to an .xlsx file, streaming each sheet's rows."""
    titles = [s.title for s in sheets]
    if len(set(titles)) != len(titles) or any(len(t) > 31 or re.search(r"[\[\]:*?/\\]", t) for t in titles):
        raise ValueError(f"sheet titles must be unique, at most 31 characters, without []:*?/\\ : {titles}")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        _part(z, "[Content_Types].xml", _content_types(len(sheets)))
        _part(z, "_rels/.rels", _ROOT_RELS)
        _part(z, "xl/workbook.xml", _workbook(titles))
        _part(z, "xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        _part(z, "xl/styles.xml", _STYLES)
        for i, sheet in enumerate(sheets, 1):
            with _part(z, f"xl/worksheets/sheet{i}.xml") as out:
                _write_sheet(out, sheet)


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


_ROOT_RELS = (
    f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook(titles: list[str]) -> str:
    sheets = "".join(f'<sheet name="{escape(t, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, 1))
    return f'{_HEAD}<workbook {_NS}><bookViews><workbookView/></bookViews><sheets>{sheets}</sheets></workbook>'


def _workbook_rels(n: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1)
    )
    styles = f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    return f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheets}{styles}</Relationships>'


# Two cell formats: 0 the default, 1 a bold, wrapped, centred header. Fonts that show Chinese well on Windows.
_STYLES = (
    f'{_HEAD}<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
