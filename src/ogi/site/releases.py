"""The releases page (`releases.md`): every version with its date, counts, archives and changes, from releases/index.json.

The site never copies the archives: each is linked where the repository's files are
published, through `file_url` (a repository path → its URL, or None when the files are
not published anywhere yet: the page then shows the path and checksum without a link).
The index is read as it is committed, so a released archive's link and checksum stay.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from ogi.site import mdtext
from ogi.site.mkdocs_build import SiteError
from ogi.site.pages import environment

RELEASES_INDEX = Path("releases") / "index.json"  # beside mkdocs.yml, at the repository's root
PAGE = "releases.md"
CHANGE_NAMES = {
    "report_added": "新增报告（机关年度）",
    "report_removed": "删除报告（机关年度）",
    "cell_changed": "数值或标记改变的单元格",
    "cell_added": "新增单元格",
    "cell_removed": "删除单元格",
    "check_changed": "结果改变的勾稽核对",
    "check_added": "新增勾稽核对",
    "check_removed": "删除勾稽核对",
    "field_added": "新增字段",
    "field_removed": "删除字段",
    "field_renamed": "改名字段",
    "resource_added": "新增文件",
    "resource_removed": "删除文件",
}

FileUrl = Callable[[str], str | None]


def published_at(base_url: str | None) -> FileUrl:
    """Links under the address where the repository's files are published (none when there is none)."""
    if not base_url:
        return lambda path: None
    return lambda path: base_url.rstrip("/") + "/" + path


def beside_the_site(path: str) -> str:
    """A local build: the repository's files are linked into the site at their own paths (`build.link_files`)."""
    return path


def file_link(file_url: FileUrl) -> Callable[[str, str | None], Markup]:
    def link(path: str, text: str | None = None) -> Markup:
        url = path if "://" in path else file_url(path)  # an index entry may already name an archive host's URL
        if url and "://" not in url:
            # raw HTML: the file is not one of the site's pages, so MkDocs has nothing to check (the link test does)
            return Markup(f'<a href="{html.escape(quote(url, safe="/-_.~"))}">{mdtext.inline(text or path)}</a>')
        return mdtext.web_link(url, text or path) if url else mdtext.code(path)

    return link


def file_paths(index_path: Path) -> list[str]:
    """The repository files the releases page links (archives, change lists, the CHANGELOG), that are kept in the repository."""
    if not index_path.is_file():
        return []
    entries = json.loads(index_path.read_text("utf-8"))
    paths = ["CHANGELOG.md"] if entries else []
    for e in entries:
        paths += [e["archive"]] + [f["path"] for f in e.get("formats", [])] + ([e["changes"]["path"]] if e.get("changes") else [])
    return [p for p in dict.fromkeys(paths) if "://" not in p]


def releases_page(entries: list[dict], file_url: FileUrl) -> str:
    """The page's Markdown, newest release first."""
    return (
        environment({})  # the page names no codes
        .get_template("releases.md.jinja")
        .render(releases=list(reversed(entries)), link=file_link(file_url), change_names=CHANGE_NAMES, index_path=RELEASES_INDEX.as_posix())
    )


def write_releases_page(index_path: Path, docs_dir: Path, file_url: FileUrl | None = None) -> bool:
    """docs_dir/releases.md when the index exists; whether it was written. An unreadable index stops the build, naming it."""
    if not index_path.is_file():
        return False
    try:
        entries = json.loads(index_path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SiteError(f"{index_path}: cannot be read as the releases index ({error})") from error
    if not isinstance(entries, list):
        raise SiteError(f"{index_path}: expected a list of releases")
    (docs_dir / PAGE).write_text(releases_page(entries, file_url or published_at(None)), "utf-8")
    return True


def released_versions(index_path: Path) -> set[str]:
    """The versions the releases index lists (none when there is no index)."""
    if not index_path.is_file():
        return set()
    entries = json.loads(index_path.read_text("utf-8"))
    return {e["version"] for e in entries} if isinstance(entries, list) else set()
