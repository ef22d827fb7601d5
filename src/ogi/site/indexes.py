"""The lists that lead to every agency-year page: by year, by region (province → city → county) and by level.

No page grows with the package: a list longer than PAGE_ROWS is split into
numbered pages, and a region's page lists the regions under it with their counts
and only the agency-years of bodies at that region itself. From the home page,
every agency-year page is three clicks away (报告 → a year → the report).
Each list shows the headline figures per agency-year in a table the page's
script sorts, and a chart of the agencies with the most new requests. The
script sorts one page; a list of several pages is also written ranked by new
requests (most first), so the whole list can be read in that order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ogi.site import charts
from ogi.site.figures import HEADLINE, MEASURES, Figure

PAGE_ROWS = 200
CHART_ROWS = 15  # the agencies a comparison chart shows
BROWSE_DIR = "browse"
UNKNOWN_REGION = "地区不明"
UNKNOWN_LEVEL = "unknown"


@dataclass
class Row:
    """One agency-year as the lists show it."""

    report_id: str
    agency_id: str
    name: str
    year: str
    level: str
    region: tuple[str, ...]
    figures: dict[str, Figure]
    failed: str
    gaps: str | None
    has_agency_page: bool = True


@dataclass
class ListPage:
    path: str  # docs-relative, e.g. browse/year-2023.md
    title: str
    rows: list[Row]  # this page's slice
    pager: list[tuple[str, str | None]]  # (text, file name or None for this page)
    chart: Markup
    intro: str = ""
    children: list[tuple[str, str, int]] = field(default_factory=list)  # (name, file name, agency-years under it)
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (name, file name) up to this region
    orders: list[tuple[str, str | None]] = field(default_factory=list)  # (text, first page's file name or None for this order)


def region_path(agency: dict | None) -> tuple[str, ...]:
    """Province, city, county as far as the registry knows them; a body with no province is 地区不明."""
    agency = agency or {}
    path = []
    for key in ("province_name", "city_name", "county_name"):
        if not agency.get(key):
            break
        path.append(agency[key])
    return tuple(path) or (UNKNOWN_REGION,)


def region_file(path: tuple[str, ...]) -> str:
    """A region's page name: a short hash of its path (Chinese names would make long escaped URLs)."""
    return "region-" + hashlib.sha1("/".join(path).encode("utf-8")).hexdigest()[:10]


def page_names(stem: str, count: int) -> list[str]:
    """stem.md, stem-2.md, …: one name per page of a list."""
    return [f"{stem}.md" if i == 0 else f"{stem}-{i + 1}.md" for i in range(max(count, 1))]


def pager(names: list[str], current: int) -> list[tuple[str, str | None]]:
    """Links to the list's pages: all when few, else the first, last and those near this one."""
    if len(names) == 1:
        return []
    show = set(range(len(names))) if len(names) <= 15 else {0, len(names) - 1, *range(current - 3, current + 4)}
    out: list[tuple[str, str | None]] = []
    last = -1
    for i in sorted(i for i in show if 0 <= i < len(names)):
        if i > last + 1:
            out.append(("…", ""))
        out.append((f"第 {i + 1} 页", None if i == current else names[i]))
        last = i
    return out


def comparison_chart(chart_id: str, what: str, rows: list[Row]) -> Markup:
    """The agency-years with the most new requests, as bars: received and granted."""
    with_number = [r for r in rows if r.figures["received"].value is not None]
    top = sorted(with_number, key=lambda r: (-r.figures["received"].value, r.report_id))[:CHART_ROWS]
    if not top:
        return Markup("")
    labels = [f"{r.name} {r.year}" for r in top]
    series = [charts.Series(MEASURES[k].label, [r.figures[k] for r in top]) for k in ("received", "granted")]
    caption = f"{what}：本年新收申请最多的 {len(top)} 个机关年度（件）"
    return charts.figure(chart_id, caption, labels, series, horizontal=True)


RANKED = "-by-received"  # the stem's suffix of a list ranked by new requests


def by_name(r: Row) -> tuple:
    return (r.name, r.year, r.report_id)


def by_received(r: Row) -> tuple:
    """Most new requests first; a blank or unread figure last, never taken as 0."""
    value = r.figures["received"].value
    return (value is None, -(value or 0), r.name, r.year, r.report_id)


def split(stem: str, title: str, rows: list[Row], chart_what: str, chart_rows: list[Row] | None = None, **extra) -> list[ListPage]:
    """A list as pages of at most PAGE_ROWS rows by agency name, each with the chart of the whole list (or of
    chart_rows); a list of more than one page is also written ranked by new requests."""
    chart = comparison_chart(f"chart-{stem}", chart_what, rows if chart_rows is None else chart_rows)
    if len(rows) <= PAGE_ROWS:
        return _pages(stem, title, sorted(rows, key=by_name), chart, [], extra)
    orders = [("按机关名称", f"{stem}.md"), ("按本年新收申请（从多到少）", f"{stem}{RANKED}.md")]
    return [
        *_pages(stem, title, sorted(rows, key=by_name), chart, _this(orders, 0), extra),
        *_pages(stem + RANKED, f"{title}，按本年新收申请排列", sorted(rows, key=by_received), chart, _this(orders, 1), extra),
    ]


def _this(orders: list[tuple[str, str]], current: int) -> list[tuple[str, str | None]]:
    return [(text, None if i == current else file) for i, (text, file) in enumerate(orders)]


def _pages(stem: str, title: str, rows: list[Row], chart: Markup, orders: list, extra: dict) -> list[ListPage]:
    chunks = [rows[i : i + PAGE_ROWS] for i in range(0, len(rows), PAGE_ROWS)] or [[]]
    names = page_names(stem, len(chunks))
    return [
        ListPage(
            f"{BROWSE_DIR}/{names[i]}",
            title if i == 0 else f"{title}（第 {i + 1} 页）",
            chunk,
            pager(names, i),
            chart,
            orders=orders,
            **extra,
        )
        for i, chunk in enumerate(chunks)
    ]


def by_year(rows: list[Row]) -> tuple[list[ListPage], list[tuple[str, str, int]]]:
    years: dict[str, list[Row]] = {}
    for r in rows:
        years.setdefault(r.year, []).append(r)
    pages, links = [], []
    for year in sorted(years, reverse=True):
        pages += split(f"year-{year}", f"{year} 年度的报告", years[year], f"{year} 年度")
        links.append((f"{year} 年度", f"{BROWSE_DIR}/year-{year}.md", len(years[year])))
    return pages, links


def by_level(rows: list[Row], level_labels: dict[str, str]) -> tuple[list[ListPage], list[tuple[str, str, int]]]:
    levels: dict[str, list[Row]] = {}
    for r in rows:
        levels.setdefault(r.level or UNKNOWN_LEVEL, []).append(r)
    order = [code for code in level_labels if code in levels] + sorted(c for c in levels if c not in level_labels)
    pages, links = [], []
    for code in order:
        name = level_labels.get(code, "层级不明" if code == UNKNOWN_LEVEL else code)
        pages += split(f"level-{code}", f"{name}的报告", levels[code], name)
        links.append((name, f"{BROWSE_DIR}/level-{code}.md", len(levels[code])))
    return pages, links


def by_region(rows: list[Row]) -> tuple[list[ListPage], list[tuple[str, str, int]]]:
    """One page (or several) per region node; each lists the regions under it and its own bodies' agency-years."""
    own: dict[tuple[str, ...], list[Row]] = {}
    under: dict[tuple[str, ...], list[Row]] = {}
    for r in rows:
        own.setdefault(r.region, []).append(r)
        for depth in range(1, len(r.region) + 1):
            under.setdefault(r.region[:depth], []).append(r)
    children: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for path in under:
        if len(path) > 1:
            children.setdefault(path[:-1], []).append(path)
    pages = []
    for path in sorted(under):
        kids = [(p[-1], f"{region_file(p)}.md", len(under[p])) for p in sorted(children.get(path, []))]
        crumbs = [(path[i], f"{region_file(path[: i + 1])}.md") for i in range(len(path) - 1)]
        pages += split(
            region_file(path),
            " ".join(path),
            own.get(path, []),
            " ".join(path),
            chart_rows=under[path],  # the chart compares every agency-year in the region, not only its own level's
            children=kids,
            crumbs=crumbs,
            intro=f"共 {len(under[path])} 份报告（含下级地区）；本页列出机关所在地区就是“{path[-1]}”本级的 {len(own.get(path, []))} 份。",
        )
    tops = sorted(p for p in under if len(p) == 1)
    return pages, [(p[0], f"{BROWSE_DIR}/{region_file(p)}.md", len(under[p])) for p in tops]


def sort_value(figure: Figure) -> str:
    return "" if figure.value is None else str(figure.value)


def table(rows: list[Row], root: str) -> Markup:
    """The list's rows as a sortable HTML table (ogi.js sorts it by any column; blank figures sort last)."""
    heads = ["机关", "年度", *(MEASURES[k].label for k in HEADLINE), "未通过的规则"]
    numeric = [False, True] + [True] * (len(HEADLINE) + 1)
    kind = {True: ' data-type="number"', False: ""}
    head = "".join(
        f'<th scope="col"{kind[n]}><button type="button" class="ogi-sort">{escape(h)}</button></th>' for h, n in zip(heads, numeric)
    )
    body = []
    for r in rows:
        gaps = f' <span class="ogi-gaps" title="{escape(r.gaps)}">{escape(r.gaps)}</span>' if r.gaps else ""
        cells = [
            f'<td><a href="{root}agencies/{r.agency_id}.html">{escape(r.name)}</a></td>'
            if r.has_agency_page
            else f"<td>{escape(r.name)}</td>",
            f'<td data-sort="{escape(r.year)}"><a href="{root}reports/{r.report_id}.html">{escape(r.year)}</a>{gaps}</td>',
        ]
        for k in HEADLINE:
            f = r.figures[k]
            css = "" if f.value is not None else ' class="ogi-blank"'
            cells.append(f'<td data-sort="{sort_value(f)}"{css}>{escape(f.shown)}</td>')
        cells.append(f'<td data-sort="{escape(r.failed)}">{escape(r.failed)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return Markup(
        '<div class="ogi-sortable">\n<table>\n<thead><tr>'
        + head
        + "</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>"
    )
