"""MkDocs in two processes (`mkdocs_build.run_mkdocs_split`) builds the same site, byte for byte, as in one."""

from __future__ import annotations

import gzip
import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

import ogi.site.build as site_build
from ogi.site.build import build_site
from ogi.site.mkdocs_build import halves, merge_sitemaps, run_mkdocs_split

COMMITTED = ROOT / "datapackage"
CONFIG = ROOT / "mkdocs.yml"


def tree(site: Path) -> dict[str, bytes | str]:
    """Every file under site: its bytes, or a symbolic link's target."""
    files: dict[str, bytes | str] = {}
    for folder, dirs, names in os.walk(site):
        for name in names + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            path = Path(folder) / name
            files[str(path.relative_to(site))] = os.readlink(path) if path.is_symlink() else path.read_bytes()
    return files


def build(out: Path, split: bool, monkeypatch, config: Path = CONFIG) -> tuple[dict[str, bytes | str], list]:
    calls = []

    def spy(*args):
        calls.append(args)
        run_mkdocs_split(*args)

    monkeypatch.setattr(site_build, "can_split", lambda config_file, report_pages: split)
    monkeypatch.setattr(site_build, "run_mkdocs_split", spy)
    build_site(COMMITTED, out / "site", out / "docs", config, ROOT / "site")
    return tree(out / "site"), calls


def with_site_url(folder: Path) -> Path:
    """mkdocs.yml with a site_url (the publisher's setting), written in folder: every page is then in sitemap.xml."""
    folder.mkdir(parents=True)
    yml = CONFIG.read_text("utf-8").replace("custom_dir: src/", f"custom_dir: {ROOT}/src/")  # the theme's files, from here
    config = folder / "mkdocs.yml"
    config.write_text(yml.replace("site_name:", "site_url: https://data.example.org/ogi/\nsite_name:", 1), "utf-8")
    shutil.copytree(ROOT / "releases", folder / "releases")  # the releases page, as beside mkdocs.yml
    shutil.copy(ROOT / "CHANGELOG.md", folder)
    return config


def test_two_processes_build_the_one_process_site_byte_for_byte(tmp_path, monkeypatch):
    one, one_calls = build(tmp_path / "one", False, monkeypatch)
    two, two_calls = build(tmp_path / "two", True, monkeypatch)
    assert not one_calls and len(two_calls) == 1
    groups = two_calls[0][3]
    first, second = halves(groups)
    assert first and second  # both processes built report pages
    assert any(page.startswith("browse/") for page in first + second)  # and list pages, each by one process
    assert sorted(two) == sorted(one)
    assert [name for name in one if one[name] != two[name]] == []
    assert not (tmp_path / "two" / ".site.half").exists()


def test_halves_keep_an_agency_with_its_reports_and_are_about_even():
    groups = [[f"reports/a{i}-{y}.md" for y in range(2015, 2015 + i % 6 + 1)] + [f"agencies/a{i}.md"] for i in range(100)]
    first, second = halves(groups)
    for group in groups:
        assert set(group) <= set(first) or set(group) <= set(second)
    assert sorted(first + second) == sorted(page for group in groups for page in group)
    assert abs(len(first) - len(second)) <= 7


def test_with_a_site_url_the_halves_sitemaps_merge_into_the_one_process_sitemap(tmp_path, monkeypatch):
    config = with_site_url(tmp_path / "config")
    one, _ = build(tmp_path / "one", False, monkeypatch, config)
    from ogi.site.mkdocs_build import can_split

    assert can_split(config, 1000) is ((os.cpu_count() or 1) >= 2)  # a site_url no longer keeps the build in one process
    two, calls = build(tmp_path / "two", True, monkeypatch, config)
    assert len(calls) == 1
    locs = re.findall(r"<loc>([^<]*)</loc>", one["sitemap.xml"].decode("utf-8"))
    pages = [name for name in one if name.endswith(".html") and name not in ("404.html", "search.html")]
    assert sorted(locs) == sorted(f"https://data.example.org/ogi/{name}" for name in pages)  # every page, once
    assert two["sitemap.xml"] == one["sitemap.xml"]
    assert gzip.decompress(two["sitemap.xml.gz"]) == one["sitemap.xml"]
    assert [name for name in one if one[name] != two[name]] == []
    assert sorted(two) == sorted(one)


def test_merged_sitemap_lists_each_page_once_in_mkdocs_order():
    url = "https://x.org/s/"

    def sitemap(*paths):
        blocks = "".join(f"\n    <url>\n         <loc>{url}{p}</loc>\n    </url>" for p in paths)
        return f'<?xml version="1.0"?>\n<urlset>{blocks}\n</urlset>'

    first = sitemap("index.html", "about.html", "reports/index.html", "reports/a-2020.html", "reports/c.html", "z/index.html")
    second = sitemap("index.html", "about.html", "reports/index.html", "reports/b-2021.html", "z/index.html")
    whole = sitemap(
        "index.html", "about.html", "reports/index.html", "reports/a-2020.html", "reports/b-2021.html", "reports/c.html", "z/index.html"
    )
    assert merge_sitemaps(first, second, url) == whole
    empty = '<?xml version="1.0"?>\n<urlset>\n</urlset>'
    assert merge_sitemaps(empty, empty, url) == empty


@pytest.mark.parametrize("pages, split", [(10, False), (1000, True)])
def test_only_big_sites_are_split(pages, split):
    from ogi.site.mkdocs_build import can_split

    assert can_split(CONFIG, pages) is (split and (os.cpu_count() or 1) >= 2)
