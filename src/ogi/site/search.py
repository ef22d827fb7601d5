"""The site's search index: Pagefind (extended build), run on the built site after MkDocs.

Pagefind writes an index split into small chunks under `<site>/pagefind/`; the
browser fetches only the chunks of the words a query holds, so what a search
downloads grows with the query, not with the site.

Chinese has no spaces, and Pagefind 1.5 segments the pages with one word list
when it indexes them and the query with the browser's (ICU) when it searches:
the two disagree often enough that a clause copied from a page finds nothing
(确保公开到位 is 确保/公开/到位 in the browser, 确保/公开到/位 in the index).
So every page is indexed as single characters (a space between two Han
characters, in a copy of the page that only the indexer reads), and the search
page spaces the query the same way and asks for the characters as an exact
phrase (see overrides/assets/ogi-search.js): any run of characters printed on a
page is found, whatever the words.

What is indexed: the article of each page (`data-pagefind-body`, set in
overrides/main.html), without its tables (numbers and the template's labels,
the same on every report: they would make every common character's list huge)
and without the headings' permalink marks.

Pagefind 1.5 holds about 350 kB per page while it indexes (3.6 GB for 10,000
agency-years), so a large site is indexed in shards of at most SHARD_PAGES pages,
one Pagefind run each: the first in `pagefind/`, the others in `pagefind/shard-N/`,
listed in `pagefind/ogi-shards.json`; the search page merges them (Pagefind's
mergeIndex), and the results of all shards are ranked together. An agency's page
and its reports are always in one shard, so they are ranked against each other
with the same word statistics.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ogi.site.mkdocs_build import SiteError

BUNDLE = "pagefind"  # the index and Pagefind's scripts, under the site's root
NOT_INDEXED = ("table", ".headerlink")  # CSS selectors Pagefind leaves out
# The characters indexed one by one: CJK unified ideographs (and extension A, compatibility ideographs).
# The same class is in overrides/assets/ogi-search.js: the two must agree.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_PAIR = re.compile(f"([{HAN}])(?=[{HAN}])")  # two Han characters side by side: none is left in a spaced page
HAN_RUN = re.compile(f"[{HAN}]{{2,}}")
BODY = "<div data-pagefind-body>"  # as overrides/main.html writes it
LANG = re.compile(r'<html lang="([^"]+)"')
SHARD_PAGES = 2500  # pages per Pagefind run: about 0.9 GB of memory
COPY_CHUNK = 200  # pages per task when the copies are written by several processes
SHARDS_LIST = "ogi-shards.json"  # in the first bundle: the other shards' folders, relative to it
# reports/<agency_id>-<year>.html and agencies/<agency_id>.html: the agency decides the shard.
AGENCY_PAGE = re.compile(r"(?:reports|agencies)/([a-z][a-z0-9_]*?)(?:-\d{4})?\.html")
TABLE = re.compile(r"<table\b.*?</table>", re.S)  # the pages' tables (Markdown's and html_table.jinja's): never nested


def pagefind_binary() -> Path:
    """The extended Pagefind executable installed from PyPI (pagefind[extended])."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError as error:
        raise SiteError("the search index needs Pagefind's extended build: pip install 'pagefind[extended]' (a dependency)") from error
    return get_executable()


def spaced(html: str) -> str:
    """A space between every two Han characters, so the indexer keeps each as a word of its own."""
    return HAN_RUN.sub(lambda run: " ".join(run.group()), html)  # per run, not per pair: 3× faster on a page


def indexable(html: str) -> str | None:
    """The part of a page Pagefind reads (its data-pagefind-body, to the end of the article), spaced,
    in a page of its own with the same language; None for a page that is not indexed (the search page, 404)."""
    start = html.find(BODY)
    if start < 0:
        return None
    end = html.find("</article>", start)
    lang = LANG.search(html[:start])
    body = spaced(TABLE.sub("", html[start:end]))  # tables are not indexed: no need to copy them
    return f'<!doctype html><html lang="{lang.group(1) if lang else "zh"}"><meta charset="utf-8"><body>{body}</body></html>'


def shard_of(rel: str, shards: int) -> int:
    """Which shard a page goes to: by its agency (stable across builds), else the first."""
    match = AGENCY_PAGE.fullmatch(rel)
    if shards == 1 or not match:
        return 0
    return zlib.crc32(match.group(1).encode()) % shards


def indexed_copies(site_dir: Path, out: Path, workers: int | None = None) -> list[Path]:
    """Every indexed page of the site, as `indexable` makes it, under out/<shard>/ at its own path
    (so the addresses stay the site's); the shards' folders (one with no page is not made).
    Written by `workers` processes (default: the CPUs, at most 4): each page's copy depends on that page only."""
    pages = [p for p in site_dir.rglob("*.html") if p.relative_to(site_dir).parts[0] != BUNDLE]
    shards = max(1, -(-len(pages) // SHARD_PAGES))
    folders = [out / str(i) for i in range(shards)]
    jobs = [(page, folders[shard_of(page.relative_to(site_dir).as_posix(), shards)] / page.relative_to(site_dir)) for page in pages]
    workers = workers or max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
    if workers == 1 or len(jobs) < 2 * COPY_CHUNK or "fork" not in multiprocessing.get_all_start_methods():
        _copy(jobs)
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_copy, [jobs[i : i + COPY_CHUNK] for i in range(0, len(jobs), COPY_CHUNK)]))
    return folders


def _copy(jobs: list[tuple[Path, Path]]) -> None:
    for page, target in jobs:
        part = indexable(page.read_text("utf-8"))
        if part is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(part, "utf-8")


def run_pagefind(source: Path, bundle: Path) -> None:
    command = [str(pagefind_binary()), "--site", str(source), "--output-path", str(bundle.resolve()), "--keep-index-url", "--quiet"]
    for selector in NOT_INDEXED:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        output = (result.stdout + result.stderr).strip()
        raise SiteError(f"{bundle}: Pagefind could not index the site (exit {result.returncode})\n{output}")


def index_site(site_dir: Path) -> int:
    """Write the Pagefind index of the built site into site_dir/pagefind (and its shards); how many shards."""
    pagefind_binary()  # fails early, saying what to install
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    with tempfile.TemporaryDirectory(prefix="ogi-search-") as tmp:
        shards = indexed_copies(site_dir, Path(tmp))
        if not shards[0].is_dir():  # the pages that belong to no agency (the home page…) are always in the first
            raise SiteError(f"{site_dir}: no page to index (no {BODY}: is the theme's custom_dir src/ogi/site/overrides?)")
        others = []
        for i, source in enumerate(shards):
            if source.is_dir():
                name = "" if i == 0 else f"shard-{i}/"
                run_pagefind(source, bundle / name)
                shutil.rmtree(source)  # the copy is read: free the disk before the next run
                others += [name] if name else []
    (bundle / SHARDS_LIST).write_text(json.dumps(others) + "\n", "utf-8")
    return len(others) + 1
