"""How a table cell is shown, and a report's cells laid out as the template prints them.

A cell shows its number exactly as the package publishes it, with its unit for
money. A cell without a number shows why: 空 (nothing printed), the mark the
report printed (/, —, 无), 未找到, 无法拆分, 无效: never 0. A number read in a
way worth knowing (split by the rules, OCR, corrected by hand) carries a mark.
The legend on every page is made from the same tables below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from ogi.site.mdtext import inline

# What each flag means, for the legend. The word a cell shows is the flag's label from the package's
# code list; a flag the site has no sentence for (a new one) is shown by its label all the same.
FLAG_MEANINGS = {
    "blank": "报告中此格空白，什么也没印：没有数值，不是 0。",
    "blank_mark": "报告中此格印的是 /、—、无 等标记（照原样显示）：没有数值，不是 0。",
    "not_found": "报告中找不到此格：没有数值。",
    "ambiguous": "数字连写，按勾稽关系有不止一种拆法：不猜，没有数值。",
    "invalid_number": "此格的文字不是有效数字（冒号后为原文）：没有数值。",
    "split_by_rules": "原文数字连写，按勾稽关系唯一的拆法读出。",
    "ocr": "扫描件经文字识别（OCR）读出；请结合勾稽核对结果使用。",
    "unread": "此行的数字无法对应到单元格（数字多了或少了）：不猜，留空，原文见问题列表。",
    "not_printed": "此行在报告中没有印任何数字：留空，不是 0。",
    "implausible": "此格的数字不可能是一个格的数（多个格的数字连在一起）：不发布，原文保留。",
    "ocr_doubt": "扫描件经文字识别读出的数字未经勾稽关系证实（核对不成立，或无可核对的关系），更可能是识别错误：不发布，识别结果见问题列表。",
}
GROUP_HEAD = Markup('<span class="ogi-group">分组</span>')  # the header of the column of row groups
CORRECTED = ("更正", "按更正表人工更正过，见本页“更正”一节。")  # a boolean field, not a code: the site names it


def value_column(rows: list[dict]) -> str:
    """Section 二 publishes `value` (counts and money), sections 三 and 四 publish `count`."""
    return "value" if rows and "value" in rows[0] else "count"


def no_number(cell: dict, flags: dict[str, str]) -> str:
    """What a cell without a number shows: the mark it printed, or its flag's label (with the text it had)."""
    flag, text = cell.get("flag_code"), cell.get("text")
    if flag == "blank_mark":
        return text or flags.get("blank", "空")
    if flag is None:
        return "无数值"
    word = flags.get(flag, flag)
    return f"{word}：{text}" if text and flag != "blank" else word


def show_cell(cell: dict, value_key: str, flags: dict[str, str]) -> Markup:
    """The cell's number as published (with its unit and marks), or what the report had instead of a number."""
    value, flag = cell[value_key], cell.get("flag_code")
    if value is None:
        return inline(no_number(cell, flags))
    shown = str(inline(value))
    if cell.get("unit_name"):
        shown += " " + str(inline(cell["unit_name"]))
    marks = [flags.get(flag, flag)] if flag else []
    if cell.get("source_ocr") == "true" and flag != "ocr":
        marks.append(flags.get("ocr", "OCR"))
    if cell.get("corrected") == "true":
        marks.append(CORRECTED[0])
    for mark in marks:
        shown += f"<sup>{inline(mark)}</sup>"
    return Markup(shown)


@dataclass
class Grid:
    """One printed table: rows that share the same columns, in template order."""

    columns: list[tuple[str, Markup]]  # (column code, header)
    rows: list[dict] = field(default_factory=list)  # {code, group (shown once per run), label, cells}

    @property
    def has_groups(self) -> bool:
        return any(row["group"] for row in self.rows)

    def heads(self) -> list[Markup]:
        """The header cells: the groups' column (when there are groups), 项目, then the template's columns."""
        first = [GROUP_HEAD] if self.has_groups else []
        return [*first, Markup("项目"), *(head for _, head in self.columns)]

    def table_rows(self) -> list[list[Markup]]:
        """Each row's cells in the order of `heads`."""
        return [([row["group"]] if self.has_groups else []) + [row["label"], *row["cells"]] for row in self.rows]

    def label_columns(self) -> int:
        """How many columns (from the left) hold text: the group's (when there are groups) and the row's label."""
        return 2 if self.has_groups else 1


def header(cell: dict) -> Markup:
    """A column's header: its group label over its own label (法人或其他组织 / 商业企业), as the template prints it."""
    label = inline(cell["column_label"] or cell["column_code"])
    if cell.get("column_group_label"):
        return Markup(f"{inline(cell['column_group_label'])}<br>{label}")
    return label


def grids(cells: list[dict], flags: dict[str, str]) -> list[Grid]:
    """A report's cells of one table as printed tables: consecutive rows with the same columns share one.

    Rows and columns keep the package's order, which is the template's. Section 二 has
    items with different columns (e.g. 第二十条第（一）项 and （五）项), so it becomes
    several tables; sections 三 and 四 become one each.
    """
    value_key = value_column(cells)
    rows: dict[str, list[dict]] = {}
    for cell in cells:
        rows.setdefault(cell["row_code"], []).append(cell)
    out: list[Grid] = []
    previous_group = None
    for code, row_cells in rows.items():
        codes = [c["column_code"] for c in row_cells]
        if not out or [c for c, _ in out[-1].columns] != codes:
            out.append(Grid([(c["column_code"], header(c)) for c in row_cells]))  # headers made once per printed table
            previous_group = None
        first = row_cells[0]
        group = first.get("row_group_label")
        out[-1].rows.append(
            {
                "code": code,
                "group": inline(group) if group and group != previous_group else Markup(""),
                "label": inline(first["row_label"] or code),
                "cells": [show_cell(c, value_key, flags) for c in row_cells],
            }
        )
        previous_group = group
    return out


def legend(flags: dict[str, str]) -> list[tuple[Markup, str]]:
    """(what a cell shows, what it means), for every flag in the package's code list, and corrections."""
    shown = []
    for code, label in flags.items():
        meaning = FLAG_MEANINGS.get(code, f"标记 {code}（见数据字典 flag_code）。")
        if code == "blank_mark":
            shown.append((inline("/ — 无"), meaning))
        elif code in ("split_by_rules", "ocr"):
            shown.append((Markup(f"数字<sup>{inline(label)}</sup>"), meaning))
        else:
            shown.append((inline(label), meaning))
    shown.append((Markup(f"数字<sup>{CORRECTED[0]}</sup>"), CORRECTED[1]))
    return shown
