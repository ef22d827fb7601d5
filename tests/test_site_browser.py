"""The built site in a real browser: Debian's headless Chromium, driven by Selenium through Debian's chromedriver.

The site is built from the committed `datapackage/` and served over HTTP on a free
local port (search loads its index with fetch, which file:// does not allow). What
the browser renders and finds is compared with the package's CSVs, read by the csv
module. `scripts/install_system_deps.sh` (run by `make test`) installs chromium and
chromium-driver; without them this module fails, saying so. OGI_SKIP_BROWSER=1 skips it.

The browser resolves every host name but 127.0.0.1 to nothing, so a request that would
leave this machine fails and is logged as an error, which `assert_no_errors` reports.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from conftest import ROOT
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

import ogi.site.search as search
from ogi.site.build import build_site

pytestmark = pytest.mark.skipif(os.environ.get("OGI_SKIP_BROWSER") == "1", reason="OGI_SKIP_BROWSER=1: the browser tests were skipped")

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HONGZE = "js_huaian_hongze_gov-2023"  # 2 failed appeal_total rules
PINGTAN = "fj_pingtan-2021"
PUYANG = "ha_puyang_gov_office-2020"
WAIT = 10  # seconds, for anything the browser does after a page has loaded
SEARCH_BUDGET = 2_000_000  # bytes, from opening the home page to the first search result


def read_csv(name: str) -> list[dict[str, str]]:
    with open(COMMITTED / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def words(element: WebElement) -> str:
    return " ".join(element.text.split())


class Site:
    """The built site, served over HTTP; `requests` holds (path, status) of every request the server answered,
    `sent` the bytes of each response's body (by its Content-Length), in the same order."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[tuple[str, int]] = []
        self.sent: list[int] = []
        log, sent = self.requests, self.sent

        class Handler(SimpleHTTPRequestHandler):
            def log_request(self, code="-", size="-") -> None:
                log.append((unquote(urlsplit(self.path).path), int(code)))

            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    sent.append(int(value))
                super().send_header(keyword, value)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    out = tmp_path_factory.mktemp("browser-site")
    build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    served = Site(out / "site")
    yield served
    served.close()


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory) -> Iterator[Site]:
    """The same site with its search index in shards of 4 pages (as a large site's is), served."""
    out = tmp_path_factory.mktemp("sharded-site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 4)
        build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    served = Site(out / "site")
    yield served
    served.close()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads) -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(
            f"the browser tests need Debian's chromium and chromium-driver, and {', '.join(missing)} is missing: "
            "run `bash scripts/install_system_deps.sh` (make test does), or set OGI_SKIP_BROWSER=1 to skip them",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.add_argument("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")  # nothing leaves this machine
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    # The driver's path is given, so Selenium Manager never runs (it would download a driver).
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def open_page(browser: WebDriver, site: Site, rel: str) -> None:
    """Load a page and fail on any error the browser logged while loading it (a missing favicon aside)."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(site.url + rel)
    assert urlsplit(browser.current_url).path == urlsplit(site.url + rel).path
    assert_no_errors(browser)


def assert_no_errors(browser: WebDriver) -> None:
    errors = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]]
    assert not errors, f"{browser.current_url}: the browser logged errors:\n" + "\n".join(errors)


def test_home_page_loads_without_errors(browser, site):
    open_page(browser, site, "index.html")
    assert browser.title == "政府信息公开工作年度报告数据"
    assert words(browser.find_element(By.CSS_SELECTOR, "article h1")) == "政府信息公开工作年度报告数据"
    article = words(browser.find_element(By.CSS_SELECTOR, "article"))
    assert f"已发布报告 {len(read_csv('reports'))} 份" in article


def test_report_page_shows_section_3_numbers_in_their_rows(browser, site):
    agency_id = HONGZE.rsplit("-", 1)[0]
    agency = next(a for a in read_csv("agencies") if a["agency_id"] == agency_id)
    open_page(browser, site, f"reports/{HONGZE}.html")
    assert words(browser.find_element(By.CSS_SELECTOR, "article h1")).startswith(f"{agency['agency_name']} · 2023")
    table = browser.find_element(By.XPATH, "//article//h2[starts-with(normalize-space(), '三、')]/following::table[1]")
    cells = [c for c in read_csv("requests") if c["report_id"] == HONGZE]
    rows: dict[str, list[str]] = {}
    for c in cells:
        rows.setdefault(c["row_label"], []).append(c["count"])
    columns = list(dict.fromkeys(c["column_label"] for c in cells))
    headers = [words(th) for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    assert [h.split()[-1] for h in headers[-len(columns) :]] == columns
    shown: dict[str, list[str]] = {}
    for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr"):
        tds = [words(td) for td in tr.find_elements(By.TAG_NAME, "td")]
        labels = [t for t in tds if t in rows]
        assert len(labels) == 1 and labels[0] not in shown, f"a row of section 三 that is not one of the package's rows: {tds}"
        shown[labels[0]] = tds[-len(columns) :]
    assert shown == rows
    total = next(c for c in cells if (c["row_code"], c["column_code"]) == ("3.7", "total"))
    assert shown[total["row_label"]][columns.index(total["column_label"])] == total["count"]


def narrative_text() -> dict[str, str]:
    out: dict[str, str] = {}
    for n in read_csv("narratives"):
        out[n["report_id"]] = out.get(n["report_id"], "") + n["heading"] + n["text"]
    return out


def search_from_header(browser: WebDriver, site: Site, query: str) -> list[str]:
    """Type the query in the header's box of the home page, press Enter; the results' addresses, site-relative."""
    open_page(browser, site, "index.html")
    box = browser.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys(query + Keys.ENTER)
    WebDriverWait(browser, WAIT).until(lambda d: urlsplit(d.current_url).path == "/search.html")
    return search_results(browser, site)


def search_results(browser: WebDriver, site: Site) -> list[str]:
    """Wait for the search page to answer (results, or a status saying there are none); the results' addresses."""
    status = browser.find_element(By.ID, "ogi-search-status")

    def answered(driver: WebDriver) -> bool:
        return bool(driver.find_elements(By.CSS_SELECTOR, "#ogi-search-results li")) or status.text.startswith(("没有", "搜索出错"))

    WebDriverWait(browser, WAIT).until(answered)
    assert not status.text.startswith("搜索出错"), status.text
    assert_no_errors(browser)
    links = browser.find_elements(By.CSS_SELECTOR, "#ogi-search-results li a.ogi-search-title")
    return [link.get_attribute("href").removeprefix(site.url) for link in links]


@pytest.mark.parametrize(
    ("query", "report_id", "where"),
    [
        pytest.param("确保公开到位", PUYANG, "a clause from the middle of one narrative", id="narrative-clause"),
        pytest.param("观光区", PINGTAN, "one narrative only", id="word-of-one-report"),
        pytest.param("建立健全政府信息公开保障机制", HONGZE, "narrative", id="phrase-of-several-words"),
        pytest.param("洪泽区", HONGZE, "agency", id="part-of-agency-name"),
        pytest.param("公开到位", PUYANG, "narrative: the index's words would be 公开到/位", id="across-words"),
    ],
)
def test_search_finds_the_report_in_the_first_ten(browser, site, query, report_id, where):
    report = next(r for r in read_csv("reports") if r["report_id"] == report_id)
    if where == "agency":
        assert query in report["titled_agency_name"]
    else:
        assert query in narrative_text()[report_id]
    if where == "one narrative only":
        assert [rid for rid, text in narrative_text().items() if query in text] == [report_id]
    found = search_from_header(browser, site, query)
    assert f"reports/{report_id}.html" in found[:10], f"searching {query!r} ({where}): {found}"


@pytest.mark.parametrize(("query", "report_id"), [("确保公开到位", PUYANG), ("洪泽区", HONGZE), ("濮阳市政府办", PUYANG)])
def test_search_finds_the_report_when_the_index_is_in_shards(browser, sharded_site, query, report_id):
    assert len(json.loads((sharded_site.root / "pagefind" / "ogi-shards.json").read_text("utf-8"))) >= 2
    found = search_from_header(browser, sharded_site, query)
    assert f"reports/{report_id}.html" in found[:10], f"searching {query!r}: {found}"
    assert any(path.startswith("/pagefind/shard-") for path, _ in sharded_site.requests)


def test_search_says_when_nothing_is_found_and_when_it_matched_characters_apart(browser, site):
    assert "鲸" not in "".join(narrative_text().values())
    assert search_from_header(browser, site, "鲸鱼骨骼") == []
    assert browser.find_element(By.ID, "ogi-search-status").text == "没有找到包含“鲸鱼骨骼”的页面。"
    # 濮阳市政府办: no page prints it, the report of 濮阳市人民政府办公室 has every character.
    found = search_from_header(browser, site, "濮阳市政府办")
    assert f"reports/{PUYANG}.html" in found
    assert browser.find_element(By.ID, "ogi-search-status").text.startswith("没有页面连续包含“濮阳市政府办”")


def test_more_results_are_listed_on_request_each_page_once(browser, site):
    first = search_from_header(browser, site, "公开")
    assert len(first) == 10
    more = browser.find_element(By.ID, "ogi-search-more")
    assert more.is_displayed()
    for _ in range(50):  # each click lists more, until none are left (bounded: the site has a few hundred pages at most)
        shown = len(browser.find_elements(By.CSS_SELECTOR, "#ogi-search-results li"))
        more.click()
        WebDriverWait(browser, WAIT).until(
            lambda d, shown=shown: (
                len(d.find_elements(By.CSS_SELECTOR, "#ogi-search-results li")) > shown
                or not d.find_element(By.ID, "ogi-search-more").is_displayed()
            )
        )
        if not more.is_displayed():
            break
    assert not more.is_displayed()  # all listed
    listed = search_results(browser, site)
    assert listed[:10] == first and len(set(listed)) == len(listed)
    pages = [p for p in site.root.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8") and "公开" in p.read_text("utf-8")]
    assert 10 < len(listed) <= len(pages)


def test_agency_name_finds_its_agency_page_first(browser, site):
    """Agency pages (agencies/<agency_id>.html) come from the site's pages; the registry's name must find its page first."""
    agency = next(a for a in read_csv("agencies") if a["agency_id"] == PUYANG.rsplit("-", 1)[0])
    found = search_from_header(browser, site, agency["agency_name"])
    assert found and found[0] == f"agencies/{agency['agency_id']}.html", f"searching {agency['agency_name']!r}: {found}"


def test_search_interface_is_in_chinese(browser, site):
    open_page(browser, site, "search.html?q=" + quote("平潭"))
    search_results(browser, site)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh"
    page = browser.find_element(By.CSS_SELECTOR, "article")
    shown = [words(page), browser.find_element(By.CSS_SELECTOR, "header input[name=q]").get_attribute("placeholder")]
    shown += [e.get_attribute("placeholder") for e in page.find_elements(By.CSS_SELECTOR, "input")]
    shown += [
        e.get_attribute("aria-label") or words(e) for e in browser.find_elements(By.CSS_SELECTOR, "input[name=q], button[type=submit]")
    ]
    shown += [words(e) for e in page.find_elements(By.CSS_SELECTOR, "button") if e.is_displayed()]
    for text in shown:
        assert re.search("[\u4e00-\u9fff]", text or ""), f"no Chinese in {text!r}"
    english = [
        w
        for w in re.findall("[A-Za-z]{3,}", words(page))
        if w.lower() in {"search", "result", "results", "load", "more", "clear", "filter"}
    ]
    assert not english, f"English words on the search page: {english}"
    assert words(browser.find_element(By.ID, "ogi-search-status")).startswith("找到 ")


def test_first_search_downloads_at_most_2_mb(browser, site):
    """Counted at the server (Pagefind fetches from a web worker, which the page's own log does not show); cache off."""
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        first = len(site.sent)
        found = search_from_header(browser, site, "确保公开到位")
        assert found
        assert any(path.startswith("/pagefind/") and path.endswith(".pf_fragment") for path, _ in site.requests[first:])
        assert 0 < sum(site.sent[first:]) <= SEARCH_BUDGET, f"{sum(site.sent[first:])} bytes before the first result"
    finally:
        browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})


def page_kinds(root: Path) -> dict[str, str]:
    """One page of each kind the built site has: every page at the top, and the first page of each folder (its index
    page, when it has one, and the first other page too) — so pages added later are covered without naming them."""
    kinds = {p.name: p.name for p in sorted(root.glob("*.html"))}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in ("assets", "pagefind")):
        pages = sorted(p for p in folder.rglob("*.html"))
        named = [p for p in pages if p.name == "index.html"][:1] + [p for p in pages if p.name != "index.html"][:1]
        for p in named:
            rel = p.relative_to(root).as_posix()
            kinds[rel] = rel
    return kinds


def requested_urls(browser: WebDriver) -> list[str]:
    """Every URL the page asked for since the performance log was last read (Chromium's network events)."""
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_every_kind_of_page_loads_without_errors_and_asks_nothing_of_another_host(browser, site):
    kinds = page_kinds(site.root)
    assert {"index.html", "downloads.html", "search.html", "reports/index.html"} <= set(kinds)
    assert any(k.startswith("reports/") and k != "reports/index.html" for k in kinds)
    for rel in kinds.values():
        browser.get_log("performance")
        target = rel + ("?q=" + quote("公开") if rel == "search.html" else "")
        open_page(browser, site, target)
        if rel == "search.html":
            assert search_results(browser, site)
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh", rel
        assert browser.find_elements(By.CSS_SELECTOR, "header form[role=search] input[name=q]"), f"{rel}: no search box in the header"
        urls = requested_urls(browser)
        assert site.url + target in urls, f"{rel}: the network log missed the page itself"
        outside = [u for u in urls if not u.startswith((site.url, "data:", "blob:"))]
        assert not outside, f"{rel} asked for {outside}"


def test_downloads_page_serves_the_csv_files(browser, site, downloads):
    open_page(browser, site, "downloads.html")
    link = browser.find_element(By.XPATH, "//article//table//a[normalize-space()='data/reports.csv']")
    assert unquote(urlsplit(link.get_attribute("href")).path) == "/datapackage/data/reports.csv"
    link.click()  # Chromium saves a CSV rather than showing it
    saved = downloads / "reports.csv"
    WebDriverWait(browser, WAIT).until(lambda _: saved.is_file())
    assert ("/datapackage/data/reports.csv", 200) in site.requests
    assert saved.read_bytes() == (COMMITTED / "data" / "reports.csv").read_bytes()
    with open(saved, encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == list(read_csv("reports")[0])
