"""An agency's page: the registry's facts, and every published year side by side with the change from the year before.

Columns are the agency's years in order; each figure is the report's own cell (or a
sum of a group of rows when every one of them has a number, see `figures`), and
the change is from the previous column. Section 二 measures different things in
the 2019 and the 2021 template, so it gets one table per template, never compared
across them.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ogi.site import charts
from ogi.site.figures import APPEAL_MEASURES, REQUEST_MEASURES, Figure, Measure, ReportCells, change
from ogi.site.mdtext import html_link, inline, page_link

TREND = ("received", "granted", "partly_granted", "refused", "unable", "not_processed")  # the agency's chart


@dataclass
class Year:
    report: dict
    cells: ReportCells
    template_changed: bool  # its template differs from the previous year's
    gaps: str | None  # the status label when the report was published with gaps


def shown(now: Figure, before: Figure | None) -> Markup:
    """A figure with its change from the previous year, as a table cell."""
    delta = change(now, before)
    text = inline(now.shown) if now.value is not None else Markup(f'<span class="ogi-blank">{inline(now.shown)}</span>')
    return Markup(f'{text} <span class="ogi-change">{inline(delta)}</span>') if delta else text


def measure_rows(years: list[Year], measures: list[Measure]) -> list[dict]:
    rows = []
    for m in measures:
        figures = [y.cells.figure(m) for y in years]
        rows.append({"label": inline(m.label), "cells": [shown(f, figures[i - 1] if i else None) for i, f in enumerate(figures)]})
    return rows


def refusal_measures(years: list[Year]) -> list[Measure]:
    """不予公开's reasons (三（三）1–8), labelled as the template prints them."""
    out: dict[str, Measure] = {}
    for y in years:
        for row in y.cells.rows_under("requests", "3.3"):
            if row not in out:
                label = y.cells.cells[("requests", row, "total")]["row_label"] or row
                out[row] = Measure(f"refused.{row}", label, "requests", row)
    return list(out.values())


def proactive_tables(years: list[Year], templates: dict[str, str]) -> list[dict]:
    """Section 二 per template: its rows and columns (as printed), the years that use it side by side."""
    out = []
    for code in dict.fromkeys(y.report["template_code"] for y in years):
        group = [y for y in years if y.report["template_code"] == code]
        keys: dict[tuple[str, str], str] = {}
        for y in group:
            for (table, row, column), cell in y.cells.cells.items():
                if table == "proactive" and (row, column) not in keys:
                    keys[(row, column)] = f"{cell['row_label'] or row}：{cell['column_label'] or column}"
        rows = []
        for (row, column), label in keys.items():
            figures = [y.cells.cell("proactive", row, column) for y in group]
            cells = []
            for i, f in enumerate(figures):
                unit = y_unit(group[i], row, column)
                cell = shown(f, figures[i - 1] if i else None)
                cells.append(Markup(f"{cell} {inline(unit)}") if unit and f.value is not None else cell)
            rows.append({"label": inline(label), "cells": cells})
        out.append({"template": templates.get(code, code), "years": group, "anchors": year_anchors(group), "rows": rows})
    return out


def y_unit(year: Year, row: str, column: str) -> str | None:
    cell = year.cells.cells.get(("proactive", row, column))
    return cell.get("unit_name") if cell else None


def trend_chart(agency_id: str, name: str, years: list[Year]) -> Markup:
    by_key = {m.key: m for m in REQUEST_MEASURES}
    series = [charts.Series(by_key[k].label, [y.cells.figure(by_key[k]) for y in years]) for k in TREND]
    labels = [f"{y.report['report_year']} 年度" for y in years]
    return charts.figure(f"chart-{agency_id}", f"{name}历年收到和办理政府信息公开申请的情况（件）", labels, series)


def year_anchors(years: list[Year]) -> list[Markup]:
    return [html_link(f"{y.report['report_year']} 年度", f"../reports/{y.report['report_id']}.html") for y in years]


def context(agency: dict, years: list[Year], templates: dict[str, str]) -> dict:
    """Everything the agency page's template shows."""
    return {
        "years": years,
        "year_links": [page_link(f"{y.report['report_year']} 年度", f"../reports/{y.report['report_id']}.md") for y in years],
        "year_anchors": year_anchors(years),  # the same links in the HTML tables
        "requests": measure_rows(years, list(REQUEST_MEASURES)),
        "refusals": measure_rows(years, refusal_measures(years)),
        "appeals": measure_rows(years, list(APPEAL_MEASURES)),
        "proactive": proactive_tables(years, templates),
        "chart": trend_chart(agency["agency_id"], agency["agency_name"], years),
    }
