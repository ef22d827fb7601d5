"""PDF reports: text lines with their page, and ruled tables as cells (pdfplumber).

pdfplumber is used because it keeps each character's position: tables drawn
with ruling lines come out as a grid of cells (merged cells included), and the
text outside them as lines in reading order. Page headers, footers and page
numbers ("- 4 -", "第 4 页") in the page margins are dropped; a table that runs
on from one page to the next keeps one table number, loses a repeated header,
and a row that the page break cut in two is put back together.

A page without a text layer (a scan), or whose fonts do not map to text, is
read with tesseract when it is installed: the table rulings found in the image
give the cells, tesseract the words in them, and every such line and cell is
marked `ocr` (the consistency rules are the guard against misread digits).
Without tesseract a scanned PDF is refused with a message that says so.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ogi.document import Document, Line, UnreadableInput
from ogi.parse.text import PAGE_DEBRIS, normalise

MARGIN = 0.09  # top and bottom share of the page where headers, footers and page numbers live
EDGE_TOLERANCE = 6.0  # points: the same table's left/right edges on two pages
OCR_LANG = "chi_sim+eng"
OCR_DPI = 300
OCR_PSM = "6"  # each strip of the page is one block of text: a table row stays one line
_PAGE_NUMBER = re.compile(r"^\s*(?:\d{1,3}|[-—–]\s*\d{1,3}\s*[-—–]?|[-—–]?\s*\d{1,3}\s*[-—–])\s*$")
_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")
_ROW_NUMBERING = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\s*[一二三四五六七八九十]{1,2}\s*[）)]|[一二三四五六七八九十]{1,2}\s*[、.．])")
_JOIN_TIGHT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\d]")
# tesseract puts a space between every two Chinese characters
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_OCR_PAGE_NUMBER = re.compile(r"^[\s_~一—–-]*\d{1,3}[\s_~一—–-]*$")


@dataclass
class _Table:
    top: float
    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[str, int]]]  # (cell text, 1-based grid column); merged cells emitted once
    ncols: int


@dataclass
class _Page:
    number: int
    items: list = field(default_factory=list)  # (top, "text", text, in_margin) | (top, "table", _Table, False)
    furniture: list[str] = field(default_factory=list)
    ocr: bool = False


def read_pdf_bytes(path: str, data: bytes) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages_in = list(pdf.pages)
    except Exception as e:  # pdfplumber wraps pdfminer's many errors in PdfminerException
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect) or "encrypt" in type(cause).__name__.lower():
            raise UnreadableInput("encrypted_pdf", f"{path}: the PDF is encrypted and needs a password to open") from e
        reason = str(cause) or type(cause).__name__
        raise UnreadableInput("corrupt_file", f"{path}: not a readable PDF ({reason})") from e
    with pdf:
        if not pages_in:
            raise UnreadableInput("corrupt_file", f"{path}: the PDF has no pages")
        try:
            needs_ocr = [_needs_ocr(p) for p in pages_in]
        except Exception as e:
            raise UnreadableInput("corrupt_file", f"{path}: the PDF's pages cannot be read ({type(e).__name__}: {e})") from e
        scanned = [p.page_number for p, why in zip(pages_in, needs_ocr) if why]
        can_ocr = shutil.which("tesseract") is not None
        if scanned and len(scanned) == len(pages_in) and not can_ocr:
            why = "no text layer" if "image" in needs_ocr else "its fonts do not map to text (no ToUnicode)"
            raise UnreadableInput(
                "scanned_pdf",
                f"{path}: a scanned PDF ({len(pages_in)} pages, {why}) and OCR is not available: install tesseract-ocr and tesseract-ocr-chi-sim (scripts/install_system_deps.sh)",
            )
        if not any(p.chars or p.images for p in pages_in):
            raise UnreadableInput("empty_pdf", f"{path}: the PDF has no text and no images")
        pages = [_ocr_page(path, page) if why and can_ocr else _read_page(page) for page, why in zip(pages_in, needs_ocr)]
    meta: dict = {"pages": len(pages)}
    _drop_repeated_furniture(pages)
    lines = _lines(pages, meta)
    meta["page_furniture"] = [{"page": p.number, "text": t} for p in pages for t in p.furniture]
    meta["ocr_pages"] = [p.number for p in pages if p.ocr]
    meta["pages_without_text"] = [n for n in scanned if n not in meta["ocr_pages"]]
    if not any(line.text.strip() for line in lines):
        raise UnreadableInput("empty_pdf", f"{path}: no text could be read from the PDF")
    return Document(path=path, format="pdf", lines=lines, encoding=None, meta={k: v for k, v in meta.items() if v not in (None, [])})


def _needs_ocr(page) -> str | None:
    """Why a page's text has to be read from its image: "image" (no text layer), "unmapped" (glyphs without text); else None."""
    chars = [c["text"] for c in page.chars if not c["text"].isspace()]
    if not chars:
        return "image" if page.images else None
    unmapped = sum(1 for t in chars if t.startswith("(cid:"))
    return "unmapped" if unmapped > 0.5 * len(chars) else None


def _read_page(page) -> _Page:
    out = _Page(page.page_number)
    tables = []
    for t in page.find_tables():
        grid = _grid(t)
        if grid is not None:
            tables.append(_Table(top=t.bbox[1], bbox=t.bbox, rows=grid[0], ncols=grid[1]))
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    rest = page.filter(outside) if boxes else page
    for ln in rest.extract_text_lines(return_chars=False):
        text = ln["text"].strip()
        if not text:
            continue
        in_margin = ln["top"] < page.height * MARGIN or ln["bottom"] > page.height * (1 - MARGIN)
        if in_margin and _is_page_number(text):
            out.furniture.append(text)
            continue
        out.items.append((ln["top"], "text", text, in_margin))
    out.items += [(t.top, "table", t, False) for t in tables]
    out.items.sort(key=lambda it: it[0])
    return out


def _is_page_number(text: str) -> bool:
    t = normalise(text)
    return bool(_PAGE_NUMBER.match(t) or PAGE_DEBRIS.match(t))


def _grid(table) -> tuple[list[list[tuple[str, int]]], int] | None:
    """The table's rows as (text, column): each merged cell once, "" where a cell from above reaches into a row.

    pdfplumber gives None for grid positions covered by a merged cell; the
    cells' boxes tell whether the cell spans from the left (skip) or from above ("").
    A one-column "table" is a frame around text, not a table: None.
    """
    rows = table.rows
    texts = table.extract()
    if not rows:
        return None
    xs = sorted({c[0] for c in table.cells})
    if len(xs) < 2 or not any(sum(1 for c in r.cells if c is not None) >= 2 for r in rows):
        return None
    out = []
    for row, row_text in zip(rows, texts):
        top = min(c[1] for c in row.cells if c is not None)
        cells = []
        for j, (bbox, text) in enumerate(zip(row.cells, row_text)):
            if bbox is not None:
                cells.append((_cell_text(text), j + 1))
                continue
            x = xs[j]
            cover = next((c for c in table.cells if c[0] - 0.5 <= x < c[2] - 0.5 and c[1] - 0.5 <= top < c[3] - 0.5), None)
            if cover is None or abs(cover[0] - x) < 0.5 and cover[1] < top - 0.5:
                cells.append(("", j + 1))  # a cell from the row above reaches down here (or a hole)
        out.append(cells)
    return out, len(xs)


def _cell_text(text: str | None) -> str:
    """A cell's lines joined: no space between CJK characters or digits (a wrapped label or number), else one space."""
    if not text:
        return ""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if not parts:
        return ""
    out = parts[0]
    for p in parts[1:]:
        tight = _JOIN_TIGHT.match(out[-1]) and _JOIN_TIGHT.match(p[0])
        out += p if tight else " " + p
    return out


def _drop_repeated_furniture(pages: list[_Page]) -> None:
    """A line in the page margin that recurs on most pages (digits aside) is a running header or footer."""
    if len(pages) < 3:
        return
    seen: dict[str, set[int]] = {}
    for p in pages:
        for item in p.items:
            if item[1] == "text" and item[3]:
                seen.setdefault(re.sub(r"\d+", "#", item[2]), set()).add(p.number)
    repeated = {k for k, nums in seen.items() if len(nums) >= max(3, len(pages) // 2)}
    if not repeated:
        return
    for p in pages:
        keep = []
        for item in p.items:
            if item[1] == "text" and item[3] and re.sub(r"\d+", "#", item[2]) in repeated:
                p.furniture.append(item[2])
            else:
                keep.append(item)
        p.items = keep


def _lines(pages: list[_Page], meta: dict) -> list[Line]:
    lines: list[Line] = []
    table_no = 0
    open_table: _Table | None = None  # the table the previous page ended with
    table_rows = 0
    first_rows: list[list[str]] = []
    for p in pages:
        line_no = 0
        for k, (_, kind, payload, _margin) in enumerate(p.items):
            if kind == "text":
                line_no += 1
                loc = {"page": p.number, "line": line_no}
                if p.ocr:
                    loc["ocr"] = True
                lines.append(Line(text=payload, loc=loc, ocr=p.ocr))
                open_table = None
                continue
            rows = payload.rows
            if k == 0 and open_table is not None and _continues(open_table, payload):
                rows = _drop_repeated_header(rows, first_rows)
                if rows and lines and lines[-1].cells is not None and _merge_split_row(lines[-1], rows[0], p.number, table_no):
                    meta.setdefault("rows_joined_across_pages", []).append({"table": table_no, "page": p.number})
                    rows = rows[1:]
                meta.setdefault("tables_joined_across_pages", []).append({"table": table_no, "page": p.number})
            else:
                table_no += 1
                table_rows = 0
                first_rows = [[t for t, _ in r] for r in payload.rows[:3]]
            for row in rows:
                table_rows += 1
                if not any(t for t, _ in row):
                    continue
                cells = [t for t, _ in row]
                locs = [
                    {"page": p.number, "table": table_no, "row": table_rows, "column": c} | ({"ocr": True} if p.ocr else {}) for _, c in row
                ]
                loc = {"page": p.number, "table": table_no, "row": table_rows} | ({"ocr": True} if p.ocr else {})
                lines.append(Line(text="\t".join(cells), loc=loc, cells=cells, cell_locs=locs, ocr=p.ocr))
            open_table = payload
        if p.items and p.items[-1][1] != "table":
            open_table = None
    return lines


def _continues(prev: _Table, nxt: _Table) -> bool:
    same_edges = abs(prev.bbox[0] - nxt.bbox[0]) <= EDGE_TOLERANCE and abs(prev.bbox[2] - nxt.bbox[2]) <= EDGE_TOLERANCE
    return same_edges or prev.ncols == nxt.ncols


def _drop_repeated_header(rows, first_rows):
    """Header rows repeated at the top of the next page are not data."""
    n = 0
    while (
        n < len(rows) and n < len(first_rows) and [t for t, _ in rows[n]] == first_rows[n] and not any(_NUMBER.match(t) for t, _ in rows[n])
    ):
        n += 1
    return rows[n:]


def _merge_split_row(last: Line, row: list[tuple[str, int]], page: int, table_no: int) -> bool:
    """Join a row the page break cut in two: one part has the numbers, the other only the rest of its labels.

    The part after the break must not start a new row (no 1. / （一） / 一、 numbering).
    """
    prev = dict(zip((loc["column"] for loc in last.cell_locs), last.cells))
    nxt = dict((c, t) for t, c in row)
    if set(prev) != set(nxt):
        return False
    numeric = {c for c in prev if _NUMBER.match(prev[c]) or _NUMBER.match(nxt[c])}
    if not numeric:
        return False
    prev_has = all(_NUMBER.match(prev[c]) or not prev[c] for c in numeric) and any(prev[c] for c in numeric)
    nxt_has = all(_NUMBER.match(nxt[c]) or not nxt[c] for c in numeric) and any(nxt[c] for c in numeric)
    prev_empty = not any(prev[c] for c in numeric)
    nxt_empty = not any(nxt[c] for c in numeric)
    if not ((prev_has and nxt_empty) or (prev_empty and nxt_has)):
        return False
    labels = [c for c in prev if c not in numeric]
    if not any(prev[c] and nxt[c] for c in labels) or any(_ROW_NUMBERING.match(nxt[c]) for c in labels if nxt[c]):
        return False
    merged = {c: (prev[c] + nxt[c]) if c not in numeric else (prev[c] or nxt[c]) for c in prev}
    last.cells[:] = [merged[loc["column"]] for loc in last.cell_locs]
    last.text = "\t".join(last.cells)
    for loc in last.cell_locs:
        if nxt[loc["column"]] and not prev[loc["column"]]:
            loc["page"] = page  # the value printed after the break
    return True


def _ocr_page(path: str, page) -> _Page:
    """One scanned page through tesseract, every line marked as read by OCR.

    The table rulings are found in the image, painted out (tesseract reads
    words far better without boxes around them), and used as the table's grid:
    each word tesseract finds goes into the cell that holds it, so a scanned
    table gives cells like a text PDF's table.
    """
    import numpy as np

    out = _Page(page.page_number, ocr=True)
    pixels = np.asarray(page.to_image(resolution=OCR_DPI).original.convert("L"))
    dark = pixels < 160
    horizontal = _long_runs(dark, int(OCR_DPI / 2.54))  # 1 cm: longer than any stroke of a character
    vertical = _long_runs(dark.T, int(OCR_DPI / 2.54 * 0.8)).T  # 8 mm: taller than a 16 pt character, shorter than two table rows
    cleaned = pixels.copy()
    cleaned[_grow(horizontal | vertical, 2)] = 255  # and the rulings' anti-aliased edges
    tables = _ocr_tables(_segments(horizontal), [(x, a, b) for x, a, b in _segments(vertical.T)])
    words = []
    for r, (y0, y1) in enumerate(_regions(tables, cleaned)):
        # each table, and each stretch of text between tables, is read on its own: whole-page
        # layout analysis runs headings into table rows
        for w in _tesseract_words(path, page.page_number, cleaned[y0:y1]):
            w["top"] += y0
            w["line"] = (r, *w["line"])
            words.append(w)
    loose: dict[tuple, list] = {}
    for w in words:
        cx, cy = w["left"] + w["width"] / 2, w["top"] + w["height"] / 2
        grid = next((t for t in tables if t["bbox"][0] <= cx <= t["bbox"][2] and t["bbox"][1] <= cy <= t["bbox"][3]), None)
        cell = _ocr_cell(grid, cx, cy) if grid else None
        if cell is None:
            loose.setdefault(w["line"], []).append(w)
        else:
            grid["words"].setdefault(cell, []).append(w)
    height = pixels.shape[0]
    for line_words in loose.values():
        text = _join_words(line_words)
        top = min(w["top"] for w in line_words)
        bottom = max(w["top"] + w["height"] for w in line_words)
        in_margin = top < height * MARGIN or bottom > height * (1 - MARGIN)
        if in_margin and (_is_page_number(text) or _OCR_PAGE_NUMBER.match(text)):
            out.furniture.append(text)
        elif text:
            out.items.append((float(top), "text", text, in_margin))
    for t in tables:
        rows = []
        for b, band in enumerate(t["bands"]):
            rows.append([(_join_words(t["words"].get((b, k), [])), col) for k, (_, _, col) in enumerate(band)])
        if any(len(band) >= 2 for band in t["bands"]):
            out.items.append((float(t["bbox"][1]), "table", _Table(top=t["bbox"][1], bbox=t["bbox"], rows=rows, ncols=len(t["xs"])), False))
        else:  # a frame around text: its words are text lines
            for row in rows:
                if row and row[0][0]:
                    out.items.append((float(t["bbox"][1]), "text", row[0][0], False))
    out.items.sort(key=lambda it: it[0])
    return out


def _regions(tables: list[dict], pixels, pad: int = 6) -> list[tuple[int, int]]:
    """Horizontal strips of the page: one per table, one per stretch between them; blank strips left out."""
    height = pixels.shape[0]
    cuts, y = [], 0
    for t in sorted(tables, key=lambda t: t["bbox"][1]):
        top, bottom = max(int(t["bbox"][1]) - pad, y), min(int(t["bbox"][3]) + pad, height)
        if top > y:
            cuts.append((y, top))
        if bottom > top:
            cuts.append((top, bottom))
        y = max(y, bottom)
    if y < height:
        cuts.append((y, height))
    return [(a, b) for a, b in cuts if b - a > 10 and (pixels[a:b] < 160).any()]


def _tesseract_words(path: str, page_number: int, pixels) -> list[dict]:
    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        png = Path(tmp) / "page.png"
        Image.fromarray(pixels).save(png)
        try:
            done = subprocess.run(
                ["tesseract", str(png), "stdout", "-l", OCR_LANG, "--psm", OCR_PSM, "tsv"],
                capture_output=True,
                text=True,
                timeout=300,
                env={**os.environ, "OMP_THREAD_LIMIT": "1"},  # one thread is faster than contended OpenMP
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            raise UnreadableInput("scanned_pdf", f"{path}: page {page_number} is a scanned image and OCR failed ({e})") from e
    if done.returncode != 0:
        raise UnreadableInput("scanned_pdf", f"{path}: page {page_number} is a scanned image and OCR failed: {done.stderr.strip()[:300]}")
    words = []
    for row in done.stdout.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        words.append(
            {
                "line": (int(f[2]), int(f[3]), int(f[4])),
                "left": int(f[6]),
                "top": int(f[7]),
                "width": int(f[8]),
                "height": int(f[9]),
                "text": f[11].strip(),
            }
        )
    return words


def _join_words(words: list[dict]) -> str:
    """Words in reading order; no space between two Chinese characters (tesseract separates them)."""
    out = ""
    for w in sorted(words, key=lambda w: (w["line"], w["left"])):
        tight = not out or (_CJK_CHAR.match(out[-1]) and _CJK_CHAR.match(w["text"][0]))
        out = out + w["text"] if tight else out + " " + w["text"]
    return out.strip()


def _segments(mask, gap: int = 3) -> list[tuple[float, int, int]]:
    """Horizontal rulings in a mask of ruling pixels: (y, x0, x1)."""
    import numpy as np

    out = []
    ys = np.flatnonzero(mask.any(axis=1))
    if not len(ys):
        return out
    groups, start = [], ys[0]
    for a, b in zip(ys[:-1], ys[1:]):
        if b - a > gap:
            groups.append((start, a))
            start = b
    groups.append((start, ys[-1]))
    for y0, y1 in groups:
        xs = np.flatnonzero(mask[y0 : y1 + 1].any(axis=0))
        run_start = xs[0]
        for a, b in zip(xs[:-1], xs[1:]):
            if b - a > gap:
                out.append(((y0 + y1) / 2, int(run_start), int(a)))
                run_start = b
        out.append(((y0 + y1) / 2, int(run_start), int(xs[-1])))
    return out


def _ocr_tables(horizontal: list, vertical: list, tol: int = 8) -> list[dict]:
    """Rulings that cross each other form a table: its row bands and, in each band, the cells between the rulings that cross it."""
    n = len(horizontal) + len(vertical)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(horizontal):
        for j, (x, y0, y1) in enumerate(vertical):
            if x0 - tol <= x <= x1 + tol and y0 - tol <= y <= y1 + tol:
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, tuple[list, list]] = {}
    for i in range(n):
        hs, vs = groups.setdefault(find(i), ([], []))
        (hs.append(horizontal[i]) if i < len(horizontal) else vs.append(vertical[i - len(horizontal)]))
    tables = []
    for hs, vs in groups.values():
        ys = _merge_close(sorted(y for y, _, _ in hs), tol)
        xs = _merge_close(sorted(x for x, _, _ in vs), tol)
        if len(ys) < 2 or len(xs) < 2:
            continue
        bands = []
        for ya, yb in zip(ys[:-1], ys[1:]):
            mid = (ya + yb) / 2
            cuts = _merge_close(sorted(x for x, y0, y1 in vs if y0 - tol <= mid <= y1 + tol), tol)
            band = [(a, b, 1 + min(range(len(xs)), key=lambda k: abs(xs[k] - a))) for a, b in zip(cuts[:-1], cuts[1:])]
            bands.append((ya, yb, band))
        tables.append(
            {
                "bbox": (xs[0], ys[0], xs[-1], ys[-1]),
                "ys": ys,
                "xs": xs,
                "band_ys": [(a, b) for a, b, _ in bands],
                "bands": [b for _, _, b in bands],
                "words": {},
            }
        )
    return tables


def _merge_close(values: list[float], tol: int) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _ocr_cell(table: dict, cx: float, cy: float) -> tuple[int, int] | None:
    for b, (ya, yb) in enumerate(table["band_ys"]):
        if ya <= cy <= yb:
            for k, (a, c, _) in enumerate(table["bands"][b]):
                if a <= cx <= c:
                    return (b, k)
            return None
    return None


def _grow(mask, n: int):
    """The mask widened by n pixels in every direction."""
    out = mask.copy()
    for _ in range(n):
        grown = out.copy()
        grown[1:, :] |= out[:-1, :]
        grown[:-1, :] |= out[1:, :]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def _long_runs(mask, length: int):
    """Pixels lying in a horizontal run of at least `length` set pixels."""
    import numpy as np

    h, w = mask.shape
    if w < length:
        return np.zeros_like(mask)
    sums = np.zeros((h, w + 1), np.int32)
    sums[:, 1:] = np.cumsum(mask, axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # window starting at each column is all set
    starts = np.zeros((h, w + length), np.int32)
    starts[:, length : length + full.shape[1]] = full
    covered = np.cumsum(starts, axis=1)
    return (covered[:, length : length + w] - covered[:, :w]) > 0
