"""HTML reports: a saved government page or a bare fragment → paragraph lines and table rows.

Tables are read as tables: rowspan and colspan are expanded into the grid, and
each row becomes one Line with its cells. A merged cell appears once: a cell
spanning rows gives "" in the rows below it (so its label is not read twice),
a cell spanning columns is emitted once (so its value is not read twice).
Text outside tables becomes one Line per block (paragraph, heading, list item)
in document order. Scripts, styles, hidden elements and the site's furniture
(navigation, header, footer, links) are dropped: when the page holds a report,
only the element that holds all its section headings is read, plus its title.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from ogi.document import Document, Line, UnreadableInput
from ogi.parse.sections import find_sections
from ogi.parse.text import normalise

DROP = frozenset(
    "script style noscript template iframe frame frameset object embed svg canvas map area audio video source track "
    "head title meta link base input select option textarea button dialog".split()
)
# Site furniture: these elements, and those whose class or id names one of FURNITURE, are dropped
# unless they hold a table or a section heading (a <form> often wraps a whole ASP.NET page: it is kept).
FURNITURE_TAGS = frozenset("nav header footer aside menu".split())
BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main blockquote pre center address hr figure figcaption "
    "caption body html fieldset legend details summary".split()
)
CELL_BLOCK = BLOCK | {"br", "tr", "td", "th", "table"}
FURNITURE = frozenset(
    "header head top topbar nav navbar menu submenu breadcrumb crumb crumbs position location sidebar side share "
    "footer foot bottom copyright toolbar search banner links friendlink login".split()
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
# A line break in the page's source between two CJK characters is not a space (CSS Text 3 segment breaks).
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJK}])")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_TITLE_TEXT = re.compile(r"(?:19|20)\d{2}\s*年度?.{0,20}(?:信息公开|政务公开).{0,10}报告")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜| - | — |--)\s*")
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "utf8": "utf-8"}
MAX_SPAN = 200  # larger spans are typos in the page ("colspan=9999")


def read_html_bytes(path: str, data: bytes) -> Document:
    text, encoding = decode_html(path, data)
    soup = BeautifulSoup(text, "lxml")
    meta = page_meta(soup)
    for el in soup.find_all(sorted(DROP - {"head", "title", "meta"})) + soup.find_all(style=_HIDDEN):
        if not el.decomposed:
            el.decompose()
    for el in soup.find_all(string=lambda s: isinstance(s, Comment)):
        el.extract()
    body = soup.body or soup
    root, title_el = content_root(body)
    _drop_furniture(root)
    lines: list[Line] = []
    walker = _Walker(lines)
    if title_el is not None:
        walker.paragraph(_inline_text(title_el))
    walker.block(root)
    walker.flush()
    if not any(line.text.strip() for line in lines):
        raise UnreadableInput("empty_html", f"{path}: the page has no text (only scripts, styles or images)")
    if title_el is not None and "title" not in meta:
        meta["title"] = _inline_text(title_el)
    meta["tables"] = walker.tables
    meta["content"] = "report container" if root is not body else "whole page"
    return Document(path=path, format="html", lines=lines, encoding=encoding, meta=meta)


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """The page's text: BOM, then the charset it declares, then UTF-8, then GB18030 (GBK pages often mislabel)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    tried = []
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        tried.append(_CHARSET_ALIASES.get(declared, declared))
    tried += ["utf-8", "gb18030"]
    for enc in dict.fromkeys(tried):
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    raise UnreadableInput("undecodable", f"{path}: the page is neither in its declared charset ({tried[0]}) nor UTF-8 nor GBK/GB18030")


def page_meta(soup: BeautifulSoup) -> dict:
    """What the page says about itself: title, URL, publication date (CMS meta tags, then <title>)."""
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = (tag.get("content") or "").strip()
        if not content:
            continue
        if name in ("articletitle", "og:title") and "title" not in found:
            found["title"] = content
        elif name in ("url", "og:url") and "source_url" not in found:
            found["source_url"] = content
        elif name in ("pubdate", "publishdate", "article:published_time", "firstpublishedtime") and "published" not in found:
            found["published"] = content
    canonical = soup.find("link", rel="canonical")
    if "source_url" not in found and canonical and canonical.get("href"):
        found["source_url"] = canonical["href"]
    if "title" not in found and soup.title and soup.title.string:
        first = _TITLE_SPLIT.split(soup.title.string.strip())[0]
        if _TITLE_TEXT.search(first):
            found["title"] = first
    return found


def content_root(body: Tag) -> tuple[Tag, Tag | None]:
    """The element holding all of the report's section headings, and the report's title when it sits outside it."""
    from ogi import template as templates

    tpl = templates.load(templates.TEMPLATE_VERSIONS[-1])

    def headings(el: Tag) -> int:
        return len(find_sections(normalise(el.get_text(" ")), tpl))

    node, count = body, headings(body)
    if count < 2:
        return body, None
    while True:
        child = next((c for c in node.find_all(True, recursive=False) if headings(c) == count), None)
        if child is None:
            break
        node = child
    if node is body:
        return body, None
    return node, _title_before(body, node)


def _title_before(body: Tag, root: Tag) -> Tag | None:
    """The report's title when it sits before `root`: a short block that reads like one (年度…信息公开…报告).

    None when the root opens with its own title. Headings and elements whose
    class or id says "title" come first: a page's side lists link to other years' reports.
    """
    first = root.find(string=lambda t: type(t) is NavigableString and t.strip())
    block = first.find_parent(lambda el: el.name in CELL_BLOCK) if first is not None else None
    if block is not None and (root is block or root in block.parents):
        opening = _inline_text(block)
        if len(opening) <= 80 and _TITLE_TEXT.search(opening):
            return None
    found = []
    for el in body.find_all(["h1", "h2", "h3", "h4", "h5", "p", "div", "td", "span", "strong", "b", "font", "a", "li"]):
        if el is root or root in el.parents:
            break
        if el in root.parents or any(c.name in BLOCK for c in el.find_all(True)):
            continue
        text = _inline_text(el)
        if len(text) <= 80 and _TITLE_TEXT.search(text):
            found.append(el)
    named = [
        el
        for el in found
        if el.name in ("h1", "h2", "h3", "h4", "h5") or "title" in " ".join([*(el.get("class") or []), el.get("id") or ""]).lower()
    ]
    return (named or found or [None])[-1]


def _drop_furniture(root: Tag) -> None:
    from ogi import template as templates

    tpl = templates.load(templates.TEMPLATE_VERSIONS[-1])
    removed: set[int] = set()  # ids of elements already gone with an ancestor (Tag.decomposed searches the subtree)
    for el in root.find_all(True):
        if id(el) in removed:
            continue
        words = set()
        for attr in ("class", "id"):
            value = el.get(attr) or []
            for v in [value] if isinstance(value, str) else value:
                words.update(w.lower() for w in re.split(r"[-_\s]+", v) if w)
        if not (el.name in FURNITURE_TAGS or words & FURNITURE) or el.find("table"):
            continue
        if find_sections(normalise(el.get_text(" ")), tpl):
            continue  # it holds part of the report
        removed.update(id(d) for d in el.descendants)
        el.decompose()


class _Walker:
    """Document order: inline text gathers into a paragraph until a block boundary; tables give rows."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.buf: list[str] = []
        self.paragraphs = 0
        self.tables = 0

    def flush(self) -> None:
        self.paragraph(_clean("".join(self.buf)))
        self.buf = []

    def paragraph(self, text: str) -> None:
        if text:
            self.paragraphs += 1
            self.lines.append(Line(text=text, loc={"paragraph": self.paragraphs}))

    def block(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    self.buf.append(str(child))
            elif isinstance(child, Tag):
                self.node(child)

    def node(self, el: Tag) -> None:
        name = el.name
        if name in DROP:
            return
        if name == "br":
            self.flush()
        elif name == "table":
            self.flush()
            if _is_layout_table(el):
                for cell in _own_cells(el):
                    self.block(cell)
                    self.flush()
            else:
                self.table(el)
        elif name in BLOCK or name in ("tr", "td", "th", "tbody", "thead", "tfoot"):
            self.flush()
            self.block(el)
            self.flush()
        else:
            self.block(el)

    def table(self, table: Tag) -> None:
        self.tables += 1
        t = self.tables
        for r, row in enumerate(expand_table(table), start=1):
            if not any(text for text, _ in row):
                continue
            cells = [text for text, _ in row]
            locs = [{"table": t, "row": r, "column": col} for _, col in row]
            self.lines.append(Line(text="\t".join(cells), loc={"table": t, "row": r}, cells=cells, cell_locs=locs))


def expand_table(table: Tag) -> list[list[tuple[str, int]]]:
    """Rows of (cell text, 1-based grid column): each merged cell once, "" where a cell from above spans into the row."""
    out = []
    pending: dict[int, list[int]] = {}  # grid column → [rows still covered, columns covered]
    for tr in _own_rows(table):
        row: list[tuple[str, int]] = []
        col, seen = 0, set()
        cells = iter(c for c in tr.find_all(["td", "th"], recursive=False))
        cell = next(cells, None)
        while cell is not None or any(c >= col for c in pending):
            if col in pending:
                seen.add(col)
                left, width = pending[col]
                row.append(("", col + 1))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col][0] = left - 1
                col += width
                continue
            if cell is None:
                col = min(c for c in pending if c >= col)
                continue
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            row.append((_cell_text(cell), col + 1))
            if rowspan > 1:
                pending[col] = [rowspan - 1, colspan]
                seen.add(col)
            col += colspan
            cell = next(cells, None)
        for c in [c for c in pending if c not in seen]:  # overlapped by a malformed span: still counts down
            pending[c][0] -= 1
            if pending[c][0] <= 0:
                del pending[c]
        out.append(row)
    return out


def _span(value) -> int:
    try:
        n = int(str(value).strip()) if value is not None else 1
    except ValueError:
        return 1
    return min(max(n, 1), MAX_SPAN)


def _own_rows(table: Tag) -> list[Tag]:
    """This table's rows, not those of tables nested in its cells."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _own_cells(table: Tag) -> list[Tag]:
    return [c for tr in _own_rows(table) for c in tr.find_all(["td", "th"], recursive=False)]


def _is_layout_table(table: Tag) -> bool:
    """A table used to lay out a page (it holds other tables, or it has one column) is read as blocks."""
    if table.find("table"):
        return True
    return all(len(tr.find_all(["td", "th"], recursive=False)) <= 1 for tr in _own_rows(table))


def _cell_text(cell: Tag) -> str:
    parts: list[str] = []

    def walk(el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:
                    parts.append(str(child))
            elif isinstance(child, Tag) and child.name not in DROP:
                block = child.name in CELL_BLOCK
                if block:
                    parts.append(" ")
                walk(child)
                if block:
                    parts.append(" ")

    walk(cell)
    return _clean("".join(parts))


def _inline_text(el: Tag) -> str:
    return _cell_text(el)


def _clean(text: str) -> str:
    text = _CJK_BREAK.sub("", text)
    return _SPACE.sub(" ", text).strip()
