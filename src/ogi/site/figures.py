"""The figures the agency pages, the lists and the charts show: a report's cells, and sums of them.

A figure is a number only when every cell it is made of has one. A blank, a mark
or an unread cell makes it no number, with what the report had instead (the
cell's mark or flag label, or 不全 for a sum with a part missing): never 0, and
never a sum of the parts that happen to be there.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ogi.site.cells import no_number

PARTIAL = "不全"  # a sum some of whose cells have no number
ABSENT = "无此项"  # the report's template has no such cell


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    why: str | None = None  # when there is no value: what the report had instead

    @property
    def shown(self) -> str:
        if self.value is None:
            return self.why or ""
        return _plain(self.value)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Measure:
    """A figure made of one row's cell, or of a group of rows (a row code and every code under it)."""

    key: str
    label: str
    table: str
    row: str
    column: str = "total"


# The rows of section 三 a reader asks about first, in the template's order; 不予公开 with its reasons.
REQUEST_MEASURES = (
    Measure("received", "本年新收申请", "requests", "1"),
    Measure("carried_over", "上年结转申请", "requests", "2"),
    Measure("granted", "予以公开", "requests", "3.1"),
    Measure("partly_granted", "部分公开", "requests", "3.2"),
    Measure("refused", "不予公开", "requests", "3.3"),
    Measure("unable", "无法提供", "requests", "3.4"),
    Measure("not_processed", "不予处理", "requests", "3.5"),
    Measure("other_handling", "其他处理", "requests", "3.6"),
    Measure("handled", "办理结果总计", "requests", "3.7"),
    Measure("carried_next", "结转下年度继续办理", "requests", "4"),
)
APPEAL_ROWS = {
    "review": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_review": "行政诉讼（复议后起诉）",
}
APPEAL_COLUMNS = {"total": "总计", "upheld": "结果维持", "corrected": "结果纠正", "other_result": "其他结果", "pending": "尚未审结"}
APPEAL_MEASURES = tuple(
    Measure(f"{row}.{column}", f"{row_label}：{column_label}", "appeals", row, column)
    for row, row_label in APPEAL_ROWS.items()
    for column, column_label in APPEAL_COLUMNS.items()
)
# The few figures every list shows per agency-year.
HEADLINE = ("received", "handled", "granted", "refused", "review.total")
MEASURES = {m.key: m for m in REQUEST_MEASURES + APPEAL_MEASURES}


class ReportCells:
    """One report's cells by (table, row, column), with the row codes under each group code."""

    def __init__(self, cells: dict[str, list[dict]], flags: dict[str, str]):
        self.flags = flags
        self.cells: dict[tuple[str, str, str], dict] = {}
        self.rows: dict[str, list[str]] = {}
        for table, rows in cells.items():
            value_key = "value" if table == "proactive" else "count"
            seen = self.rows.setdefault(table, [])
            for cell in rows:
                self.cells[(table, cell["row_code"], cell["column_code"])] = {**cell, "_value": cell[value_key]}
                if not seen or seen[-1] != cell["row_code"]:
                    seen.append(cell["row_code"])

    def cell(self, table: str, row: str, column: str) -> Figure:
        cell = self.cells.get((table, row, column))
        if cell is None:
            return Figure(None, ABSENT)
        value = _number(cell["_value"])
        return Figure(value) if value is not None else Figure(None, no_number(cell, self.flags))

    def figure(self, measure: Measure) -> Figure:
        """The row's cell, or the sum of the group's cells when every one has a number."""
        if (measure.table, measure.row, measure.column) in self.cells:
            return self.cell(measure.table, measure.row, measure.column)
        under = [r for r in self.rows.get(measure.table, []) if r.startswith(measure.row + ".")]
        if not under:
            return Figure(None, ABSENT)
        parts = [self.cell(measure.table, r, measure.column) for r in under]
        if any(p.value is None for p in parts):
            return Figure(None, PARTIAL)
        return Figure(sum((p.value for p in parts), Decimal(0)))

    def rows_under(self, table: str, group: str) -> list[str]:
        return [r for r in self.rows.get(table, []) if r.startswith(group + ".")]


def change(now: Figure, before: Figure | None) -> str:
    """The change from the year before, signed (+3, −2, 0), or "" when either has no number."""
    if before is None or now.value is None or before.value is None:
        return ""
    delta = now.value - before.value
    if delta > 0:
        return "+" + _plain(delta)
    return ("−" + _plain(-delta)) if delta < 0 else "0"
