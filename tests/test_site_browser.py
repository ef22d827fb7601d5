"""The built site in a real browser: Debian's headless Chromium, driven by Selenium through Debian's chromedriver.

The site is built from the committed `datapackage/` and served over HTTP on a free
local port (search loads its index with fetch, which file:// does not allow). What
the browser renders and finds is compared with the package's CSVs, read by the csv
module. `scripts/install_system_deps.sh` (run by `make test`) installs chromium and
chromium-driver; without them this module fails, saying so. OGI_SKIP_BROWSER=1 skips it.
"""

from __future__ import annotations

import csv
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from ogi.site.build import build_site

pytestmark = pytest.mark.skipif(os.environ.get("OGI_SKIP_BROWSER") == "1", reason="OGI_SKIP_BROWSER=1: the browser tests were skipped")

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
HONGZE = "js_huaian_hongze_gov-2023"  # 2 failed appeal_total rules
PINGTAN = "fj_pingtan-2021"
WAIT = 10  # seconds, for anything the browser does after a page has loaded


def read_csv(name: str) -> list[dict[str, str]]:
    with open(COMMITTED / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def words(element: WebElement) -> str:
    return " ".join(element.text.split())


class Site:
    """The built site, served over HTTP; `requests` holds (path, status) of every request the server answered."""

    def __init__(self, root: Path) -> None:
        self.requests: list[tuple[str, int]] = []
        log = self.requests

        class Handler(SimpleHTTPRequestHandler):
            def log_request(self, code="-", size="-") -> None:
                log.append((unquote(urlsplit(self.path).path), int(code)))

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
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads), "download.prompt_for_download": False})
    # The driver's path is given, so Selenium Manager never runs (it would download a driver).
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()


def open_page(browser: WebDriver, site: Site, rel: str) -> None:
    """Load a page and fail on any error the browser logged while loading it (a missing favicon aside)."""
    browser.get_log("browser")  # drop what earlier pages logged
    browser.get(site.url + rel)
    assert urlsplit(browser.current_url).path == "/" + rel
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


@pytest.mark.parametrize(
    ("query", "report_id", "where"),
    [
        pytest.param("洪泽区", HONGZE, "agency", id="agency-name"),
        pytest.param("平潭", PINGTAN, "agency", id="part-of-agency-name"),
        pytest.param("观光区", PINGTAN, "one narrative only", id="word-of-one-report"),
        pytest.param("建立健全政府信息公开保障机制", HONGZE, "narrative", id="phrase-of-several-words"),
    ],
)
def test_search_finds_the_report_in_chinese(browser, site, query, report_id, where):
    narratives: dict[str, str] = {}
    for n in read_csv("narratives"):
        narratives[n["report_id"]] = narratives.get(n["report_id"], "") + n["heading"] + n["text"]
    if where == "agency":
        assert query in next(r["titled_agency_name"] for r in read_csv("reports") if r["report_id"] == report_id)
    else:
        assert query in narratives[report_id]
    if where == "one narrative only":
        assert [rid for rid, text in narratives.items() if query in text] == [report_id]
    open_page(browser, site, "index.html")
    box = browser.find_element(By.CSS_SELECTOR, "input.md-search__input")
    box.click()
    box.send_keys(query)
    target = f"{site.url}reports/{report_id}.html"

    def found(driver: WebDriver) -> list[str]:
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item .md-search-result__link")]
        return [link for link in links if link.split("#")[0] == target]

    try:
        WebDriverWait(browser, WAIT).until(found)
    except TimeoutException:
        meta = words(browser.find_element(By.CSS_SELECTOR, ".md-search-result__meta"))
        links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".md-search-result__link")]
        pytest.fail(f"searching {query!r} (in the {where}) found no link to {target}: {meta}; links: {links[:10]}", pytrace=False)
    assert_no_errors(browser)


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
