"""Numbers and label text of one table section.

A section becomes a list of Tokens (values, blank-cell marks, empty cells) and
a `Stream`: its label text with whitespace and numbers taken out, so a label
broken over lines, printed one character per line, or interrupted by its own
numbers still reads as one string.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ogi.parse.text import ParseText

VALUE, MARK, BLANK = "value", "mark", "blank"

_SCAN = re.compile(
    r"(?P<skip>\d{4}\s*年|\d+(?:\.\d+)?\s*%)"  # dates and percentages are prose
    # a sign always starts a number, even glued to the one before ("5-2" is 5 and -2)
    r"|(?P<value>(?:[+-]|(?<![\d.]))(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
    r"|(?P<mark>(?<!\S)(?:/+|—+|-+|–+|无|空)(?!\S))"
)
# "00000003.要求…": the last digit numbers the next label, it is not a cell.
_NUMBERING_AFTER = re.compile(r"\s*[.、](?!\d)")


@dataclass(slots=True)
class Token:
    kind: str
    start: int  # offset in the ParseText
    end: int
    line: int  # line index
    cell: int | None  # cell index within the line, for table rows
    text: str  # normalised text


@dataclass
class Stream:
    text: str
    chunk_pos: list[int]  # where each chunk starts in `text`
    chunk_off: list[int]  # ... and in the ParseText

    def offset(self, i: int) -> int:
        k = bisect.bisect_right(self.chunk_pos, i) - 1
        return self.chunk_off[k] + (i - self.chunk_pos[k])


def tokenize(pt: ParseText, start: int, end: int) -> tuple[list[Token], Stream]:
    tokens: list[Token] = []
    chunks, chunk_pos, chunk_off = [], [], []
    pos = 0

    def add_text(a: int, b: int) -> None:
        nonlocal pos
        for m in re.finditer(r"[^\s|]+", pt.norm[a:b]):
            chunks.append(m.group())
            chunk_pos.append(pos)
            chunk_off.append(a + m.start())
            pos += len(m.group())

    first, last = pt.line_index(start), pt.line_index(max(start, end - 1))
    for li in range(first, last + 1):
        a = max(start, pt.line_starts[li])
        b = min(end, pt.line_starts[li] + len(pt.lines[li].text if pt.lines[li].cells is None else _cells_text(pt.lines[li])))
        if a >= b:
            continue
        if pt.cell_mode[li]:
            _scan_cells(pt, li, a, b, tokens, add_text)
        else:
            _scan(pt, li, None, a, b, tokens, add_text)
    return tokens, Stream("".join(chunks), chunk_pos, chunk_off)


def _cells_text(line) -> str:
    return "\t".join(line.cells)


def _scan_cells(pt, li, a, b, tokens, add_text) -> None:
    line_start = pt.line_starts[li]
    cell = len(re.findall(r"[\t|]", pt.norm[line_start:a]))
    seg_start = a
    for m in re.finditer(r"[\t|]", pt.norm[a:b]):
        _segment(pt, li, cell, seg_start, a + m.start(), tokens, add_text)
        seg_start = a + m.end()
        cell += 1
    _segment(pt, li, cell, seg_start, b, tokens, add_text)


def _segment(pt, li, cell, a, b, tokens, add_text) -> None:
    if pt.norm[a:b].strip():
        _scan(pt, li, cell, a, b, tokens, add_text)
    else:
        tokens.append(Token(BLANK, a, a, li, cell, ""))


def _scan(pt, li, cell, a, b, tokens, add_text) -> None:
    s = pt.norm
    prev = a
    for m in _SCAN.finditer(s, a, b):
        kind = m.lastgroup
        if kind == "skip":
            continue
        add_text(prev, m.start())
        prev = m.end()
        text = m.group()
        if kind == "value" and "." not in text and "," not in text and _NUMBERING_AFTER.match(s, m.end(), b):
            # a trailing digit that numbers the next label is label text
            if len(text) > 1 and text[-2].isdigit():
                tokens.append(Token(VALUE, m.start(), m.end() - 1, li, cell, text[:-1]))
            add_text(m.end() - 1, m.end())
            continue
        tokens.append(Token(VALUE if kind == "value" else MARK, m.start(), m.end(), li, cell, text))
    add_text(prev, b)
