"""DOCX reports: paragraphs and tables in body order (python-docx, reading the body's XML).

Merged cells are read from the table's own markup: a cell spanning columns
(w:gridSpan) is emitted once; a cell continuing a vertical merge (w:vMerge
without "restart") is emitted as "" so the merged label is not read again.
"""

from __future__ import annotations

import io
import re
import zipfile

from ogi.document import Document, Line, UnreadableInput

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TITLE_TEXT = re.compile(r"(?:19|20)\d{2}\s*年度?.{0,20}(?:信息公开|政务公开).{0,10}报告")
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def read_docx_bytes(path: str, data: bytes) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise UnreadableInput("not_docx", f"{path}: a ZIP archive, but not a Word document (no word/document.xml)")
    except zipfile.BadZipFile as e:
        raise UnreadableInput("corrupt_file", f"{path}: not a readable DOCX file (damaged ZIP: {e})") from e
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise UnreadableInput("corrupt_file", f"{path}: not a readable DOCX file ({type(e).__name__}: {e})") from e
    except Exception as e:  # lxml.etree.XMLSyntaxError and friends
        raise UnreadableInput("corrupt_file", f"{path}: not a readable DOCX file ({type(e).__name__}: {e})") from e

    lines: list[Line] = []
    counters = {"paragraph": 0, "table": 0}
    _blocks(document.element.body, lines, counters)
    if not any(line.text.strip() for line in lines):
        raise UnreadableInput("empty_docx", f"{path}: the document has no text")
    meta: dict = {"tables": counters["table"]}
    title = (document.core_properties.title or "").strip()
    if _TITLE_TEXT.search(title):
        meta["title"] = title
    return Document(path=path, format="docx", lines=lines, encoding=None, meta=meta)


def _blocks(parent, lines: list[Line], counters: dict) -> None:
    """Paragraphs and tables in body order; content controls (w:sdt) are looked into."""
    for el in parent.iterchildren():
        tag = el.tag
        if tag == W + "p":
            text = _clean(_paragraph_text(el))
            if text:
                counters["paragraph"] += 1
                lines.append(Line(text=text, loc={"paragraph": counters["paragraph"]}))
        elif tag == W + "tbl":
            _table(el, lines, counters)
        elif tag in (W + "sdt", W + "customXml", W + "ins", W + "smartTag"):
            content = el.find(W + "sdtContent") if tag == W + "sdt" else el
            if content is not None:
                _blocks(content, lines, counters)


def _table(tbl, lines: list[Line], counters: dict) -> None:
    rows = [tr for tr in tbl.iterchildren(W + "tr")]
    if rows and all(len(_cells(tr)) <= 1 for tr in rows):
        # a one-column table frames text: read its cells as paragraphs
        for tr in rows:
            for tc in _cells(tr):
                _blocks(tc, lines, counters)
        return
    counters["table"] += 1
    t = counters["table"]
    for r, row in enumerate(expand_rows(rows), start=1):
        if not any(text for text, _ in row):
            continue
        cells = [text for text, _ in row]
        locs = [{"table": t, "row": r, "column": col} for _, col in row]
        lines.append(Line(text="\t".join(cells), loc={"table": t, "row": r}, cells=cells, cell_locs=locs))


def expand_rows(rows) -> list[list[tuple[str, int]]]:
    """Rows of (cell text, 1-based grid column): merged cells once, "" for a vertical merge's continuation."""
    out = []
    for tr in rows:
        col = _grid_skip(tr, "gridBefore")
        row = []
        for tc in _cells(tr):
            props = tc.find(W + "tcPr")
            span = _int(props.find(W + "gridSpan").get(W + "val")) if props is not None and props.find(W + "gridSpan") is not None else 1
            vmerge = props.find(W + "vMerge") if props is not None else None
            continues = vmerge is not None and vmerge.get(W + "val", "continue") != "restart"
            row.append(("" if continues else _cell_text(tc), col + 1))
            col += max(span, 1)
        out.append(row)
    return out


def _cells(tr) -> list:
    """A row's cells, including those wrapped in content controls."""
    out = []
    for el in tr.iterchildren():
        if el.tag == W + "tc":
            out.append(el)
        elif el.tag in (W + "sdt", W + "customXml"):
            content = el.find(W + "sdtContent") if el.tag == W + "sdt" else el
            if content is not None:
                out += [tc for tc in content.iterchildren(W + "tc")]
    return out


def _grid_skip(tr, name: str) -> int:
    props = tr.find(W + "trPr")
    el = props.find(W + name) if props is not None else None
    return _int(el.get(W + "val")) if el is not None else 0


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


def _cell_text(tc) -> str:
    """A cell's paragraphs (and nested tables) joined by spaces."""
    parts = [_paragraph_text(p) for p in tc.iter(W + "p")]
    return _clean(" ".join(parts))


def _paragraph_text(p) -> str:
    """A paragraph's visible text: runs (also inside hyperlinks and insertions), tabs and breaks as spaces; deletions skipped."""
    out = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"):
        if any(a.tag in (W + "del", W + "txbxContent") for a in el.iterancestors()):
            continue
        tag = el.tag
        if tag == W + "t":
            out.append(el.text or "")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "sym":
            continue
        else:
            out.append("\t" if tag == W + "tab" else " ")
    return "".join(out)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
