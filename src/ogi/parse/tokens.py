"""Numbers and label text of one table section.

A section becomes a list of Tokens (values, blank-cell marks, empty cells) and
a `Stream`: its label text with whitespace and numbers taken out, so a label
broken over lines, printed one character per line, or interrupted by its own
numbers still reads as one string.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ogi.parse.text import ParseText

VALUE, MARK, BLANK = "value", "mark", "blank"

# Only what is not label text: line breaks, cell separators, numbers, blank marks.
# The label text between them is sliced out whole (whitespace removed in C).
_TOKEN_PARTS = {
    "nl": r"\n",
    "sep": r"[\t|]",
    # dates, percentages and bracketed item numbers ("(2)", as OCR reads （二）) are not cells
    "skip": r"\d{4}[ ]*年|\d+(?:\.\d+)?[ ]*%|\(\d{1,2}\)",
    # a sign always starts a number, even glued to the one before ("5-2" is 5 and -2);
    # an unsigned number does not start after a digit or a point;
    # "00000003.要求…": the last digit may number the next label (checked below)
    "value": r"(?:[+-](?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\d(?<![\d.]\d)(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?)"
    r"(?:(?=[ \t]*[.、](?!\d))(?P<numbering>))?",
    # "减4", "减少4", "增2", "增加2": a change printed in words (本年增/减), where a cell starts
    # (after a space, a separator or a line break: never the 减 of a label word such as 增减)
    "worded": r"(?<![^\s|])(?:减少?|增加?)[ ]*(?:\d{1,3}(?:,\d{3})+|\d+)(?!\d|[.,]\d|[ ]*%)",
    # a blank-cell mark stands alone between spaces
    "mark": r"(?:/(?<!\S/)/*|—(?<!\S—)—*|-(?<!\S-)-*|–(?<!\S–)–*|无(?<!\S无)|空(?<!\S空))(?!\S)",
}


# Characters that make the number before them words, not a cell ("2025年", "15件", "3人").
# Not 元 and 万: a money cell prints its unit after it ("251000元", "12.5万元").
TEXT_UNITS = frozenset("年月日件条次人个家项余多")


def _before_glued_text(number: str, unit: str) -> str:
    """The cells' digits before a number that belongs to the text after them ("" when there are none).

    Only a year has a known length: "2000002025年" is 200000 then 2025年. For any other
    word the text's number could start anywhere in the run: the run is text, or (with a
    leading zero, which no text prints) a token that is not a number, so its row is unread.
    """
    head, year = number[:-4], number[-4:]
    if unit == "年" and head[-1:].isdigit() and year.isdigit() and 1949 <= int(year) <= 2099:
        return head
    return ""


def _token_pattern(names: tuple[str, ...], first: str) -> re.Pattern:
    # a token can start only with one of `first`: the lookahead lets the regex engine skip the rest fast
    return re.compile(rf"(?={first})(?:" + "|".join(f"(?P<{n}>{_TOKEN_PARTS[n]})" for n in names) + ")")


_TOKEN = _token_pattern(("nl", "sep", "skip", "value", "worded", "mark"), r"[\n\t|\d(+\-/—–无空增减]")
# sections without table rows: no separators, and line breaks only matter for line numbers
_TOKEN_PLAIN = _token_pattern(("skip", "value", "worded", "mark"), r"[\d(+\-/—–无空增减]")
_SIGN_WORDS = {"减": "-", "增": "+"}


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
    row_matches: dict = field(default_factory=dict, repr=False)  # match_rows results, by row list

    def offset(self, i: int) -> int:
        k = bisect.bisect_right(self.chunk_pos, i) - 1
        return self.chunk_off[k] + (i - self.chunk_pos[k])


def tokenize(pt: ParseText, start: int, end: int) -> tuple[list[Token], Stream]:
    """One pass over the section: values, marks, blank cells, and the label text between them."""
    tokens: list[Token] = []
    chunks: list[str] = []
    chunk_pos: list[int] = []
    chunk_off: list[int] = []
    pos = 0
    norm = pt.norm
    li = pt.line_index(start)
    cell_mode = pt.cell_mode[li]
    cell = len(re.findall(r"[\t|]", norm[pt.line_starts[li] : start])) if cell_mode else None
    cell_start, cell_empty = start, True
    prev = start
    add = tokens.append
    line_cell_mode, n_lines, line_starts, doc_lines = pt.cell_mode, len(pt.cell_mode), pt.line_starts, pt.lines
    # no table row in the section: line breaks need no token of their own (a token's line is looked up)
    plain = not any(line_cell_mode[li : pt.line_index(max(start, end - 1)) + 1])

    def label_text(seg: str, at: int) -> None:
        """Label text kept whole, without its spaces; a chunk a line, so a stream offset stays on its line."""
        nonlocal pos
        for part in seg.split("\n"):
            if part and not part.isspace():
                piece = "".join(part.split())
                chunks.append(piece)
                chunk_pos.append(pos)
                chunk_off.append(at + len(part) - len(part.lstrip()))
                pos += len(piece)
            at += len(part) + 1

    pattern = _TOKEN_PLAIN if plain else _TOKEN
    value_group, numbering_group = pattern.groupindex["value"], pattern.groupindex["numbering"]  # by number: faster than by name
    for m in pattern.finditer(norm, start, end):
        kind = m.lastgroup
        if kind == "skip":
            continue  # stays in the text before the next token
        a, e = m.span()
        if plain:
            while li + 1 < n_lines and line_starts[li + 1] <= a:
                li += 1
        if a > prev:
            seg = norm[prev:a]
            if not seg.isspace():
                if "\n" in seg:
                    label_text(seg, prev)
                else:  # the common case, inline
                    piece = "".join(seg.split())
                    chunks.append(piece)
                    chunk_pos.append(pos)
                    chunk_off.append(prev + len(seg) - len(seg.lstrip()))
                    pos += len(piece)
                cell_empty = False
        prev = e
        if kind == "sep" or kind == "nl":
            # an empty last cell is a blank cell where the reader gave cells (an HTML <td></td>);
            # in text, a tab at the end of a line is not a cell
            if cell_mode and cell_empty and (kind == "sep" or a > cell_start or doc_lines[li].cells is not None):
                add(Token(BLANK, cell_start, cell_start, li, cell, ""))
            if kind == "nl":
                li += 1
                cell_mode = li < n_lines and line_cell_mode[li]
                cell = 0 if cell_mode else None
            elif cell is not None:
                cell += 1
            cell_start, cell_empty = e, True
            continue
        cell_empty = False
        if kind == "mark":
            add(Token(MARK, a, e, li, cell, m.group()))
            continue
        if kind == "worded":
            if e < end and norm[e] in TEXT_UNITS:
                prev = a  # "减少3件": the text's words, not a cell
            else:
                # the cell's text stays as printed ("减4"); its number is signed ("-4")
                add(Token(VALUE, a, e, li, cell, _SIGN_WORDS[norm[a]] + norm[a:e].lstrip("减少增加 ")))
            continue
        value = m.group(value_group)
        if e < end and norm[e] in TEXT_UNITS:
            # "…继续办理2000002025年，我局…": a number glued to 年, 件, 人… is the narrative's; the cell ends where it begins
            keep = _before_glued_text(value, norm[e])
            if keep:
                add(Token(VALUE, a, a + len(keep), li, cell, keep))
                prev = a + len(keep)
            elif len(value) > 1 and value[0] == "0":
                # "…办理000000015件": no text writes 015; cells run into the words, where is not known: not a number
                add(Token(VALUE, a, e, li, cell, value + norm[e]))
            else:
                prev = a  # the number stays in the text before the next token
            continue
        if m.start(numbering_group) != -1 and "." not in value and "," not in value:
            # "00000003.要求…": the last digit numbers the next label, it is label text
            if len(value) > 1 and value[-2].isdigit():
                add(Token(VALUE, a, e - 1, li, cell, value[:-1]))
            prev = e - 1
            continue
        add(Token(VALUE, a, e, li, cell, value))
    if prev < end:
        seg = norm[prev:end]
        if not seg.isspace():
            label_text(seg, prev)
            cell_empty = False
    if cell_mode and cell_empty and end > cell_start and not norm[cell_start:end].strip():
        add(Token(BLANK, cell_start, cell_start, li, cell, ""))
    return tokens, Stream("".join(chunks), chunk_pos, chunk_off)
