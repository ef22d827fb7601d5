"""How a table cell is shown, and a report's cells laid out as the template prints them.

A cell shows its number exactly as the package publishes it, with its unit for
money. A cell without a number shows why: 空 (nothing printed), the mark the
report printed (/, —, 无), 未找到, 无法拆分, 无效: never 0. A number read in a
way worth knowing (split by the rules, OCR, corrected by hand) carries a mark.
The legend on every page is made from the same tables below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from ogi.site.mdtext import inline
from ogi.site.reading import records

# flag_code → (what the cell shows instead of a number, what that means). None: the printed mark itself.
NO_NUMBER = {
    "blank": ("空", "报告中此格空白，什么也没印：没有数值，不是 0。"),
    "blank_mark": (None, "报告中此格印的是 /、—、无 等标记（照原样显示）：没有数值，不是 0。"),
    "not_found": ("未找到", "报告中找不到此格：没有数值。"),
    "ambiguous": ("无法拆分", "数字连写，按勾稽关系有不止一种拆法：不猜，没有数值。"),
    "invalid_number": ("无效", "此格的文字不是有效数字（冒号后为原文）：没有数值。"),
    "ocr_doubt": (
        "OCR存疑",
        "扫描件经文字识别读出的数字未经勾稽关系证实（核对不成立，或无可核对的关系），更可能是识别错误：不发布，识别结果见问题列表。",
    ),
}
# mark → (superscript shown after the number, what it means).
NUMBER_MARKS = {
    "split_by_rules": ("拆", "原文数字连写，按勾稽关系唯一的拆法读出。"),
    "ocr": ("OCR", "扫描件经文字识别（OCR）读出；请结合勾稽核对结果使用。"),
    "corrected": ("更正", "按更正表人工更正过，见本页“更正”一节。"),
}


def value_column(frame: pd.DataFrame) -> str:
    """Section 二 publishes `value` (counts and money), sections 三 and 四 publish `count`."""
    return "value" if "value" in frame.columns else "count"


def show_cell(cell: dict, value_key: str) -> Markup:
    """The cell's number as published (with its unit and marks), or what the report had instead of a number."""
    value, flag, text = cell[value_key], cell.get("flag_code"), cell.get("text")
    if value is None:
        if flag in NO_NUMBER:
            word = NO_NUMBER[flag][0]
            if word is None:
                return inline(text) if text else inline("空")
            if flag == "invalid_number" and text:
                return inline(f"{word}：{text}")
            return inline(word)
        # No number and no known reason: say so, with the flag as published.
        return inline(f"无数值（{flag}）" if flag else "无数值")
    shown = str(inline(value))
    if cell.get("unit_name"):
        shown += " " + str(inline(cell["unit_name"]))
    marks = [flag] if flag else []
    if cell.get("source_ocr") == "true" and "ocr" not in marks:
        marks.append("ocr")
    if cell.get("corrected") == "true":
        marks.append("corrected")
    for mark in marks:
        sup = NUMBER_MARKS[mark][0] if mark in NUMBER_MARKS else mark
        shown += f"<sup>{inline(sup)}</sup>"
    return Markup(shown)


@dataclass
class Grid:
    """One printed table: rows that share the same columns, in template order."""

    columns: list[tuple[str, Markup]]  # (column code, header)
    rows: list[dict] = field(default_factory=list)  # {code, group (shown once per run), label, cells}

    @property
    def has_groups(self) -> bool:
        return any(row["group"] for row in self.rows)


def header(cell: dict) -> Markup:
    """A column's header: its group label over its own label (法人或其他组织 / 商业企业), as the template prints it."""
    label = inline(cell["column_label"] or cell["column_code"])
    if cell.get("column_group_label"):
        return Markup(f"{inline(cell['column_group_label'])}<br>{label}")
    return label


def grids(cells: pd.DataFrame) -> list[Grid]:
    """A report's cells of one table as printed tables: consecutive rows with the same columns share one.

    Rows and columns keep the package's order, which is the template's. Section 二 has
    items with different columns (e.g. 第二十条第（一）项 and （五）项), so it becomes
    several tables; sections 三 and 四 become one each.
    """
    value_key = value_column(cells)
    rows: dict[str, list[dict]] = {}
    for cell in records(cells):
        rows.setdefault(cell["row_code"], []).append(cell)
    out: list[Grid] = []
    previous_group = None
    for code, row_cells in rows.items():
        columns = [(c["column_code"], header(c)) for c in row_cells]
        if not out or [c for c, _ in out[-1].columns] != [c for c, _ in columns]:
            out.append(Grid(columns))
            previous_group = None
        first = row_cells[0]
        group = first.get("row_group_label")
        out[-1].rows.append(
            {
                "code": code,
                "group": inline(group) if group and group != previous_group else Markup(""),
                "label": inline(first["row_label"] or code),
                "cells": [show_cell(c, value_key) for c in row_cells],
            }
        )
        previous_group = group
    return out


def legend() -> list[tuple[Markup, str]]:
    """(what a cell shows, what it means), for every way a cell can differ from a plain number."""
    shown = [(inline(word if word else "/ — 无"), meaning) for word, meaning in NO_NUMBER.values()]
    shown += [(Markup(f"数字<sup>{inline(sup)}</sup>"), meaning) for sup, meaning in NUMBER_MARKS.values()]
    return shown
