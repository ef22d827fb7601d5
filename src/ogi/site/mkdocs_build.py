"""Run `mkdocs build --strict` on the generated pages, through MkDocs' Python API.

The API, not the `mkdocs` command, because the docs folder is ours to choose
(the command has no option for it). MkDocs' warnings are collected and put in
the error, so a strict failure says which page and which link.
"""

from __future__ import annotations

import gzip
import html
import logging
import multiprocessing
import os
import re
import shutil
import struct
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import unquote

SPLIT_FROM = 400  # report pages from which MkDocs runs as two processes, each building half of them


class SiteError(Exception):
    """The site cannot be built; the message says why."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def _config_yaml(config_file: Path) -> dict:
    """The config as written (read with MkDocs' YAML loader, which knows its tags), before the build."""
    from mkdocs.utils.yaml import yaml_load

    if not config_file.is_file():
        raise SiteError(f"{config_file}: no MkDocs configuration here")
    with open(config_file, encoding="utf-8") as f:
        raw = yaml_load(f) or {}
    return raw if isinstance(raw, dict) else {}


def config_extra(config_file: Path) -> dict:
    """The config's `extra` settings, before the build."""
    extra = _config_yaml(config_file).get("extra") or {}
    return extra if isinstance(extra, dict) else {}


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, exclude: list[str] | None = None) -> None:
    """Build docs_dir into site_dir with config_file's settings, strict: any warning fails the build.
    exclude: pages (paths under docs_dir) left out besides the config's own exclude_docs; links to them still
    resolve (MkDocs reports them at INFO level, which strict ignores)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise SiteError(f"{config_file}: no MkDocs configuration here")
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        more = {"exclude_docs": _exclude_docs(config_file, exclude)} if exclude else {}
        config = load_config(str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir.resolve()), strict=True, **more)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        details = "\n".join(f"    {m}" for m in collect.messages)
        raise SiteError(f"mkdocs build --strict failed ({config_file}): {error}" + (f"\n{details}" if details else "")) from error
    finally:
        logger.removeHandler(collect)


def in_forked_process(function, *args):
    """function(*args) in a forked process, its result (or its exception) coming back as if called here. A
    process gives its memory back to the system only when it ends: what a step held (the package's tables,
    MkDocs' pages) is then free for the next. Run here where there is no fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        return pool.submit(function, *args).result()


def run_mkdocs_apart(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """`run_mkdocs` in a forked process: MkDocs holds every page in memory until the build ends (1.9 GiB at
    10,000 agency-years), given back before Pagefind needs its own. Its SiteError comes back as raised."""
    in_forked_process(run_mkdocs, config_file, docs_dir, site_dir)


def _exclude_docs(config_file: Path, pages: list[str]) -> str:
    """The config's exclude_docs patterns followed by one anchored pattern per page."""
    own = _config_yaml(config_file).get("exclude_docs") or ""
    return "\n".join([own.rstrip("\n"), *(f"/{page}" for page in pages)]).lstrip("\n")


def halves(groups: list[list[str]]) -> tuple[list[str], list[str]]:
    """Groups of pages (an agency's page with its reports' pages) dealt into two halves of about the same size,
    a group never split (its pages link each other)."""
    first: list[str] = []
    second: list[str] = []
    for group in sorted(groups, key=len, reverse=True):
        (first if len(first) <= len(second) else second).extend(group)
    return first, second


def can_split(config_file: Path, report_pages: int) -> bool:
    """Whether two half builds merge into the one-process build's site: enough pages to be worth a second
    process, two cores, a fork, and page.md built as page.html (the path the merge moves)."""
    config = _config_yaml(config_file)
    return (
        report_pages >= SPLIT_FROM
        and (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and config.get("use_directory_urls", True) is False
    )


_URL = re.compile(r"\s*<url>.*?</url>", re.S)
_LOC = re.compile(r"<loc>([^<]*)</loc>")


def _sitemap_key(block: str, site_url: str) -> tuple:
    """Where MkDocs puts a page in sitemap.xml: in the order it walks docs_dir (a folder's files before its
    subfolders', index first, then by name), told from the page's address: page.md is built as page.html."""
    loc = html.unescape(_LOC.search(block).group(1))
    path = unquote(loc[len(site_url) :] if loc.startswith(site_url) else loc)
    *folders, name = path.split("/")
    return (tuple(folders), name != "index.html", name)


def merge_sitemaps(first: str, second: str, site_url: str) -> str:
    """One sitemap.xml from the two halves': each lists the pages its half built (and the pages both built),
    so the result lists every page once, in MkDocs' own order."""
    if not _URL.search(first):  # no site_url: MkDocs lists no page
        return first
    parts = _URL.split(first)
    head, tail = parts[0], parts[-1]
    blocks = {_LOC.search(b).group(1): b for b in [*_URL.findall(first), *_URL.findall(second)]}
    return head + "".join(sorted(blocks.values(), key=lambda b: _sitemap_key(b, site_url))) + tail


def _gzip_mtime(path: Path) -> int:
    return struct.unpack("<I", path.read_bytes()[4:8])[0] if path.is_file() else 0


def _merge_sitemap_files(site_dir: Path, other: Path, site_url: str) -> None:
    """site_dir's sitemap.xml and sitemap.xml.gz made to list other's pages too; the .gz as MkDocs writes it,
    with the later of the two halves' times (each is the build date of its newest page)."""
    xml, other_xml = site_dir / "sitemap.xml", other / "sitemap.xml"
    if not (xml.is_file() and other_xml.is_file()):
        return
    merged = merge_sitemaps(xml.read_text("utf-8"), other_xml.read_text("utf-8"), site_url)
    xml.write_text(merged, "utf-8", newline="")
    gz = site_dir / "sitemap.xml.gz"
    mtime = max(_gzip_mtime(gz), _gzip_mtime(other / "sitemap.xml.gz"))
    with open(gz, "wb") as f, gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime) as out:
        out.write(merged.encode("utf-8"))


def run_mkdocs_split(config_file: Path, docs_dir: Path, site_dir: Path, groups: list[list[str]]) -> None:
    """MkDocs uses one core: two forked processes build the whole configuration at the same time, each leaving
    out the other's half of groups' pages (paths under docs_dir ending in .md), the first into site_dir, the second
    into a folder beside it; the second's pages then move into site_dir, and the two sitemaps are merged. Every
    other file is built the same by both (a page's links do not depend on whether their target is built), so the
    result is the one-process site."""
    first, second = halves(groups)
    other = site_dir.parent / f".{site_dir.name}.half"
    shutil.rmtree(other, ignore_errors=True)
    try:
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
            done = [
                pool.submit(run_mkdocs, config_file, docs_dir, site_dir, second),
                pool.submit(run_mkdocs, config_file, docs_dir, other, first),
            ]
            for future in done:
                future.result()
        for page in second:
            built = Path(page).with_suffix(".html")
            os.replace(other / built, site_dir / built)
        _merge_sitemap_files(site_dir, other, (_config_yaml(config_file).get("site_url") or "").rstrip("/") + "/")
    finally:
        shutil.rmtree(other, ignore_errors=True)
