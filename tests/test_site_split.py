"""MkDocs in two processes (`mkdocs_build.run_mkdocs_split`) builds the same site, byte for byte, as in one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ROOT

import ogi.site.build as site_build
from ogi.site.build import build_site
from ogi.site.mkdocs_build import halves, run_mkdocs_split

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


def build(out: Path, split: bool, monkeypatch) -> tuple[dict[str, bytes | str], list]:
    calls = []

    def spy(*args):
        calls.append(args)
        run_mkdocs_split(*args)

    monkeypatch.setattr(site_build, "can_split", lambda config_file, report_pages: split)
    monkeypatch.setattr(site_build, "run_mkdocs_split", spy)
    build_site(COMMITTED, out / "site", out / "docs", CONFIG)
    return tree(out / "site"), calls


def test_two_processes_build_the_one_process_site_byte_for_byte(tmp_path, monkeypatch):
    one, one_calls = build(tmp_path / "one", False, monkeypatch)
    two, two_calls = build(tmp_path / "two", True, monkeypatch)
    assert not one_calls and len(two_calls) == 1
    groups = two_calls[0][3]
    first, second = halves(groups)
    assert first and second  # both processes built report pages
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


@pytest.mark.parametrize("pages, split", [(10, False), (1000, True)])
def test_only_big_sites_are_split(pages, split):
    from ogi.site.mkdocs_build import can_split

    assert can_split(CONFIG, pages) is (split and (os.cpu_count() or 1) >= 2)
