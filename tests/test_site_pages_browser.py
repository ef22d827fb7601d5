"""The site's pages in a real browser (Debian's headless Chromium): charts drawn, lists sorted and paged, citations copied.

The fixtures (the served site, the browser) are test_site_browser's. A second site is
built from a copy of the package with 210 more agency-years in 2021, so the year's
list runs to two pages. What the browser shows is compared with the package's CSVs.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_site_browser as base
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from test_site_browser import COMMITTED, CONFIG, HONGZE, WAIT, Site, assert_no_errors, open_page, read_csv, words

from ogi.site.build import build_site
from ogi.site.indexes import PAGE_ROWS

# The served site and the browser are test_site_browser's fixtures (pytest finds fixtures by their name here).
site, browser, downloads = base.site, base.browser, base.downloads
EXTRA = 210  # agency-years added in 2021: with fj_pingtan-2021, two pages
BLANK = 205  # the added agency whose new requests are blank


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def received(report_id: str, rows: list[dict[str, str]]) -> str:
    return next(c["count"] for c in rows if (c["report_id"], c["row_code"], c["column_code"]) == (report_id, "1", "total"))


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Iterator[tuple[Site, list[dict[str, str]]]]:
    """The site of a package with EXTRA more agencies, each with a 2021 report copied from 平潭's, new requests varied."""
    out = tmp_path_factory.mktemp("paged")
    package = out / "datapackage"
    shutil.copytree(COMMITTED, package)
    reports, agencies, requests = read_csv("reports"), read_csv("agencies"), read_csv("requests")
    model = next(r for r in reports if r["report_id"] == "fj_pingtan-2021")
    model_cells = [c for c in requests if c["report_id"] == model["report_id"]]
    for i in range(EXTRA):
        agency_id = f"t_agency_{i:03d}"
        rid = f"{agency_id}-2021"
        reports.append({**model, "report_id": rid, "agency_id": agency_id})
        agencies.append(
            {
                **agencies[0],
                "agency_id": agency_id,
                "agency_name": f"测试机关{i:03d}",
                "alias_names": "",
                "parent_agency_id": "",
                "parent_agency_name": "",
            }
        )
        for c in model_cells:
            row = {**c, "report_id": rid}
            if (c["row_code"], c["column_code"]) == ("1", "total"):
                row["count"] = row["text"] = str((i * 37) % 500) if i != BLANK else ""  # one blank, on the list's 2nd page
            requests.append(row)
    write_rows(package / "data" / "reports.csv", reports)
    write_rows(package / "data" / "agencies.csv", agencies)
    write_rows(package / "data" / "requests.csv", requests)
    build_site(package, out / "site", out / "docs", CONFIG)
    served = Site(out / "site")
    yield served, requests
    served.close()


def chart_is_drawn(browser, figure) -> None:
    """The figure's canvas holds a Chart.js chart with the figure's own numbers."""
    WebDriverWait(browser, WAIT).until(lambda _: "ogi-chart--drawn" in figure.get_attribute("class"))
    drawn = browser.execute_script(
        "var c = Chart.getChart(arguments[0].querySelector('canvas'));"
        "return c && {labels: c.data.labels, values: c.data.datasets.map(function (d) { return d.data; })};",
        figure,
    )
    data = browser.execute_script("return JSON.parse(arguments[0].querySelector('script.ogi-chart__data').textContent);", figure)
    assert drawn == {"labels": data["labels"], "values": [s["values"] for s in data["series"]]}
    canvas = figure.find_element(By.TAG_NAME, "canvas")
    assert canvas.size["width"] > 100 and canvas.size["height"] > 100


def test_home_page_has_a_drawn_chart_comparing_agencies(browser, site):
    open_page(browser, site, "index.html")
    figure = browser.find_element(By.CSS_SELECTOR, "article figure.ogi-chart")
    assert "机关年度" in words(figure.find_element(By.TAG_NAME, "figcaption"))
    chart_is_drawn(browser, figure)
    assert ("/assets/ogi/chart.umd.js", 200) in site.requests  # the library comes from the site itself
    assert_no_errors(browser)


def test_report_page_chart_is_captioned_with_its_table(browser, site):
    open_page(browser, site, f"reports/{HONGZE}.html")
    figure = browser.find_element(By.CSS_SELECTOR, "article figure.ogi-chart")
    caption = words(figure.find_element(By.TAG_NAME, "figcaption"))
    assert "办理结果" in caption and figure.find_element(By.TAG_NAME, "canvas").get_attribute("aria-label").startswith(caption)
    chart_is_drawn(browser, figure)
    figure.find_element(By.CSS_SELECTOR, "details summary").click()
    rows = [
        [words(c) for c in tr.find_elements(By.CSS_SELECTOR, "th, td")] for tr in figure.find_elements(By.CSS_SELECTOR, "details tbody tr")
    ]
    granted = next(
        c["count"] for c in read_csv("requests") if (c["report_id"], c["row_code"], c["column_code"]) == (HONGZE, "3.1", "total")
    )
    assert rows[0] == ["予以公开", granted]
    assert_no_errors(browser)


def test_agency_page_shows_its_years_its_trend_and_keeps_the_first_column_in_view(browser, site):
    open_page(browser, site, "agencies/js_huaian_hongze_gov.html")
    assert words(browser.find_element(By.CSS_SELECTOR, "article h1")) == "淮安市洪泽区人民政府"
    chart_is_drawn(browser, browser.find_element(By.CSS_SELECTOR, "article figure.ogi-chart"))
    table = browser.find_element(By.XPATH, "//article//h2[starts-with(normalize-space(), '收到和处理')]/following::table[1]")
    first = table.find_element(By.CSS_SELECTOR, "tbody td")
    assert browser.execute_script("return getComputedStyle(arguments[0]).position;", first) == "sticky"
    years = [words(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")][1:]
    assert years == ["2023 年度", "2024 年度"]
    assert_no_errors(browser)


def test_list_sorts_by_a_column_and_pages_link_each_other(browser, paged):
    served, requests = paged
    open_page(browser, served, "browse/year-2021.html")
    table = browser.find_element(By.CSS_SELECTOR, "article .ogi-sortable table")
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert len(rows) == PAGE_ROWS
    headers = [words(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    column = headers.index("本年新收申请")

    def shown() -> list[str]:
        return [words(tr.find_elements(By.TAG_NAME, "td")[column]) for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]

    before = shown()
    button = table.find_elements(By.CSS_SELECTOR, "thead th")[column].find_element(By.TAG_NAME, "button")
    button.click()
    ascending = shown()
    assert ascending != before and ascending == sorted(before, key=int)
    button.click()
    assert shown() == sorted(ascending, key=int, reverse=True)
    # the page's rows are the package's: each agency-year's figure as its CSV has it
    for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")[:20]:
        rid = tr.find_elements(By.TAG_NAME, "a")[1].get_attribute("href").rsplit("/", 1)[1].removesuffix(".html")
        assert words(tr.find_elements(By.TAG_NAME, "td")[column]) == received(rid, requests)
    browser.find_element(By.XPATH, "//nav[contains(@class, 'ogi-pager')]//a[normalize-space()='第 2 页']").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url.endswith("/browse/year-2021-2.html"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "article .ogi-sortable tbody tr")) == EXTRA + 1 - PAGE_ROWS
    browser.find_element(By.XPATH, "//nav[contains(@class, 'ogi-pager')]//a[normalize-space()='第 1 页']")
    assert_no_errors(browser)


def test_a_list_of_several_pages_is_also_ranked_by_new_requests_across_all_its_pages(browser, paged):
    served, requests = paged
    open_page(browser, served, "browse/year-2021.html")
    browser.find_element(By.XPATH, "//article//a[normalize-space()='按本年新收申请（从多到少）']").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url.endswith("/browse/year-2021-by-received.html"))
    assert_no_errors(browser)
    assert browser.find_element(By.CSS_SELECTOR, "article h1").text == "2021 年度的报告，按本年新收申请排列"
    browser.find_element(By.XPATH, "//article//a[normalize-space()='按机关名称']")  # and back

    def page_rows() -> list[tuple[str, str]]:
        table = browser.find_element(By.CSS_SELECTOR, "article .ogi-sortable table")
        column = [words(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")].index("本年新收申请")
        out = []
        for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
            rid = tr.find_elements(By.TAG_NAME, "a")[1].get_attribute("href").rsplit("/", 1)[1].removesuffix(".html")
            out.append((rid, words(tr.find_elements(By.TAG_NAME, "td")[column])))
        return out

    shown = page_rows()
    browser.find_element(By.XPATH, "//nav[contains(@class, 'ogi-pager')]//a[normalize-space()='第 2 页']").click()
    WebDriverWait(browser, WAIT).until(lambda b: b.current_url.endswith("/browse/year-2021-by-received-2.html"))
    shown += page_rows()
    ids = [r["report_id"] for r in read_csv("reports") if r["report_year"] == "2021"] + [f"t_agency_{i:03d}-2021" for i in range(EXTRA)]
    assert sorted(rid for rid, _ in shown) == sorted(ids)  # every agency-year of the year, once
    figures = [received(rid, requests) for rid, _ in shown]
    assert [figure for _, figure in shown[:-1]] == figures[:-1]  # as the package has them
    assert [int(f) for f in figures[:-1]] == sorted((int(f) for f in figures[:-1]), reverse=True)
    assert shown[-1] == (f"t_agency_{BLANK:03d}-2021", "无数值") and figures[-1] == ""  # the blank last, shown blank, not ranked as 0
    assert_no_errors(browser)


def test_copy_button_puts_the_citation_on_the_clipboard(browser, site):
    open_page(browser, site, f"reports/{HONGZE}.html")
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": site.url.rstrip("/"), "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]}
    )
    for style in ("GB/T 7714-2015", "BibTeX"):
        block = browser.find_element(By.CSS_SELECTOR, f".ogi-cite[data-style='{style}']")
        expected = block.find_element(By.CSS_SELECTOR, ".ogi-cite__text").get_attribute("textContent").strip()
        assert "引用日期" not in expected  # the script put today's date in
        button = block.find_element(By.CSS_SELECTOR, "button.ogi-copy")
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        WebDriverWait(browser, WAIT).until(lambda _, button=button: button.text == "已复制")
        copied = browser.execute_async_script(
            "var done = arguments[0]; navigator.clipboard.readText().then(done, function (e) { done('ERROR ' + e); });"
        )
        assert copied == expected
        if style == "GB/T 7714-2015":
            assert "[DS/OL]" in copied and copied.endswith(f"reports/{HONGZE}.html.")
    assert_no_errors(browser)


def test_wide_table_keeps_its_row_labels_in_view_when_scrolled(browser, site):
    browser.set_window_size(420, 900)  # a phone's width: section 三's nine columns overflow
    try:
        open_page(browser, site, f"reports/{HONGZE}.html")
        table = browser.find_element(By.XPATH, "//article//h2[starts-with(normalize-space(), '三、')]/following::table[1]")
        label = table.find_element(By.XPATH, ".//tbody/tr[1]/td[normalize-space()='一、本年新收政府信息公开申请数量']")
        number = table.find_elements(By.XPATH, ".//tbody/tr[1]/td")[-1]
        wrap = browser.execute_script("return arguments[0].closest('.md-typeset__scrollwrap');", table)
        assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth;", wrap)
        left = "return arguments[0].getBoundingClientRect().left;"
        before = (browser.execute_script(left, label), browser.execute_script(left, number), browser.execute_script(left, wrap))
        browser.execute_script("arguments[0].scrollLeft = 300;", wrap)
        after = (browser.execute_script(left, label), browser.execute_script(left, number))
        assert after[1] < before[1] - 250  # the numbers moved
        assert after[0] <= before[2] + 16  # the label stayed at the table's left edge (within its padding)
        assert after[0] >= before[2] - 1
    finally:
        browser.set_window_size(1400, 1000)


def test_report_facts_fit_a_phone_screen_without_scrolling_sideways(browser, site):
    """The facts table (two columns: what, and its value) wraps its long values, a source's web address and a
    SHA-256 among them, instead of running off a phone's screen; the tables of numbers may scroll."""
    browser.set_window_size(420, 900)
    try:
        for report in read_csv("reports"):
            open_page(browser, site, f"reports/{report['report_id']}.html")
            facts = browser.find_element(By.XPATH, "//article//table[.//th[normalize-space()='项目']]")
            wrap = browser.execute_script("return arguments[0].closest('.md-typeset__scrollwrap');", facts)
            widths = browser.execute_script("return [arguments[0].scrollWidth, arguments[1].clientWidth];", facts, wrap)
            assert widths[0] <= widths[1], (report["report_id"], widths)
    finally:
        browser.set_window_size(1400, 1000)


LABELS_FIT = """
var c = Chart.getChart(arguments[0].querySelector('canvas')), y = c.scales.y, ctx = c.ctx;
ctx.save(); ctx.font = Chart.helpers.toFont(y.options.ticks.font).string;
var widest = Math.max.apply(null, y.ticks.map(function (t) { return ctx.measureText(String(t.label)).width; }));
ctx.restore();
return {widest: widest, room: y.width, shown: y.ticks.map(function (t) { return String(t.label); }), labels: c.data.labels};
"""


@pytest.mark.parametrize("width", [320, 1400])
def test_bar_labels_fit_beside_the_bars_on_a_phone_and_stay_whole_in_the_data(browser, site, width):
    """A horizontal chart's labels (agency name and year) are drawn within the label column, not cut off at the
    canvas's left edge: on a narrow screen their middle is left out; the chart's data keeps them whole."""
    browser.set_window_size(width, 900)
    try:
        open_page(browser, site, "index.html")
        figure = browser.find_element(By.CSS_SELECTOR, "article figure.ogi-chart")
        chart_is_drawn(browser, figure)
        fit = browser.execute_script(LABELS_FIT, figure)
        assert fit["widest"] <= fit["room"], fit
        assert all(shown == label or ("…" in shown and shown[-5:] == label[-5:]) for shown, label in zip(fit["shown"], fit["labels"]))
        if width == 320:
            assert any("…" in shown for shown in fit["shown"])  # the longest bundled names are too long for half of a small phone
        else:
            assert fit["shown"] == fit["labels"]
    finally:
        browser.set_window_size(1400, 1000)
