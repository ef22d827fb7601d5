"""The site built from the data package: every report page shows the package's numbers, where they belong.

Two builds per module: the committed `datapackage/`, and a copy with a few cells
blanked (the committed package has no blank cell) and a narrative full of
Markdown characters. Pages are read back as HTML with BeautifulSoup and
compared with the CSVs read by the csv module, not by the site's own reader.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import ROOT

from ogi.cli import main
from ogi.site.build import build_site

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"
HONGZE = "js_huaian_hongze_gov-2023"  # 2 failed appeal_total rules
PINGTAN = "fj_pingtan-2021"
MARKDOWN_TRAP = "<b>粗</b> | *星号* _下划线_ [链接](http://example.invalid) `代码`\n1. 像列表的一行\n# 像标题的一行"


def read_csv(package: Path, name: str) -> list[dict[str, str]]:
    with open(package / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(package: Path, name: str, rows: list[dict[str, str]]) -> None:
    with open(package / "data" / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text("utf-8"), "lxml")


def text(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def section_table(soup: BeautifulSoup, heading_start: str, index: int = 0):
    """The index-th table after the h2 that starts with heading_start (and before the next h2)."""
    h2 = next(h for h in soup.select("article h2") if text(h).startswith(heading_start))
    tables = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        tables += [sibling] if sibling.name == "table" else sibling.find_all("table")
    return tables[index]


def table_row(table, label: str):
    """The body row whose label cell reads label."""
    rows = [tr for tr in table.select("tbody tr") if any(text(td) == label for td in tr.find_all("td"))]
    assert len(rows) == 1, f"{len(rows)} rows labelled {label!r}"
    return rows[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    summary = build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    assert summary.report_pages == len(read_csv(COMMITTED, "reports"))
    return out / "site"


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the package with a blank cell, a `/` cell and a cell not found, and a narrative with Markdown in it; its site."""
    out = tmp_path_factory.mktemp("edited")
    package = out / "datapackage"
    shutil.copytree(COMMITTED, package)
    requests = read_csv(package, "requests")
    for row in requests:
        if (row["report_id"], row["row_code"], row["column_code"]) in ((HONGZE, "3.3.1", "natural_person"), (HONGZE, "3.3.1", "total")):
            row.update(count="", text="", flag_code="blank")
    write_csv(package, "requests", requests)
    appeals = read_csv(package, "appeals")
    for row in appeals:
        if (row["report_id"], row["row_code"], row["column_code"]) == (HONGZE, "litigation_direct", "upheld"):
            row.update(count="", text="/", flag_code="blank_mark")
        if (row["report_id"], row["row_code"], row["column_code"]) == (HONGZE, "litigation_direct", "pending"):
            row.update(count="", text="", flag_code="not_found")
    write_csv(package, "appeals", appeals)
    narratives = read_csv(package, "narratives")
    first = next(r for r in narratives if r["report_id"] == HONGZE and r["section_code"] == "6")
    first["text"] = MARKDOWN_TRAP
    write_csv(package, "narratives", narratives)
    build_site(package, out / "site", out / "docs", CONFIG)
    return package, out / "site"


def test_strict_build_writes_one_page_per_report(site):
    report_ids = {r["report_id"] for r in read_csv(COMMITTED, "reports")}
    pages = {p.stem for p in (site / "reports").glob("*.html")}
    assert pages == report_ids | {"index"}
    for rid in report_ids:
        assert rid in text(page(site, f"reports/{rid}.html").select_one("article"))


def test_every_report_page_is_two_clicks_from_the_reports_page(site):
    """报告 → a year, a region or a level → the report: each list links every agency-year it covers."""
    report_ids = {r["report_id"] for r in read_csv(COMMITTED, "reports")}
    hub = page(site, "reports/index.html")
    lists = {a["href"] for a in hub.select("article table a")}
    assert {h.split("/")[-1].split("-")[0] for h in lists} == {"year", "region", "level"}
    for kind in ("year", "level"):
        reached = set()
        for href in (h for h in lists if f"/{kind}-" in h):
            soup = page(site, "reports/" + href)
            reached |= {a["href"].split("/")[-1].removesuffix(".html") for a in soup.select("article table a") if "/reports/" in a["href"]}
        assert reached == report_ids, kind


def test_home_page_counts_come_from_the_package(site):
    home = text(page(site, "index.html").select_one("article"))
    reports = read_csv(COMMITTED, "reports")
    assert f"已发布报告 {len(reports)} 份" in home
    assert f"未采用的输入文件：{len(read_csv(COMMITTED, 'rejected_inputs'))} 个" in home


@pytest.mark.parametrize("report_id", [HONGZE, PINGTAN, "ha_puyang_gov_office-2020"])
@pytest.mark.parametrize(("table", "heading", "value_field"), [("requests", "三、", "count"), ("appeals", "四、", "count")])
def test_every_cell_is_in_its_row_and_column(site, report_id, table, heading, value_field):
    cells = [c for c in read_csv(COMMITTED, table) if c["report_id"] == report_id]
    assert cells
    html = section_table(page(site, f"reports/{report_id}.html"), heading)
    rows: dict[str, list[dict]] = {}
    for c in cells:
        rows.setdefault(c["row_label"], []).append(c)
    headers = [text(th) for th in html.select("thead th")]
    first_row = next(iter(rows.values()))
    assert [h.split()[-1] for h in headers[-len(first_row) :]] == [c["column_label"] for c in first_row]
    for label, row_cells in rows.items():
        shown = [text(td) for td in table_row(html, label).find_all("td")][-len(row_cells) :]
        assert shown == [c[value_field] for c in row_cells], (report_id, label)


def test_money_is_shown_with_its_unit(site):
    fee = next(c for c in read_csv(COMMITTED, "proactive") if c["report_id"] == HONGZE and c["unit_name"])
    html = section_table(page(site, f"reports/{HONGZE}.html"), "二、", index=2)
    assert text(table_row(html, fee["row_label"]).find_all("td")[-1]) == f"{fee['value']} {fee['unit_name']}"


def test_split_cells_carry_their_mark(site):
    split = next(c for c in read_csv(COMMITTED, "requests") if c["flag_code"] == "split_by_rules")
    html = section_table(page(site, f"reports/{split['report_id']}.html"), "三、")
    cell = table_row(html, split["row_label"]).find_all("td")[-7:][0]
    assert cell.find("sup") is not None and text(cell) == f"{split['count']} 拆"


def test_blank_mark_and_missing_cells_are_shown_as_what_they_are_never_0(edited):
    _, site = edited
    soup = page(site, f"reports/{HONGZE}.html")
    requests = section_table(soup, "三、")
    assert [text(td) for td in table_row(requests, "1.属于国家秘密").find_all("td")][-7:][0] == "空"
    appeals = [text(td) for td in table_row(section_table(soup, "四、"), "未经复议直接起诉").find_all("td")][-5:]
    assert appeals[0] == "/" and appeals[3] == "未找到"
    legend = text(soup.select_one("article"))
    assert "没有数值，不是 0" in legend and "未找到" in legend


def test_report_text_never_becomes_markup(edited):
    _, site = edited
    soup = page(site, f"reports/{HONGZE}.html")
    section = next(h for h in soup.select("article h2") if text(h).startswith("六、"))
    paragraphs = [text(p) for p in section.find_next_siblings("p")]
    for line in MARKDOWN_TRAP.splitlines():
        assert line in paragraphs
    article = soup.select_one("article")
    assert not article.find("b") and not article.find("a", href="http://example.invalid")
    assert not article.find("ol") and not any(text(h) == "像标题的一行" for h in article.find_all("h1"))


def test_failed_rules_are_listed_with_both_sums(site):
    checks = [c for c in read_csv(COMMITTED, "check_results") if c["report_id"] == HONGZE]
    failed = [c for c in checks if c["rule_status_code"] == "fail"]
    assert len(failed) == 2
    soup = page(site, f"reports/{HONGZE}.html")
    table = section_table(soup, "勾稽核对")
    rows = [[text(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
    assert len(rows) == len(failed)
    labels = {c["row_code"]: c["row_label"] for c in read_csv(COMMITTED, "appeals") if c["report_id"] == HONGZE}
    for rule, row in zip(failed, rows):
        assert row[0] == "未通过" and row[2] == labels[rule["subject_code"]] and row[3] == rule["rule_description"]
        assert (row[5], row[7]) == (rule["left_sum"], rule["right_sum"])
    passed = sum(c["rule_status_code"] == "pass" for c in checks)
    assert f"共 {len(checks)} 条规则：通过 {passed} 条，未通过 2 条" in text(soup.select_one("article"))


def test_problems_and_narratives_are_on_the_report_page(site):
    problems = [p for p in read_csv(COMMITTED, "problems")]
    rid = problems[0]["report_id"]
    shown = text(page(site, f"reports/{rid}.html").select_one("article"))
    for p in (p for p in problems if p["report_id"] == rid):
        assert p["problem_code"] in shown and " ".join(p["message"].split())[:80] in shown
    article = page(site, f"reports/{HONGZE}.html").select_one("article")
    headings = [text(h).rstrip("¶ ") for h in article.find_all("h3")]
    items = [n for n in read_csv(COMMITTED, "narratives") if n["report_id"] == HONGZE and n["heading"]]
    assert [f"{n['numbering']}{n['heading']}" for n in items] == [h for h in headings if h != "单元格说明"]


def test_every_rejected_input_is_listed_with_its_reason(site):
    soup = page(site, "rejected.html")
    shown = text(soup.select_one("article"))
    for f in read_csv(COMMITTED, "rejected_inputs"):
        assert f["source_file"] in shown and f["reason_code"] in shown
        assert " ".join(f["reason"].split())[:60] in shown
        if f["duplicate_of_report_id"]:
            link = soup.find("a", string=f["duplicate_of_report_id"])
            assert (site / unquote(link["href"])).is_file()


def test_downloads_link_every_file_of_the_package_and_the_links_work(site):
    descriptor = json.loads((COMMITTED / "datapackage.json").read_text("utf-8"))
    soup = page(site, "downloads.html")
    links = {text(a): a["href"] for a in soup.select("article table a")}
    for path in ["datapackage.json"] + [r["path"] for r in descriptor["resources"]]:
        target = site / unquote(links[path])
        assert target.is_file(), path
        if not path.endswith(".md"):  # the data dictionary is shown as a page
            assert target.read_bytes() == (COMMITTED / path).read_bytes(), path
    shown = text(soup.select_one("article"))
    assert descriptor["version"] in shown and descriptor["licenses"][0]["name"] in shown
    assert "DOI" not in shown


def test_site_command_names_a_missing_package(tmp_path):
    missing = tmp_path / "no-package"
    result = CliRunner().invoke(main, ["site", "--package", str(missing), "--out", str(tmp_path / "s"), "--docs", str(tmp_path / "d")])
    assert result.exit_code != 0
    assert str(missing / "datapackage.json") in result.output
    assert not (tmp_path / "s").exists()


def test_site_command_names_an_unreadable_table(tmp_path):
    package = tmp_path / "datapackage"
    shutil.copytree(COMMITTED, package)
    (package / "data" / "appeals.csv").unlink()
    result = CliRunner().invoke(main, ["site", "--package", str(package), "--out", str(tmp_path / "s"), "--docs", str(tmp_path / "d")])
    assert result.exit_code != 0 and str(package / "data" / "appeals.csv") in result.output


def test_site_command_never_empties_a_folder_holding_its_inputs(tmp_path):
    package = tmp_path / "datapackage"
    shutil.copytree(COMMITTED, package)
    before = sorted(p.relative_to(package) for p in package.rglob("*"))
    result = CliRunner().invoke(main, ["site", "--package", str(package), "--out", str(package), "--docs", str(tmp_path / "d")])
    assert result.exit_code != 0 and "--out" in result.output
    assert sorted(p.relative_to(package) for p in package.rglob("*")) == before


# --- agency pages ---


def requests_total(report_id: str, row_code: str) -> str:
    return next(
        c["count"]
        for c in read_csv(COMMITTED, "requests")
        if (c["report_id"], c["row_code"], c["column_code"]) == (report_id, row_code, "total")
    )


def side_by_side(soup: BeautifulSoup, heading_start: str) -> dict[str, list[str]]:
    """An agency page's table after the heading: row label → the cells, one per year."""
    table = section_table(soup, heading_start)
    return {text(tr.find("td")): [text(td) for td in tr.find_all("td")[1:]] for tr in table.select("tbody tr")}


def test_one_agency_page_per_agency_with_a_report_named_as_the_registry_names_it(site):
    reports = read_csv(COMMITTED, "reports")
    agencies = {a["agency_id"]: a for a in read_csv(COMMITTED, "agencies")}
    with_reports = {r["agency_id"] for r in reports}
    assert {p.stem for p in (site / "agencies").glob("*.html")} == with_reports
    for agency_id in with_reports:
        soup = page(site, f"agencies/{agency_id}.html")
        assert text(soup.select_one("article h1")).rstrip("¶ ") == agencies[agency_id]["agency_name"]
        links = {a["href"] for a in soup.select("article table a") if "/reports/" in a["href"]}
        assert links == {f"../reports/{r['report_id']}.html" for r in reports if r["agency_id"] == agency_id}
        assert agencies[agency_id]["level_name"] in text(soup.select_one("article table"))


def test_agency_page_sets_the_years_side_by_side_with_the_change(site):
    soup = page(site, "agencies/js_huaian_hongze_gov.html")
    rows = side_by_side(soup, "收到和处理")
    before, now = int(requests_total(HONGZE, "1")), int(requests_total("js_huaian_hongze_gov-2024", "1"))
    delta = now - before
    assert rows["本年新收申请"] == [str(before), f"{now} {'+' if delta > 0 else '−' if delta < 0 else ''}{abs(delta)}"]
    refused = sum(int(requests_total(HONGZE, f"3.3.{i}")) for i in range(1, 9))
    assert rows["不予公开"][0] == str(refused)
    assert rows["办理结果总计"][0] == requests_total(HONGZE, "3.7")
    appeals = side_by_side(soup, "行政复议")
    review = next(
        c for c in read_csv(COMMITTED, "appeals") if (c["report_id"], c["row_code"], c["column_code"]) == (HONGZE, "review", "upheld")
    )
    assert appeals["行政复议：结果维持"][0] == review["count"]
    parent = soup.find("a", string="淮安市人民政府")
    assert parent["href"] == "js_huaian_gov.html" and (site / "agencies" / parent["href"]).is_file()


def test_agency_page_says_when_a_year_uses_another_template(site):
    soup = page(site, "agencies/ha_jiyuan_gov_office.html")
    article = text(soup.select_one("article"))
    assert "2022 年度的报告用的是2021 年格式" in article and "与上一份报告的格式不同" in article
    proactive = next(h for h in soup.select("article h2") if text(h).startswith("主动公开"))
    subheads = [text(h).rstrip("¶ ") for h in proactive.find_next_siblings("h3")]
    assert subheads[:2] == ["2019 年试行格式（国办公开办函〔2019〕60号）", "2021 年格式（国办公开办函〔2021〕30号）"]


def test_blank_cells_stay_blank_on_the_agency_page_and_in_the_lists(edited):
    _, site = edited
    soup = page(site, "agencies/js_huaian_hongze_gov.html")
    assert side_by_side(soup, "收到和处理")["不予公开"][0] == "不全"  # one reason's total blanked: no sum of the rest
    table = section_table(soup, "收到和处理", index=1)  # the reasons, under the same h2
    cells = {text(tr.find("td")): [text(td) for td in tr.find_all("td")[1:]] for tr in table.select("tbody tr")}
    assert cells["1.属于国家秘密"][0] == "空"
    assert cells["1.属于国家秘密"][1] == requests_total("js_huaian_hongze_gov-2024", "3.3.1")  # no change against a blank
    year = page(site, "browse/year-2023.html")
    row = next(tr for tr in year.select("article .ogi-sortable tbody tr") if tr.find("a", href=f"../reports/{HONGZE}.html"))
    headers = [text(th) for th in year.select("article .ogi-sortable thead th")]
    assert text(row.find_all("td")[headers.index("不予公开")]) == "不全"
    assert row.find_all("td")[headers.index("不予公开")]["data-sort"] == ""


# --- the lists ---


def test_year_list_shows_each_agency_years_headline_figures(site):
    reports = [r for r in read_csv(COMMITTED, "reports") if r["report_year"] == "2020"]
    soup = page(site, "browse/year-2020.html")
    headers = [text(th) for th in soup.select("article .ogi-sortable thead th")]
    rows = soup.select("article .ogi-sortable tbody tr")
    assert len(rows) == len(reports)
    for r in reports:
        tr = next(tr for tr in rows if tr.find("a", href=f"../reports/{r['report_id']}.html"))
        cells = [text(td) for td in tr.find_all("td")]
        assert cells[headers.index("本年新收申请")] == requests_total(r["report_id"], "1")
        assert cells[headers.index("予以公开")] == requests_total(r["report_id"], "3.1")
        assert cells[headers.index("未通过的规则")] == r["rule_failed_count"]


def test_regions_go_province_city_county(site):
    hub = page(site, "reports/index.html")
    jiangsu = next(a["href"] for a in hub.select("article table a") if text(a) == "江苏省")
    province = page(site, "reports/" + jiangsu)
    city = next(a for a in province.select("article table a") if text(a) == "淮安市")
    city_page = page(site, "browse/" + city["href"])
    assert "江苏省" in text(city_page.select_one("article"))  # the way back up
    own = {a["href"] for a in city_page.select("article .ogi-sortable a") if "/reports/" in a["href"]}
    assert own == {"../reports/js_huaian_gov-2024.html"}
    county = next(a for a in city_page.select("article table a") if text(a) == "洪泽区")
    county_page = page(site, "browse/" + county["href"])
    own = {a["href"] for a in county_page.select("article .ogi-sortable a") if "/reports/" in a["href"]}
    assert own == {f"../reports/{HONGZE}.html", "../reports/js_huaian_hongze_gov-2024.html"}


def test_long_lists_are_split_into_pages_of_at_most_200():
    from ogi.site.figures import Figure
    from ogi.site.indexes import PAGE_ROWS, Row, split

    rows = [
        Row(
            f"a{i:04d}-2021",
            f"a{i:04d}",
            f"机关{i:04d}",
            "2021",
            "",
            ("江苏省",),
            {"received": Figure(None, "空"), "granted": Figure(None, "空")},
            "0",
            None,
        )
        for i in range(450)
    ]
    pages = split("year-2021", "2021 年度的报告", rows, "2021 年度")
    by_name, ranked = pages[:3], pages[3:]  # the list by agency name, and ranked by new requests
    assert [p.path for p in by_name] == ["browse/year-2021.md", "browse/year-2021-2.md", "browse/year-2021-3.md"]
    assert [p.path for p in ranked] == [
        "browse/year-2021-by-received.md",
        "browse/year-2021-by-received-2.md",
        "browse/year-2021-by-received-3.md",
    ]
    for order in (by_name, ranked):
        assert [len(p.rows) for p in order] == [PAGE_ROWS, PAGE_ROWS, 50]
        assert sorted(r.report_id for p in order for r in p.rows) == sorted(r.report_id for r in rows)
    assert by_name[1].pager == [("第 1 页", "year-2021.md"), ("第 2 页", None), ("第 3 页", "year-2021-3.md")]
    assert by_name[1].orders == [("按机关名称", None), ("按本年新收申请（从多到少）", "year-2021-by-received.md")]
    assert ranked[0].orders == [("按机关名称", "year-2021.md"), ("按本年新收申请（从多到少）", None)]
    assert split("year-2022", "2022 年度的报告", rows[:PAGE_ROWS], "2022 年度")[0].orders == []  # one page: no second order


# --- charts, citations, downloads, reading order ---


def chart_numbers(figure) -> tuple[list[str], list[dict], list[list[str]]]:
    data = json.loads(figure.select_one("script.ogi-chart__data").string)
    table = [[text(c) for c in tr.find_all(["th", "td"])] for tr in figure.select("details table tbody tr")]
    return data["labels"], data["series"], table


def test_report_page_chart_shows_how_requests_were_handled_with_its_table(site):
    soup = page(site, f"reports/{HONGZE}.html")
    figure = soup.select_one("article figure.ogi-chart")
    assert "办理结果" in text(figure.find("figcaption"))
    labels, series, table = chart_numbers(figure)
    assert labels[0] == "予以公开" and series[0]["values"][0] == int(requests_total(HONGZE, "3.1"))
    assert [row[0] for row in table] == labels
    assert [row[1] for row in table] == ["" if v is None else str(v) for v in series[0]["values"]]


def test_charts_on_home_agency_and_list_pages_and_nothing_from_outside(site):
    for rel in ("index.html", "agencies/js_huaian_hongze_gov.html", "browse/year-2020.html"):
        soup = page(site, rel)
        figure = soup.select_one("article figure.ogi-chart")
        assert figure is not None and text(figure.find("figcaption")), rel
        labels, series, table = chart_numbers(figure)
        assert len(table) == len(labels) and all(len(row) == len(series) + 1 for row in table)
        for tag in soup.find_all(["script", "link", "img"]):
            address = tag.get("src") or tag.get("href") or ""
            assert not address.startswith(("http:", "https:", "//")), (rel, address)
    assert (site / "assets" / "ogi" / "chart.umd.js").is_file() and (site / "assets" / "ogi" / "ogi.js").is_file()


def citation_texts(soup: BeautifulSoup) -> dict[str, str]:
    return {text(b.select_one(".ogi-cite__style")): text(b.select_one(".ogi-cite__text")) for b in soup.select("article .ogi-cite")}


def test_home_agency_and_report_pages_say_how_to_cite_them(site):
    descriptor = json.loads((COMMITTED / "datapackage.json").read_text("utf-8"))
    released = descriptor["version"] in {r["version"] for r in json.loads((ROOT / "releases" / "index.json").read_text("utf-8"))}
    for rel in ("index.html", "agencies/js_huaian_hongze_gov.html", f"reports/{HONGZE}.html"):
        soup = page(site, rel)
        cites = citation_texts(soup)
        assert set(cites) == {"GB/T 7714-2015", "APA", "BibTeX"}, rel
        gbt = cites["GB/T 7714-2015"]
        assert "[DS/OL]" in gbt and descriptor["version"] in gbt and str(descriptor.get("released") or descriptor["created"])[:10] in gbt
        assert gbt.endswith(f"{rel}.")  # no site_url: the page's path in the site, and the page says so
        assert "尚未设置永久网址" in text(soup.select_one("article"))
        assert cites["BibTeX"].startswith("@misc{") and f"version = {{{descriptor['version']}}}" in cites["BibTeX"]
        assert "[Data set]" in cites["APA"]
        assert len(soup.select("article .ogi-cite button.ogi-copy")) == 3
        # the committed package's version is released (releases/index.json): its citations link the release
        assert bool(soup.select("article .ogi-citations a[href$='releases.html']")) == released, rel


def test_citations_carry_the_site_url_and_link_the_release_when_there_is_one(tmp_path):
    config = tmp_path / "mkdocs.yml"
    yml = CONFIG.read_text("utf-8").replace("custom_dir: src/", f"custom_dir: {ROOT}/src/")  # the theme's files, from here
    config.write_text(yml.replace("site_name:", "site_url: https://data.example.org/ogi/\nsite_name:", 1), "utf-8")
    pages = tmp_path / "pages"
    shutil.copytree(ROOT / "site", pages)
    version = json.loads((COMMITTED / "datapackage.json").read_text("utf-8"))["version"]
    release = {"version": version, "date": "2026-12-06", "commit": "0" * 40, "archive": "releases/x.zip", "sha256": "0" * 64, "bytes": 1}
    release |= {"formats": [], "counts": {"agency_years": 1, "agencies": 1, "cells": 1}, "changes": None}
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "index.json").write_text(json.dumps([{**release, "version": "0.0.1"}]), "utf-8")
    build_site(COMMITTED, tmp_path / "unreleased", tmp_path / "docs", config, pages)
    soup = page(tmp_path / "unreleased", f"reports/{HONGZE}.html")
    assert not soup.select("article .ogi-citations a[href$='releases.html']")  # a releases page, but not of this version
    (tmp_path / "releases" / "index.json").write_text(json.dumps([release]), "utf-8")
    build_site(COMMITTED, tmp_path / "site", tmp_path / "docs", config, pages)
    soup = page(tmp_path / "site", f"reports/{HONGZE}.html")
    assert citation_texts(soup)["GB/T 7714-2015"].endswith(f"https://data.example.org/ogi/reports/{HONGZE}.html.")
    assert "尚未设置永久网址" not in text(soup.select_one("article"))
    assert soup.select_one("article .ogi-citations a")["href"] == "../releases.html"


def test_each_report_offers_its_own_rows_as_csv_and_json(site):
    cells = {t: [c for c in read_csv(COMMITTED, t) if c["report_id"] == HONGZE] for t in ("proactive", "requests", "appeals")}
    with open(site / "reports" / f"{HONGZE}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == sum(len(v) for v in cells.values())
    for row in rows:
        source = next(c for c in cells[row["table_code"]] if (c["row_code"], c["column_code"]) == (row["row_code"], row["column_code"]))
        assert row["value"] == source.get("value", source.get("count")) and row["row_label"] == source["row_label"]
    record = json.loads((site / "reports" / f"{HONGZE}.json").read_text("utf-8"))
    assert record["report"]["report_id"] == HONGZE and record["agency"]["agency_id"] == "js_huaian_hongze_gov"
    requests = [dict(zip(record["requests"]["fields"], row)) for row in record["requests"]["rows"]]
    assert [c["count"] for c in requests] == [int(c["count"]) if c["count"] else None for c in cells["requests"]]
    assert [c["row_label"] for c in requests] == [c["row_label"] for c in cells["requests"]]
    assert [c["corrected"] for c in requests] == [c["corrected"] == "true" for c in cells["requests"]]
    links = {a["href"] for a in page(site, f"reports/{HONGZE}.html").select("article a")}
    assert {f"{HONGZE}.csv", f"{HONGZE}.json"} <= links


def test_report_page_follows_the_reports_own_order(site):
    headings = [text(h).rstrip("¶ ") for h in page(site, f"reports/{HONGZE}.html").select("article h2")]
    numerals = [h[0] for h in headings if h[0] in "一二三四五六"]
    assert numerals == list("一二三四五六")
    assert headings.index("勾稽核对") > headings.index("六、其他需要报告的事项")
    assert headings[-1] == "如何引用"


# --- labels from the package ---


@pytest.fixture(scope="module")
def relabelled(tmp_path_factory) -> Path:
    """A copy of the package whose code lists say other things, with a new flag, and a report published with gaps."""
    out = tmp_path_factory.mktemp("relabelled")
    package = out / "datapackage"
    shutil.copytree(COMMITTED, package)
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        for field in resource.get("schema", {}).get("fields", []):
            for category in field.get("categories", []):
                if (field["name"], category["value"]) == ("template_code", "2021"):
                    category["label"] = "二〇二一式"
                if (field["name"], category["value"]) == ("scope_code", "area"):
                    category["label"] = "全区合计"
            if field["name"] == "flag_code":
                field["categories"].append({"value": "made_up_flag", "label": "存疑"})  # a flag the site's code never heard of
            if field["name"] == "report_status_code":
                field["categories"] = [{"value": "published", "label": "已发布"}, {"value": "published_with_gaps", "label": "有缺漏"}]
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), "utf-8")
    reports = read_csv(package, "reports")
    for r in reports:
        r["report_status_code"] = "published_with_gaps" if r["report_id"] == HONGZE else "published"
    write_csv(package, "reports", reports)
    requests = read_csv(package, "requests")
    for row in requests:
        if (row["report_id"], row["row_code"], row["column_code"]) == (HONGZE, "1", "natural_person"):
            row["flag_code"] = "made_up_flag"
    write_csv(package, "requests", requests)
    build_site(package, out / "site", out / "docs", CONFIG)
    return out / "site"


def test_code_labels_come_from_the_package(relabelled):
    soup = page(relabelled, f"reports/{HONGZE}.html")
    facts = {text(tr.find_all("td")[0]): text(tr.find_all("td")[1]) for tr in soup.select("article table")[0].select("tbody tr")}
    assert facts["格式版本"] == "二〇二一式" and facts["统计范围"].startswith("全区合计")
    cell = table_row(section_table(soup, "三、"), "一、本年新收政府信息公开申请数量").find_all("td")[-7]
    assert cell.find("sup") is not None and text(cell.find("sup")) == "存疑"  # a flag the site's code never heard of
    legend = text(section_table(soup, "单元格说明"))
    assert "存疑" in legend
    home = text(page(relabelled, "index.html").select_one("article"))
    assert "二〇二一式" in home


def test_published_with_gaps_is_noted_on_the_page_and_marked_in_every_list(relabelled):
    note = page(relabelled, f"reports/{HONGZE}.html").select_one("article .ogi-gaps-note")
    assert note is not None and "有缺漏" in text(note)
    assert page(relabelled, f"reports/{PINGTAN}.html").select_one("article .ogi-gaps-note") is None
    lists = ["browse/year-2023.html", "agencies/js_huaian_hongze_gov.html"]
    lists += ["browse/" + a["href"] for a in page(relabelled, "browse/level-county_government.html").select("nav.ogi-pager a")]
    for rel in lists:
        soup = page(relabelled, rel)
        assert "有缺漏" in text(soup.select_one("article")), rel
    row = next(
        tr
        for tr in page(relabelled, "browse/level-county_government.html").select(".ogi-sortable tbody tr")
        if tr.find("a", href=f"../reports/{HONGZE}.html")
    )
    assert row.select_one(".ogi-gaps") is not None


def test_a_package_without_the_status_field_is_all_published(site):
    assert not page(site, f"reports/{HONGZE}.html").select("article .ogi-gaps-note, article .ogi-gaps")


def test_pages_written_by_several_processes_are_the_same_as_by_one(tmp_path, monkeypatch):
    from ogi.site import pages
    from ogi.site.reading import read_package

    monkeypatch.setattr(pages, "CHUNK", 2)  # 8 agencies: four tasks, so the forked path runs
    package = read_package(COMMITTED)
    out = {}
    for workers in (1, 2):
        docs = tmp_path / f"docs-{workers}"
        docs.mkdir()
        assert pages.write_pages(package, ROOT / "site", docs, CONFIG, workers=workers) == len(read_csv(COMMITTED, "reports"))
        out[workers] = {p.relative_to(docs): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}
    assert out[1] == out[2] and any(p.parts[0] == "agencies" for p in out[2])
