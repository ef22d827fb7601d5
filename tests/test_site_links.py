"""Every relative link and resource of the whole built site exists, and the package is linked, not copied.

The site is built from the committed `datapackage/` as `make` builds it (no download_base):
the package's files are then symbolic links beside the pages, so the downloads' links are
checked like any other. Every page's href/src/action (and the search script's data-pagefind), every
CSS url(), and the #fragment of a link to one of the site's pages, are resolved as a browser
would, from the file that holds them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import ROOT
from lxml import html as lxml_html

from ogi.site.build import build_site
from ogi.site.mkdocs_build import SiteError
from ogi.site.releases import file_paths

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
LINK_ATTRIBUTES = ("href", "src", "action", "data-pagefind")  # action: the header's search form
PUBLISHED = "https://example.org/ogi/0.1.0/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("links")
    build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    return out / "site"


def relative(url: str) -> bool:
    """A link the site must hold itself: no scheme, no host, not only a #fragment."""
    parts = urlsplit(url.strip())
    return bool(url.strip()) and not parts.scheme and not parts.netloc and not url.strip().startswith("#")


def target_of(page: Path, url: str, root: Path | None = None) -> tuple[Path, str]:
    """The file a link points at (a path from "/" is from root, the site's folder) and its #fragment."""
    parts = urlsplit(url.strip())
    base = (root or page.parent) if parts.path.startswith("/") else page.parent
    target = (base / unquote(parts.path).lstrip("/")).resolve() if parts.path else page.resolve()
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def references(site: Path) -> list[tuple[Path, str]]:
    """(file, URL) for every link and resource in the site's HTML and CSS (the Pagefind bundle's own files aside)."""
    found = []
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if path.is_symlink() or not path.is_file() or rel.parts[0] == "pagefind":
            continue
        if path.suffix == ".html":
            tree = lxml_html.fromstring(path.read_bytes())
            for element in tree.iter():
                found += [(path, element.get(a)) for a in LINK_ATTRIBUTES if element.get(a) is not None]
                if element.get("style"):
                    found += [(path, u) for u in CSS_URL.findall(element.get("style"))]
            for style in tree.iter("style"):
                found += [(path, u) for u in CSS_URL.findall(style.text_content())]
        elif path.suffix == ".css":
            found += [(path, u) for u in CSS_URL.findall(path.read_text("utf-8"))]
    return found


def test_every_relative_link_and_resource_exists(site):
    refs = references(site)
    checked, missing, ids = 0, [], {}
    for page, url in refs:
        if not relative(url) or url.startswith("data:"):
            continue
        target, fragment = target_of(page, url, site)
        checked += 1
        if not target.exists():  # a symbolic link to a missing file does not exist either
            missing.append(f"{page.relative_to(site)}: {url}")
        elif fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = set(lxml_html.fromstring(target.read_bytes()).xpath("//@id"))
            if fragment not in ids[target]:
                missing.append(f"{page.relative_to(site)}: {url} (no #{fragment} there)")
    assert checked > 100, f"only {checked} relative links found: is the site built?"
    assert not missing, f"{len(missing)} dead links of {checked}:\n" + "\n".join(missing[:40])


def test_the_checker_sees_a_dead_link(site, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body><a href="nowhere.html">x</a><img src="img/none.png"><div style="background: url(\'a.png\')"></div></body></html>'
    )
    urls = [u for _, u in references(tmp_path)]
    assert urls == ["nowhere.html", "img/none.png", "a.png"]
    assert not any(target_of(page, u)[0].exists() for u in urls)


def test_downloads_link_every_file_of_the_package_beside_the_site_without_a_copy(site):
    descriptor = json.loads((COMMITTED / "datapackage.json").read_text("utf-8"))
    page = lxml_html.fromstring((site / "downloads.html").read_bytes())
    hrefs = {a.get("href") for a in page.xpath("//article//table//a")}
    for path in ["datapackage.json"] + [r["path"] for r in descriptor["resources"]]:
        assert f"datapackage/{path}" in hrefs, path
        linked = site / "datapackage" / path
        assert linked.is_symlink() and linked.resolve() == (COMMITTED / path).resolve(), path
    copied = [p for p in (site / "datapackage").rglob("*") if p.is_file() and not p.is_symlink()]
    assert [p.suffix for p in copied] == [".html"], f"files of the package copied into the site: {copied}"


def test_download_base_links_the_published_package_and_the_site_holds_none_of_it(tmp_path):
    build_site(COMMITTED, tmp_path / "site", tmp_path / "docs", CONFIG, download_base=PUBLISHED.rstrip("/"))
    site = tmp_path / "site"
    page = lxml_html.fromstring((site / "downloads.html").read_bytes())
    hrefs = [a.get("href") for a in page.xpath("//article//table//a")]
    assert PUBLISHED + "data/reports.csv" in hrefs and PUBLISHED + "datapackage.json" in hrefs
    assert PUBLISHED in page.text_content()
    released = {Path(p) for p in file_paths(ROOT / "releases" / "index.json")}  # linked beside the site while releases_base is unset
    assert not [p for p in site.rglob("*") if p.is_symlink() and p.relative_to(site) not in released]
    package_files = {p.name for p in COMMITTED.rglob("*") if p.is_file() and p.suffix != ".md"}
    assert not [p for p in site.rglob("*") if p.name in package_files]  # per-report rows (reports/<id>.csv) are the site's own


@pytest.mark.parametrize("base", ["ftp://example.org/ogi/", "/srv/ogi/", "../datapackage/"])
def test_a_download_base_that_is_not_a_web_address_is_refused(tmp_path, base):
    with pytest.raises(SiteError, match=re.escape(repr(base))):
        build_site(COMMITTED, tmp_path / "site", tmp_path / "docs", CONFIG, download_base=base)
