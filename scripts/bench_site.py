"""Benchmark: `ogi site` on synthetic packages — time, memory, size, and what a first search downloads.

    .venv/bin/python scripts/bench_site.py [--n 1000 10000] [--work DIR] [--package DIR] [--skip-bare] [--site-url URL]

For each N (agency-years):

1. the package: `scripts/bench_build.py --n N --agencies-by-year --real-narratives --keep DIR`
   (agencies of about six years each, narratives of real length), unless --package gives one;
2. `ogi site` on it, timed, with the peak memory of its process tree (PSS, shared pages once); with
   --site-url, on a copy of mkdocs.yml that sets it, as a publisher does (every page then in sitemap.xml);
3. in the same run, a bare MkDocs build of as many pages as our site has
   (`shared/bench/bare_mkdocs_pages.py`: Material and its built-in search, nothing of ours), timed
   the same way: the ratio of the two is the figure to compare, not the seconds;
4. the site's size on disk (symbolic links counted as links: the package is linked, not copied);
5. what a browser downloads from opening the home page to the first result of a first search
   (headless Chromium with an empty cache; bytes counted at the local HTTP server serving the
   site, since Pagefind fetches from a web worker that the page's own network log does not show),
   for an agency's name and for a clause from the middle of a report's narrative.

Nothing here is a test: it prints figures. The budget the site is built to: at most 2 MB
downloaded before the first result; a build within 1.5× of the bare one; under 3 GiB at 10,000.
"""

from __future__ import annotations

import argparse
import csv
import functools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench_build import tree_pss_mib  # noqa: E402  (the same memory measure as the package's benchmark)

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def bare_script() -> Path:
    """shared/bench/bare_mkdocs_pages.py, beside the repository or above it (the project's shared folder)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "bench" / "bare_mkdocs_pages.py"
        if candidate.is_file():
            return candidate
    sys.exit("shared/bench/bare_mkdocs_pages.py not found above the repository: give --skip-bare")


@dataclass
class Run:
    seconds: float
    samples: list[tuple[float, float]]  # (seconds since the start, PSS MiB of the process tree)
    output: str

    @property
    def peak(self) -> float:
        return max((m for _, m in self.samples), default=0.0)

    def phases(self) -> str:
        """`ogi site`'s steps (from the seconds it prints), each with its seconds and peak memory."""
        match = PHASES.search(self.output)
        if not match:
            return ""
        out, end = [], self.seconds - float(match.group(1))  # the process's start-up, before build_site's clock
        for name, seconds in re.findall(r"(\w+) ([\d.]+) s", match.group(2)):
            begin, end = end, end + float(seconds)
            peak = max((m for t, m in self.samples if begin <= t <= end), default=0.0)
            out.append(f"{name} {float(seconds):.1f} s / {peak:.0f} MiB")
        return ", ".join(out)


PHASES = re.compile(r"\(([\d.]+) s: ([^)]*)\)")  # ogi site's closing line: (total s: read … s, pages … s, …)


def timed(command: list[str], cwd: Path | None = None) -> Run:
    """Run a command; its seconds, the PSS (MiB) of its process tree sampled every 0.2 s, and its output."""
    with tempfile.TemporaryFile("w+") as log:  # a file, not a pipe: a full pipe would stop the command
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
        samples = []
        while process.poll() is None:
            samples.append((time.perf_counter() - start, tree_pss_mib(process.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{output[-3000:]}")
    return Run(seconds, samples, output)


def disk_bytes(folder: Path) -> tuple[int, int]:
    """Bytes of the files under folder, links counted as links (not their targets); and of the search bundle."""
    total = search = 0
    for path in folder.rglob("*"):
        if path.is_symlink() or path.is_file():
            size = path.lstat().st_size
            total += size
            if path.relative_to(folder).parts[0] == "pagefind":
                search += size
    return total, search


class CountingServer:
    """Serves a folder on 127.0.0.1; counts the bytes of every response body (Content-Length) and the requests."""

    def __init__(self, root: Path) -> None:
        self.bytes = 0
        self.requests: list[tuple[str, int]] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    server.bytes += int(value)
                    server.requests.append((self.path, int(value)))
                super().send_header(keyword, value)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def reset(self) -> None:
        self.bytes = 0
        self.requests = []

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def first_search_bytes(site: Path, query: str) -> tuple[int, int, float, str]:
    """Open the home page in a fresh browser, search from the header's box, wait for the first result.

    Bytes and requests served from opening the home page to the first result, the seconds it took, the first result's address.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    server = CountingServer(site)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        server.reset()
        start = time.perf_counter()
        driver.get(server.url + "index.html")
        box = driver.find_element(By.CSS_SELECTOR, "header input[name=q]")
        box.send_keys(query + Keys.ENTER)
        first = WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#ogi-search-results li a"))
        seconds = time.perf_counter() - start
        href = first[0].get_attribute("href").removeprefix(server.url)
        return server.bytes, len(server.requests), seconds, href
    finally:
        driver.quit()
        server.close()


def queries(package: Path, seed: int) -> dict[str, str]:
    """An agency's name, and a clause (between two punctuation marks) from the middle of a report's narrative."""
    rng = random.Random(seed)
    with open(package / "data" / "agencies.csv", encoding="utf-8", newline="") as f:
        name = rng.choice(list(csv.DictReader(f)))["agency_name"]
    with open(package / "data" / "narratives.csv", encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f) if len(r["text"] or "") > 100]
    text = rng.choice(texts)
    clauses = [c for c in text.replace("。", "，").replace("；", "，").split("，")[1:-1] if 6 <= len(c) <= 14]
    return {"agency name": name, "narrative clause": rng.choice(clauses) if clauses else text[40:50]}


def config_with_site_url(work: Path, site_url: str) -> Path:
    """mkdocs.yml with site_url set, in work/config: beside it, links to what the build reads beside the real one."""
    folder = work / "config"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in ("site", "releases", "CHANGELOG.md"):
        (folder / name).symlink_to(ROOT / name)
    yml = (ROOT / "mkdocs.yml").read_text("utf-8").replace("custom_dir: src/", f"custom_dir: {ROOT}/src/")
    config = folder / "mkdocs.yml"
    config.write_text(yml.replace("site_name:", f"site_url: {site_url}\nsite_name:", 1), "utf-8")
    return config


def bench(n: int, work: Path, package: Path | None, skip_bare: bool, seed: int, site_url: str | None = None) -> None:
    print(f"\n== {n} agency-years")
    if package is None:
        package = work / f"package-{n}"
        if not (package / "datapackage.json").is_file():
            command = [str(BIN / "python"), str(ROOT / "scripts" / "bench_build.py"), "--n", str(n)]
            subprocess.run(
                [*command, "--agencies-by-year", "--real-narratives", "--keep", str(package)], check=True, stdout=subprocess.DEVNULL
            )
    site, docs = work / f"site-{n}", work / f"docs-{n}"
    config = ["--config", str(config_with_site_url(work, site_url))] if site_url else []
    run = timed([str(BIN / "ogi"), "site", "--package", str(package), "--out", str(site), "--docs", str(docs), *config], cwd=ROOT)
    seconds = run.seconds
    pages = sum(1 for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "pagefind")
    size, search = disk_bytes(site)
    print(
        f"ogi site: {seconds:.1f} s, peak {run.peak:.0f} MiB (process tree, PSS), {pages} HTML pages ({seconds / pages * 1000:.1f} ms a page)"
    )
    print(f"    steps: {run.phases()}")
    print(f"site on disk: {size / 2**20:.1f} MiB, of which the search index {search / 2**20:.1f} MiB (the package linked, not copied)")
    if site_url:
        listed = (site / "sitemap.xml").read_text("utf-8").count("<loc>")
        print(f"sitemap.xml: {listed} addresses (the site's pages but 404.html and search.html: {pages - 2})")
    if not skip_bare:
        bare = work / f"bare-{n}"
        shutil.rmtree(bare, ignore_errors=True)
        subprocess.run([str(BIN / "python"), str(bare_script()), str(pages), str(bare)], check=True)
        bare_run = timed([str(BIN / "mkdocs"), "build", "-q"], cwd=bare)
        bare_seconds, bare_peak = bare_run.seconds, bare_run.peak
        bare_size, _ = disk_bytes(bare / "site")
        print(
            f"bare MkDocs, {pages} pages: {bare_seconds:.1f} s, peak {bare_peak:.0f} MiB, {bare_size / 2**20:.1f} MiB on disk"
            f" → ogi site / bare = {seconds / bare_seconds:.2f}×"
        )
        shutil.rmtree(bare)
    for kind, query in queries(package, seed).items():
        downloaded, requests, took, first = first_search_bytes(site, query)
        print(
            f"first search, {kind} {query!r}: {downloaded / 1e6:.2f} MB in {requests} requests from opening the home page"
            f" to the first result ({took:.1f} s; first result {first})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, nargs="+", default=[1000], help="agency-years (one run each)")
    ap.add_argument("--work", type=Path, help="folder for the packages and sites (kept; default: a temporary one, removed)")
    ap.add_argument("--package", type=Path, help="use this package instead of building one (one --n only)")
    ap.add_argument("--skip-bare", action="store_true", help="no bare MkDocs build")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--site-url", help="build with this site_url in mkdocs.yml, as a publisher does")
    args = ap.parse_args()
    if args.package and len(args.n) != 1:
        sys.exit("--package goes with one --n")
    for tool in (CHROMIUM, CHROMEDRIVER):
        if not os.access(tool, os.X_OK):
            sys.exit(f"{tool} is missing: bash scripts/install_system_deps.sh")
    work = args.work or Path(tempfile.mkdtemp(prefix="ogi-bench-site-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.n:
            bench(n, work, args.package, args.skip_bare, args.seed, args.site_url)
    finally:
        if not args.work:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
