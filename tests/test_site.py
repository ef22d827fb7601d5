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
        if (row["report_id"], row["row_code"], row["column_code"]) == (HONGZE, "3.3.1", "natural_person"):
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
    listed = {a["href"].removesuffix(".html") for a in page(site, "reports/index.html").select("article table a")}
    assert listed == report_ids


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
