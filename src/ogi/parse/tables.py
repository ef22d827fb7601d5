"""Read one template table out of a section's tokens.

Rows are found by their labels, in template order, in the label stream. A
row owns the numbers from the start of its label to the start of the next
row's label, so a label's tail printed after its numbers still works. Every
number is placed in a cell or reported as left over.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from ogi import check
from ogi import template as templates
from ogi.check import Ref
from ogi.parse.split import split_runs
from ogi.parse.text import ParseText, normalise
from ogi.parse.tokens import BLANK, MARK, VALUE, Stream, Token

_NUMBERING_BEFORE = re.compile(r"(?:\d{1,2}[.、]|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}[、.])$")
_ARABIC_NUMBERING_BEFORE = re.compile(r"\d{1,2}[.、]$")
_LABEL_NUMBERING = re.compile(r"^(?:\d{1,2}[.、]|\([一二三四五六七八九十]{1,2}\)|[一二三四五六七八九十]{1,2}[、.])")
MAX_COMBINATIONS = 20_000
# No body's report counts ten million of anything in one cell (the largest seen: 3,985,758 行政处罚
# decisions of a city); eight digits in a count are cells run together (89 / 74 / 1888 read as 89741888).
IMPLAUSIBLE_COUNT = 10_000_000


@dataclass
class TableResult:
    # the record's cell objects (see schemas/record.schema.json), by (row code, column code);
    # money keeps its Decimal here, for the rules, until the record is written
    cells: dict[Ref, dict] = field(default_factory=dict)
    offsets: dict[Ref, int] = field(default_factory=dict)  # where a money cell's text starts, for its unit
    problems: list[dict] = field(default_factory=list)
    unplaced: list[Token] = field(default_factory=list)


@dataclass
class _Placement:
    tokens: list[Token] | None = None  # one per cell, in column order
    readings: list[list[str]] | None = None  # digit splits, when the row ran together
    digit_offsets: list[int] | None = None
    error: str | None = None
    not_printed: bool = False  # the row has no numbers at all
    split_note: str | None = None
    consumed: list[Token] | None = None  # the region's tokens this placement used
    all_used: bool = False  # every number and mark of the region is in a cell


def label_keys(row: dict) -> list[str]:
    return _label_keys(row["label"], tuple(row.get("keys", ())))


@functools.cache
def _label_keys(label: str, extra: tuple[str, ...]) -> list[str]:
    keys = [_LABEL_NUMBERING.sub("", _squash(label))] + [_squash(k) for k in extra]
    return list(dict.fromkeys(k for k in keys if k))


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", normalise(s))


def match_rows(stream: Stream, rows: Sequence[dict]) -> dict[str, tuple[int, int]]:
    """Row code → (start, end) of its label in the stream, numbering included; rows in template order."""
    key = tuple(r["code"] for r in rows)
    if key not in stream.row_matches:
        stream.row_matches[key] = _match_rows(stream, rows)
    return dict(stream.row_matches[key])


def _match_rows(stream: Stream, rows: Sequence[dict]) -> dict[str, tuple[int, int]]:
    found, cursor, text = {}, 0, stream.text
    for row in rows:
        best = None
        for key in label_keys(row):
            i = text.find(key, cursor)
            while i != -1 and row.get("numbered") and not _ARABIC_NUMBERING_BEFORE.search(text, max(0, i - 3), i):
                i = text.find(key, i + 1)
            if i != -1 and (best is None or i < best[0]):
                best = (i, i + len(key))
        if best:
            m = _NUMBERING_BEFORE.search(text, max(0, best[0] - 4), best[0])
            found[row["code"]] = (m.start() if m else best[0], best[1])
            cursor = best[1]
    return found


def count_matches(stream: Stream, rows: Sequence[dict]) -> int:
    return len(match_rows(stream, rows))


def read_table(
    pt: ParseText, name: str, table: dict, rows: Sequence[dict], tokens: list[Token], stream: Stream, span: tuple[int, int]
) -> TableResult:
    result = TableResult()
    starts = [t.start for t in tokens]
    insts = check.instances_cached(name, table, templates.rows_key(rows), rows)
    if table["read"] == "one_line":
        regions: dict[str | None, tuple[int, int]] = {None: (span[0], span[1])}
    else:
        matches = match_rows(stream, rows)
        regions = _regions(stream, matches, span)
        first = min((a for a, _ in regions.values()), default=span[1])
        result.unplaced += [t for t in tokens[: bisect.bisect_left(starts, first)] if t.kind in (VALUE, MARK)]
        _assign_unrecognised(pt, stream, rows, table, tokens, starts, regions, result)

    ambiguous: dict[str | None, tuple[tuple[tuple[str, str], ...], _Placement]] = {}
    split_rows: list[str] = []
    plan = _plan(table, rows, insts)
    skeletons = cell_skeletons(name, table, rows)
    cells, original = result.cells, pt.original
    for key, (a, b) in regions.items():
        region = tokens[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]
        refs, row_rules = plan[key]
        placement = _place(pt, region, len(refs), row_rules, a, b)
        if placement.error:
            _unread_row(pt, table, skeletons, refs, key, region, placement.error, result)
            continue
        if placement.not_printed:
            _not_printed_row(pt, table, skeletons, refs, key, a, result)
            continue
        if placement.readings is not None:
            offs = placement.digit_offsets
            text, where = (original[offs[0] : offs[-1] + 1], pt.loc(offs[0])) if offs else ("", None)
            for ref in refs:
                cells[ref] = _new_cell(skeletons[ref], None, text, "ambiguous", dict(where) if where else None)
            ambiguous[key] = (refs, placement)
            continue
        assert placement.tokens is not None
        _fill_cells(pt, table, skeletons, refs, placement.tokens, placement.split_note, result)
        if placement.split_note:
            split_rows.append(f"{'的数字' if key is None else f'行 {key}'}: {placement.split_note}")
        if not placement.all_used:
            used = {id(t) for t in (placement.consumed or placement.tokens)}
            result.unplaced += [t for t in region if t.kind != BLANK and id(t) not in used]
        _implausible(table, refs, key, result)

    split_rows += _resolve_across_rows(pt, table, insts, skeletons, ambiguous, result)
    if split_rows:
        split_rows = _verify_splits(table, insts, result, split_rows)
    if split_rows:
        msg = (
            f"{_section_name(table)}: {len(split_rows)} 行数字连写，按勾稽关系唯一拆分 ({len(split_rows)} rows had their digits run together and were split the only way the rules allow: "
            + "; ".join(split_rows)
            + ")"
        )
        result.problems.append(_problem("warning", "split_by_rules", msg, table, None))
    missing = [r for r in rows if r["code"] not in regions and table["read"] != "one_line"]
    if missing:
        # a row left out, or its label unreadable: its cells are gaps, the rest of the table stands
        severity = "warning"
        names = "、".join(f"{r['code']} {r['label']}" for r in missing)
        result.problems.append(
            _problem(
                severity,
                "rows_not_found",
                f"{_section_name(table)}: 未找到 {len(missing)} 行 ({len(missing)} rows not found in the report: {names})",
                table,
                missing[0]["code"],
            )
        )
    if len(cells) < len(plan[None][0]):
        for ref in plan[None][0]:
            if ref not in cells:
                cells[ref] = _new_cell(skeletons[ref], None, "", "not_found", None)
    _units(pt, table, stream, result)
    result.cells = {ref: cells[ref] for ref in skeletons}  # template order
    return result


def _unread_row(
    pt: ParseText, table: dict, skeletons: dict, refs, key: str | None, region: list[Token], why: str, result: TableResult
) -> None:
    """A row whose numbers cannot be placed: its cells are empty and flagged, its numbers kept as their text."""
    numbers = [t for t in region if t.kind != BLANK]
    text = " ".join(pt.original[t.start : t.end] for t in numbers)
    where = pt.loc(numbers[0].start, numbers[0].cell, numbers[0].line) if numbers else None
    for ref in refs:
        result.cells[ref] = _new_cell(skeletons[ref], None, text, "unread", dict(where) if where else None)
    result.unplaced += numbers
    label = "的数字" if key is None else f"行 {key}"
    msg = f"{_section_name(table)} {label}: 未能读出，单元格留空 (row not read, its cells left empty): {why}"
    result.problems.append(_problem("warning", "row_unread", msg, table, key))


def _not_printed_row(pt: ParseText, table: dict, skeletons: dict, refs, key: str | None, label_at: int, result: TableResult) -> None:
    """A row printed with no numbers at all (flattening dropped its empty cells): not 0, not blank — not printed."""
    where = pt.loc(label_at)
    for ref in refs:
        result.cells[ref] = _new_cell(skeletons[ref], None, "", "not_printed", dict(where))
    label = "的数字" if key is None else f"行 {key}"
    msg = f"{_section_name(table)} {label}: 该行没有数字，单元格留空 (the row prints no numbers; its cells are left empty, not read as 0)"
    result.problems.append(_problem("warning", "row_not_printed", msg, table, key))


def _implausible(table: dict, refs, key: str | None, result: TableResult) -> None:
    """A count no body reports in one cell is digits of several cells run together: flagged, not published."""
    bad = [ref for ref in refs if type(v := result.cells[ref]["value"]) is int and abs(v) >= IMPLAUSIBLE_COUNT]
    for ref in bad:
        cell = result.cells[ref]
        cell["value"], cell["flag"] = None, "implausible"
    if bad:
        shown = ", ".join(f"{r}/{c} '{result.cells[(r, c)]['text']}'" for r, c in bad)
        label = "的数字" if key is None else f"行 {key}"
        result.problems.append(
            _problem(
                "warning",
                "implausible_value",
                f"{_section_name(table)} {label}: 数值不可信，单元格留空 ({shown}: {IMPLAUSIBLE_COUNT:,} or more in one cell can only be several cells run together; left empty, the text kept)",
                table,
                key,
            )
        )


def _regions(stream: Stream, matches: dict[str, tuple[int, int]], span: tuple[int, int]) -> dict[str | None, tuple[int, int]]:
    codes = list(matches)
    offs = [stream.offset(matches[c][0]) for c in codes]
    return {c: (offs[i], offs[i + 1] if i + 1 < len(codes) else span[1]) for i, c in enumerate(codes)}


def _place(pt: ParseText, region: list[Token], ncells: int, rules, label_at: int, end: int) -> _Placement:
    """The region's tokens in the row's cells; `label_at`: where the row's label starts, `end`: where the region ends."""
    filled = [t for t in region if t.kind != BLANK]
    several_lines = bool(filled) and filled[0].line != filled[-1].line  # tokens are in text order
    if several_lines and len(filled) <= ncells + 1 and (line := _table_line_holding_row(region, ncells, pt.line_index(label_at))):
        return _Placement(tokens=line)  # numbers on other lines are reported as unplaced
    if len(filled) == ncells:
        if several_lines and _blank_on_label_line(region, pt.line_index(label_at)):
            # a row laid out in cells, with a blank cell on its own line, is that line: numbers
            # elsewhere would fill its blanks by count alone (a trailing tab is not read as a cell)
            return _Placement(
                error="本行有空白单元格，其余数字在别的行 (the row's line shows blank cells and the other numbers are on other lines: "
                "they may be stray numbers standing where blank cells were printed)"
            )
        if several_lines and rules and _one_number_apart(filled, pt.line_index(label_at)):
            # even if the rules hold: a stray 0 where a blank cell was not printed satisfies them too
            return _Placement(
                error=f"{ncells - 1} 个数字在一行，另有 1 个在别的行 ({ncells - 1} numbers on the row's line and one on another line: "
                "it may be a stray number standing where a blank cell was not printed)"
            )
        return _Placement(tokens=filled, all_used=True)
    value_lines = {t.line for t in filled}
    items = [t for t in region if t.kind != BLANK or t.line in value_lines]
    if filled and len(filled) < ncells and len(items) > len(filled) and not several_lines:
        while len(items) > ncells and items[-1].kind == BLANK:
            items.pop()
        while len(items) > ncells and items[0].kind == BLANK:
            items.pop(0)
        if len(items) == ncells:
            return _Placement(tokens=items, all_used=True)  # only blank cells were trimmed
    if (
        filled
        and all(t.kind == VALUE and t.text.isdigit() for t in filled)
        and _only_spaces_between(pt, filled)
        and _looks_run_together(pt, filled, ncells, bool(rules))
    ):
        return _split(filled, ncells, rules)
    if not filled:
        # a row of empty table cells (<td></td> × n) on its label's line: every cell blank
        blanks = [t for t in region if t.kind == BLANK and t.line == region[0].line]
        if len(blanks) == ncells:
            return _Placement(tokens=blanks, all_used=True)
    if line_cells := _one_cell_per_line(pt, region, ncells, label_at, end):
        return _Placement(tokens=line_cells, all_used=True)
    if not filled:
        return _Placement(not_printed=True)
    if rules and len(filled) > ncells and (line := _line_holding_row(filled, ncells, rules)):
        return _Placement(tokens=line)  # the other numbers are reported as unplaced
    return _Placement(
        error=f"{len(filled)} 个数字，应为 {ncells} 个 ({len(filled)} numbers for {ncells} cells; cannot tell which cells they belong to)"
    )


# "0 |", "/ |", "|": a line holding one cell, ended by its pipe (empty when nothing precedes the pipe)
_ONE_CELL_LINE = re.compile(r"[ \t]*([^|\n]*?)[ \t]*\|[ \t]*")
_PIPES_ONLY = re.compile(r"[ \t]*\|(?:[ \t]*\|)+[ \t]*")  # "||": what is left of merged cells, not cells
_TEXT, _END = "text", "end"


def _one_cell_per_line(pt: ParseText, region: list[Token], ncells: int, label_at: int, end: int) -> list[Token] | None:
    """A row printed one cell per line, every line ending in '|': each line is one cell, blank when only '|'.

    `行政许可 |` / `6 |` / `|` / `2 |` is 6, blank, 2. Lines of pipes only (`||`) and lines of
    label text (a group heading) may follow the cells, never come between them. Some pages start
    every row with a lone '|' line: when the row's label line has one before it, the lone '|'
    before the next label (or a heading line) is that line's, not a blank cell. Anything else,
    or a count of cells that is not the row's, is no reading (None).
    """
    norm, starts = pt.norm, pt.line_starts
    first = pt.line_index(label_at)
    last = pt.line_index(end) if end < len(norm) else len(starts)
    if not _ONE_CELL_LINE.fullmatch(_line_text(pt, first)):
        return None
    by_line: dict[int, list[Token]] = {}
    for t in region:
        by_line.setdefault(t.line, []).append(t)
    entries: list = []  # a Token (a cell), _TEXT or _END, a line each
    for i in range(first + 1, last):
        text = _line_text(pt, i)
        if not text.strip():
            continue
        if _PIPES_ONLY.fullmatch(text):
            entries.append(_END)
            continue
        m = _ONE_CELL_LINE.fullmatch(text)
        toks = by_line.get(i, [])
        if not m:
            return None
        content = m.group(1)
        if not content:
            if len(toks) != 1 or toks[0].kind != BLANK:
                return None
            entries.append(toks[0])
        elif not toks:
            entries.append(_TEXT)  # label text: a heading between rows, or the label's tail
        elif len(toks) == 1 and toks[0].kind != BLANK and norm[toks[0].start : toks[0].end] == content:
            entries.append(toks[0])
        else:
            return None  # a number with words around it, or several in one cell
    # the next label's line may start with a heading ("三、本年度办理结果 (一)予以公开"): label text only
    heading = end < len(norm) and bool(norm[starts[last] : end].strip())
    if heading:
        if any(t.line == last for t in region):
            return None
        entries.append(_TEXT)
    if first > 0 and _line_text(pt, first - 1).strip() == "|":
        # every row starts with a lone '|': the one before the next label or a heading line is its
        markers = [k - 1 for k, e in enumerate(entries) if e is _TEXT] + ([] if heading else [len(entries) - 1])
        if any(k < 0 or not isinstance(entries[k], Token) or entries[k].kind != BLANK for k in markers):
            return None
        entries = [e for k, e in enumerate(entries) if k not in markers]
    cells = list(itertools.takewhile(lambda e: isinstance(e, Token), entries))
    if any(isinstance(e, Token) for e in entries[len(cells) :]) or len(cells) != ncells:
        return None
    return cells


def _line_text(pt: ParseText, i: int) -> str:
    a = pt.line_starts[i]
    b = pt.line_starts[i + 1] - 1 if i + 1 < len(pt.line_starts) else len(pt.norm)
    return pt.norm[a:b]


def _table_line_holding_row(region: list[Token], ncells: int, label_line: int) -> list[Token] | None:
    """A table row with a blank cell, and numbers on other lines too: the row's own line, if its cells are the row.

    A stray number elsewhere in the span must not fill the place of a blank cell. The row's
    own line is its label's line (its cells follow the label), else its first line of numbers
    (from its first number: an empty first cell there is indentation). Other lines may be
    rows whose label was not recognised.
    """
    own = [t for t in region if t.line == label_line]
    if not any(t.kind != BLANK for t in own):
        first = next(i for i, t in enumerate(region) if t.kind != BLANK)
        own = [t for t in region[first:] if t.line == region[first].line]
    return own if len(own) == ncells and any(t.kind == BLANK for t in own) else None


def _blank_on_label_line(region: list[Token], label_line: int) -> bool:
    return any(t.kind == BLANK and t.line == label_line for t in region)


def _one_number_apart(filled: list[Token], label_line: int) -> bool:
    """All numbers on one line but one, alone on a line of its own: the row printed without its blank cell, and a stray number?

    One number after the label and the rest on the next line is a row wrapped by text extraction.
    """
    per_line: dict[int, list[Token]] = {}
    for t in filled:
        per_line.setdefault(t.line, []).append(t)
    if len(per_line) != 2:
        return False
    lone = next((line for line, toks in per_line.items() if len(toks) == 1), None)
    return lone is not None and lone != label_line and len(filled) > 2


def _line_holding_row(filled: list[Token], ncells: int, rules) -> list[Token] | None:
    """More numbers than cells, over several lines: the row's first line of numbers, if they are the row.

    A header line with digits in it ("数据1 … 数据6") or a stray line inside the row's span
    must not sink the row. The line taken is the first (the row's own: another line may be
    a row whose label was not recognised), has exactly the row's count of whole numbers and
    satisfies every rule of the row.
    """
    own = [t for t in filled if t.line == filled[0].line]
    return own if len(own) == ncells and len(own) < len(filled) and _row_rules_hold(own, rules) else None


def _row_rules_hold(toks: list[Token], rules) -> bool:
    if not all(t.kind == VALUE and t.text.isdigit() for t in toks):
        return False
    values = [int(t.text) for t in toks]
    return all(sum(values[i] for i in left) == sum(values[i] for i in right) for left, right in rules)


def _looks_run_together(pt: ParseText, filled: list[Token], ncells: int, has_rules: bool) -> bool:
    """Spaces between well-formed numbers are cell boundaries: re-cut a row only when it ran together.

    Evidence that it did: a number no one prints ("01", "00000"), digits glued to the
    label before them ("数量640020470"), or, where a rule will check the reading, one
    long run of digits for the whole row. Runs are cut, never joined: more numbers
    than cells cannot be a reading.
    """
    if len(filled) > ncells:
        return False  # a printed separator is a cell boundary: numbers are never joined
    if has_rules and len(filled) == 1 and len(filled[0].text) >= ncells:
        return True
    leading_zero = any(len(t.text) > 1 and t.text[0] == "0" for t in filled)
    first = filled[0].start
    glued = first > 0 and not pt.norm[first - 1].isspace() and pt.norm[first - 1] not in "|\t"
    return leading_zero or glued


def _only_spaces_between(pt: ParseText, toks: list[Token]) -> bool:
    """Digits may be joined for splitting only when spaces on one line separate them.

    A lost sign or a line break between two numbers means they were printed as separate cells.
    """
    return all(not pt.norm[a.end : b.start].strip() and "\n" not in pt.norm[a.end : b.start] for a, b in zip(toks, toks[1:]))


def _split(filled: list[Token], ncells: int, rules) -> _Placement:
    """Digits run together, perhaps in several runs: cut inside runs, never across a printed separator."""
    runs = [t.text for t in filled]
    digits = "".join(runs)
    offsets = [o for t in filled for o in range(t.start, t.end)]  # digits only: text and span have one length
    raw = " ".join(runs)
    if len(digits) < ncells or len(runs) > ncells:
        return _Placement(error=f"{len(filled)} 个数字，应为 {ncells} 个 ('{raw}': {len(filled)} numbers for {ncells} cells)")
    if not rules:
        # No rule to check a reading against, and a blank cell leaves no trace in run-together
        # text: accept a reading only when no other cut, into these cells or fewer, is possible.
        every = [r for k in range(len(runs), ncells + 1) for r in split_runs(runs, k, []).readings]
        full = [r for r in every if len(r) == ncells]
        if len(every) == 1 and full:
            return _split_tokens(filled, full[0], offsets, f"'{raw}' read as {' / '.join(full[0])}, the only way to read these digits")
        return _Placement(readings=every or [[digits]], digit_offsets=offsets)
    res = split_runs(runs, ncells, rules)
    readings = res.readings
    if len(readings) == 1 and not res.exhausted:
        return _split_tokens(
            filled, readings[0], offsets, f"'{raw}' read as {' / '.join(readings[0])}, the only reading that satisfies the rules"
        )
    if not readings and not res.exhausted:
        return _Placement(
            error=f"{len(filled)} 个数字，应为 {ncells} 个 ('{raw}': {len(filled)} numbers for {ncells} cells, and no way of cutting them satisfies the rules)"
        )
    return _Placement(readings=readings, digit_offsets=offsets)


def _split_tokens(filled: list[Token], reading: list[str], offsets: list[int], note: str) -> _Placement:
    toks, pos, k = [], 0, 0
    for part in reading:
        start = offsets[pos]
        end = offsets[pos + len(part) - 1] + 1
        while filled[k].end <= start:
            k += 1
        toks.append(Token(VALUE, start, end, filled[k].line, filled[k].cell, part))
        pos += len(part)
    same = len(filled) == len(toks) and all(t.start == f.start and t.end == f.end for t, f in zip(toks, filled))
    return _Placement(tokens=toks, split_note=None if same else note, consumed=filled)


def _integer_columns(table: dict) -> frozenset[str]:
    return templates.once_per(
        table, "integer columns", lambda: frozenset(c for c, col in table["columns"].items() if col["type"] == "integer")
    )


def _plan(table: dict, rows: Sequence[dict], insts) -> dict[str | None, tuple[tuple[tuple[str, str], ...], tuple]]:
    """For each row code (and None: the whole table) its cells and its row rules as cell indexes."""
    return templates.once_per(table, ("plan", templates.rows_key(rows)), lambda: _make_plan(table, rows, insts))


def _column_rules(insts) -> tuple:
    return templates.once_per(insts, "column rules", lambda: tuple(i for i in insts if i.per == "column"))


def _make_plan(table: dict, rows: Sequence[dict], insts) -> dict[str | None, tuple[tuple[tuple[str, str], ...], tuple]]:
    plan = {}
    for code, row_list in [(None, rows)] + [(r["code"], [r]) for r in rows]:
        refs = tuple((r["code"], c) for r in row_list for c in templates.row_columns(table, r))
        plan[code] = (refs, _rule_indexes(insts, refs, "row"))
    return plan


def _rule_indexes(insts, refs, per: str):
    index = {ref: i for i, ref in enumerate(refs)}
    out = []
    for inst in insts:
        if inst.per != per:
            continue
        if all(r in index for r in inst.left + inst.right):
            out.append((tuple(index[r] for r in inst.left), tuple(index[r] for r in inst.right)))
    return tuple(out)


def cell_skeletons(name: str, table: dict, rows: Sequence[dict]) -> dict[Ref, dict]:
    """Each cell's fixed fields, in record order, once per table and row list."""
    return templates.once_per(table, ("cell skeletons", templates.rows_key(rows)), lambda: _make_skeletons(name, table, rows))


def _make_skeletons(name: str, table: dict, rows: Sequence[dict]) -> dict[Ref, dict]:
    return {
        (row["code"], col): {
            "section": table["section"],
            "table": name,
            "row_code": row["code"],
            "row_label": row["label"],
            "column_code": col,
            "column_label": table["columns"][col]["label"],
            "value": None,
            "unit": table["columns"][col].get("unit"),
            "text": None,
            "flag": None,
            "source": None,
        }  # fmt: skip
        for row in rows
        for col in templates.row_columns(table, row)
    }


def _fill_cells(
    pt: ParseText, table: dict, skeletons: dict, refs, tokens: list[Token], split_note: str | None, result: TableResult
) -> None:
    """A row's cells from its placed tokens, one each."""
    cells, original, lines, line_starts, int_cols = result.cells, pt.original, pt.lines, pt.line_starts, _integer_columns(table)
    split_flag = "split_by_rules" if split_note else None
    for ref, tok in zip(refs, tokens):
        line = lines[tok.line]
        if tok.kind == VALUE and line.cells is None and not line.ocr and ref[1] in int_cols and tok.text.isdigit():
            # the common case, a plain count on a text line, inline (pt.loc and _token_cell do the same)
            cell = cells[ref] = skeletons[ref].copy()
            cell["value"], cell["text"], cell["flag"] = int(tok.text), original[tok.start : tok.end], split_flag
            cell["source"] = {**line.loc, "column": tok.start - line_starts[tok.line] + 1}
        else:
            cells[ref] = _token_cell(pt, table, skeletons[ref], ref, tok, split_note, result)


def _new_cell(skeleton: dict, value, text: str, flag: str | None, source: dict | None) -> dict:
    cell = skeleton.copy()
    cell["value"], cell["text"], cell["flag"], cell["source"] = value, text, flag, source
    return cell


def _token_cell(pt: ParseText, table: dict, skeleton: dict, ref: Ref, tok: Token, split_note, result: TableResult) -> dict:
    source = pt.loc(tok.start, tok.cell, tok.line)
    if tok.kind == BLANK:
        return _new_cell(skeleton, None, "", "blank", source)
    original = pt.original[tok.start : tok.end]
    if tok.kind == MARK:
        return _new_cell(skeleton, None, original, "blank_mark", source)
    col = table["columns"][ref[1]]
    value: int | Decimal | None
    flag: str | None
    if tok.text.isdigit() and col["type"] == "integer":
        value, flag = int(tok.text), None  # the common case, without the general parse
    else:
        value, flag = _number(tok.text, col)
    if original[:1] in "增减" and not col.get("signed"):
        value, flag = None, "invalid_number"  # "减4" is a change: only a 本年增/减 cell holds one
    if split_note and flag is None:
        flag = "split_by_rules"
    if flag is None and "ocr" in source:
        flag = "ocr"  # read by OCR: the rules are the guard against misreads
    if col["type"] == "decimal":
        result.offsets[ref] = tok.start
    return _new_cell(skeleton, value, original, flag, source)


def _number(text: str, col: dict) -> tuple[int | Decimal | None, str | None]:
    t = text.replace(",", "")
    try:
        if col["type"] == "integer":
            if "." in t:
                return None, "invalid_number"
            return int(t), None
        return Decimal(t), None
    except (ValueError, InvalidOperation):
        return None, "invalid_number"


def _assign_unrecognised(pt, stream, rows, table, tokens, starts, regions, result) -> None:
    """Rows whose label was not recognised, placed by order when the numbers leave no doubt."""
    codes = [r["code"] for r in rows]
    found = [i for i, c in enumerate(codes) if c in regions]
    for i, j in zip(found, found[1:]):
        if j == i + 1:
            continue
        prev, missing = codes[i], codes[i + 1 : j]
        a, b = regions[prev]
        region = [t for t in tokens[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)] if t.kind in (VALUE, MARK)]
        groups = _groups_by_text(stream, region)
        want = [prev] + missing
        sizes = [len(templates.row_columns(table, next(r for r in rows if r["code"] == c))) for c in want]
        if len(groups) != len(want) or [len(g) for g in groups] != sizes:
            continue
        gaps = [_text_between(stream, groups[i][-1].end, groups[i + 1][0].start) for i in range(len(groups) - 1)]
        labels = [label_keys(next(r for r in rows if r["code"] == c))[0] for c in missing]
        if not all(_overlap(g, lab) >= 0.4 for g, lab in zip(gaps, labels)):
            continue
        bounds = [groups[i][0].start for i in range(1, len(groups))]
        regions[prev] = (a, bounds[0])
        for i, code in enumerate(missing):
            regions[code] = (bounds[i], bounds[i + 1] if i + 1 < len(bounds) else b)
            result.problems.append(
                _problem(
                    "warning",
                    "label_not_recognised",
                    f"{_section_name(table)} 行 {code}: 行名未识别，按顺序放置 (label '{gaps[i]}' not recognised as '{labels[i]}'; numbers placed by order)",
                    table,
                    code,
                )
            )
    ordered = sorted(regions.items(), key=lambda kv: kv[1][0])
    regions.clear()
    regions.update(ordered)


def _groups_by_text(stream: Stream, toks: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = []
    for t in toks:
        if groups and not _text_between(stream, groups[-1][-1].end, t.start):
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups


def _text_between(stream: Stream, a: int, b: int) -> str:
    i = bisect.bisect_left(stream.chunk_off, a)
    out = []
    while i < len(stream.chunk_off) and stream.chunk_off[i] < b:
        end = stream.chunk_pos[i + 1] if i + 1 < len(stream.chunk_pos) else len(stream.text)
        out.append(stream.text[stream.chunk_pos[i] : end])
        i += 1
    return "".join(out)


def _overlap(seen: str, label: str) -> float:
    if not label:
        return 0.0
    common = sum((Counter(seen) & Counter(label)).values())
    return common / len(label)


def _resolve_across_rows(pt, table, insts, skeletons, ambiguous, result) -> list[str]:
    """Rows with several valid readings: keep the one combination the column rules allow, if only one does."""
    if not ambiguous:
        return []
    keys = list(ambiguous)
    options = [ambiguous[k][1].readings for k in keys]
    total = 1
    for o in options:
        total *= max(len(o), 1)
    col_insts = _column_rules(insts)
    fits = []
    # without column rules (section 二) every combination fits: nothing to resolve
    if col_insts and total <= MAX_COMBINATIONS and all(options):
        values = {ref: c["value"] for ref, c in result.cells.items() if c["flag"] != "ambiguous"}
        moving = {ref for k in keys for ref in ambiguous[k][0]}
        through = [i for i in col_insts if moving.intersection(i.left + i.right)]
        # a rule through no ambiguous row holds or fails the same for every combination
        settled = all(check.holds(i, values) is not False for i in col_insts if not moving.intersection(i.left + i.right))
        for combo in itertools.product(*options) if settled else ():
            for k, reading in zip(keys, combo):
                for ref, part in zip(ambiguous[k][0], reading):
                    values[ref] = int(part)
            if all(check.holds(i, values) is not False for i in through):
                fits.append(combo)
                if len(fits) > 1:
                    break
    if len(fits) == 1:
        notes = []
        for k, reading in zip(keys, fits[0]):
            refs, placement = ambiguous[k]
            p = _split_tokens_from_offsets(placement.digit_offsets, reading, pt)
            for ref, tok in zip(refs, p):
                result.cells[ref] = _token_cell(pt, table, skeletons[ref], ref, tok, "split", result)
            notes.append(
                f"行 {k}: '{''.join(reading)}' read as {' / '.join(reading)}, the only reading that satisfies the row and column rules"
            )
        return notes
    for k in keys:
        refs, placement = ambiguous[k]
        n = len(placement.readings)
        shown = "; ".join(" / ".join(r) for r in placement.readings[:3])
        result.problems.append(
            _problem(
                "warning",
                "ambiguous_split",
                f"{_section_name(table)} 行 {k}: 数字连写，有 {n} 种读法符合规则，未拆分 (digits run together; {n} readings satisfy the rules, e.g. {shown}; cells left empty)",
                table,
                k,
            )
        )
    return []


def _verify_splits(table, insts, result: TableResult, notes: list[str]) -> list[str]:
    """A split is kept only if every column rule through its row can be computed and holds.

    A report whose own totals are wrong can make a wrong reading the only one
    that satisfies its row; the column rules catch that, and the row is left empty.
    Tables without column rules (section 四) rest on their row rules alone.
    """
    cells = result.cells
    values = {ref: c["value"] for ref, c in cells.items()}
    suspect: set[str] = set()
    for inst in _column_rules(insts):
        # unconfirmed (a rule that fails, or cannot be computed) is not good enough
        if check.holds(inst, values) is not True:
            suspect.update(r for r, c in inst.left + inst.right if (r, c) in cells and cells[(r, c)]["flag"] == "split_by_rules")
    for row in sorted(suspect):
        for ref, cell in cells.items():
            if ref[0] == row:
                cell["value"], cell["flag"] = None, "ambiguous"
                result.offsets.pop(ref, None)
        result.problems.append(
            _problem(
                "warning",
                "ambiguous_split",
                f"{_section_name(table)} 行 {row}: 数字连写，唯一符合行规则的读法未能通过列规则验证，未拆分 (digits run together; the only reading that fits the row is not confirmed by the column rules, so the row is left empty)",
                table,
                row,
            )
        )
    return [n for n in notes if not any(n.startswith(f"行 {row}:") for row in suspect)]


def _split_tokens_from_offsets(offsets: list[int], reading: list[str], pt: ParseText) -> list[Token]:
    toks, pos = [], 0
    for part in reading:
        start, end = offsets[pos], offsets[pos + len(part) - 1] + 1
        toks.append(Token(VALUE, start, end, pt.line_index(start), None, part))
        pos += len(part)
    return toks


def _units(pt: ParseText, table: dict, stream: Stream, result: TableResult) -> None:
    """A money cell's unit: printed after it, else in its column's header, else the template's."""
    for ref, offset in result.offsets.items():
        cell = result.cells[ref]
        if cell["value"] is None:
            continue
        end = offset + len(cell["text"])
        after = pt.norm[end : end + 3].lstrip()
        if after.startswith("万元"):
            cell["unit"] = "万元"
        elif after.startswith("元"):
            cell["unit"] = "元"
        elif cell["unit"] is None:
            key = _squash(table["columns"][ref[1]]["label"])
            i = stream.text.find(key)
            if i != -1 and "万元" in stream.text[i : i + len(key) + 10]:
                cell["unit"] = "万元"


def _section_name(table: dict) -> str:
    return f"第{'一二三四五六'[int(table['section']) - 1]}部分"


def _problem(severity: str, code: str, message: str, table: dict, row: str | None) -> dict:
    return {"severity": severity, "code": code, "message": message, "section": table["section"], "row_code": row}
