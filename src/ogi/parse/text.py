"""The parser's view of a Document: one normalised string that keeps every offset.

Normalisation maps characters one to one (full-width → ASCII, odd spaces →
space), so an offset into the normalised text is also an offset into the
original, and a cell's original text is a slice of the original.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from ogi.document import Document

_FW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200B: 0x20, 0xFEFF: 0x20, 0x2212: 0x2D, 0x3002: 0x3002})
_FW_CHARS = {chr(k): chr(v) for k, v in _FW.items() if k != v}
# str.translate looks up every character (slow on CJK text); a regex finds the few that change
_FW_RE = re.compile("[" + re.escape("".join(_FW_CHARS)) + "]")

# Page furniture that text extraction leaves in the middle of tables and prose.
PAGE_DEBRIS = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|[-—–=:|+\t ]*[-—–=]{3,}[-—–=:|+\t ]*|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|[Pp]age\s*\d+(?:\s*of\s*\d+)?)\s*$"
)


# the same, line by line over a whole text (no match may cross a line break)
_DEBRIS_LINE = re.compile("(?m)" + PAGE_DEBRIS.pattern.replace("\\s", "[ \\t]"))


def normalise(s: str) -> str:
    return _FW_RE.sub(_fw_char, s)


def _fw_char(m: re.Match) -> str:
    return _FW_CHARS[m.group()]


@dataclass
class ParseText:
    original: str
    norm: str
    line_starts: list[int]  # offset of each line in the joined text
    lines: list  # Document lines, same order
    cell_mode: list[bool]  # line is a table row (cells known)
    debris: list[int]  # indexes of lines dropped as page furniture

    @classmethod
    def from_document(cls, doc: Document) -> ParseText:
        lines = doc.lines
        texts = [
            line.text.replace("\n", " ") if line.cells is None else "\t".join(c.replace("\t", " ").replace("\n", " ") for c in line.cells)
            for line in lines
        ]
        starts = [0, *itertools.accumulate(len(t) + 1 for t in texts[:-1])] if texts else []
        cell_mode = [line.cells is not None or "\t" in t or "|" in t for line, t in zip(lines, texts)]
        original = "\n".join(texts)
        norm = normalise(original)
        debris = []
        for m in _DEBRIS_LINE.finditer(norm):
            i = bisect.bisect_right(starts, m.start()) - 1
            if doc.lines[i].cells is None:
                debris.append(i)
        if debris:
            # blank page furniture in place, so offsets stay valid
            orig, nm = list(original), list(norm)
            for i in debris:
                a, b = starts[i], starts[i] + len(texts[i])
                orig[a:b] = nm[a:b] = " " * (b - a)
                cell_mode[i] = False
            original, norm = "".join(orig), "".join(nm)
        return cls(original, norm, starts, doc.lines, cell_mode, debris)

    def line_index(self, offset: int) -> int:
        return bisect.bisect_right(self.line_starts, offset) - 1

    def loc(self, offset: int, cell_index: int | None = None, line: int | None = None) -> dict:
        """Where an offset is in the original file (`line`: its line index, when the caller knows it)."""
        i = self.line_index(offset) if line is None else line
        ln = self.lines[i]
        if ln.cells is None:
            return {**ln.loc, "column": offset - self.line_starts[i] + 1}
        if ln.cell_locs and cell_index is not None and cell_index < len(ln.cell_locs):
            return dict(ln.cell_locs[cell_index])
        return dict(ln.loc)
