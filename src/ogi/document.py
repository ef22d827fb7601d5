"""What every reader hands to the parser: lines of text, with table cells where the format has them.

A plain-text report becomes one Line per text line. A format with real tables
(HTML, DOCX, PDF tables) gives one Line per table row with `cells` set, so the
parser can see blank cells instead of guessing where they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Line:
    text: str
    loc: dict  # where the line is in the original: {"line": 12} or {"page": 3, "line": 40}
    cells: list[str] | None = None  # table cells, when the format has them
    cell_locs: list[dict] | None = None  # one loc per cell, e.g. {"table": 1, "row": 4, "column": 3}
    ocr: bool = False  # text read by OCR


@dataclass
class Document:
    path: str
    format: str  # text | html | pdf | docx
    lines: list[Line]
    encoding: str | None = None
    meta: dict = field(default_factory=dict)  # facts the reader found (crawler header, page count, ...)


class UnreadableInput(Exception):
    """The file cannot be turned into a Document; the message says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
