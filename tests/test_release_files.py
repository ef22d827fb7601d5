"""The files that carry a release: CITATION.cff (validated by cffconvert), .zenodo.json, the version in step
everywhere, version numbers, deterministic archives, the releases index and the site's releases page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from ogi.release import archives, diff, index, version
from ogi.site.mkdocs_build import SiteError
from ogi.site.releases import published_at, releases_page, write_releases_page

CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"
PACKAGE = ROOT / "datapackage"


def package_yaml() -> dict:
    return yaml.safe_load((ROOT / version.PACKAGE_YAML).read_text("utf-8"))


def cffconvert_validate(path: Path) -> subprocess.CompletedProcess:
    assert CFFCONVERT.is_file(), f"{CFFCONVERT} is missing: `make test` installs cffconvert in its own venv (`make .venv-cff/.installed`)"
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)


# --- CITATION.cff and .zenodo.json ---


def test_citation_cff_is_valid():
    done = cffconvert_validate(ROOT / "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "valid" in done.stdout


@pytest.mark.parametrize(
    "old, new",
    [('date-released: "', 'date-released: "the day '), ("cff-version: 1.2.0", "cff-version: 0.9"), ("type: dataset", "type: spreadsheet")],
)
def test_cffconvert_fails_on_an_invalid_citation(tmp_path, old, new):
    text = (ROOT / "CITATION.cff").read_text("utf-8")
    assert old in text
    (tmp_path / "CITATION.cff").write_text(text.replace(old, new), "utf-8")
    assert cffconvert_validate(tmp_path / "CITATION.cff").returncode != 0


def test_zenodo_json_has_the_shape_zenodo_reads():
    zenodo = json.loads((ROOT / ".zenodo.json").read_text("utf-8"))
    meta = package_yaml()
    assert zenodo["upload_type"] == "dataset" and zenodo["access_right"] == "open"
    assert zenodo["license"] == "cc-by-4.0" == meta["licenses"][0]["name"].lower()
    assert zenodo["title"] == meta["title"]
    assert zenodo["creators"] and all(isinstance(c["name"], str) and c["name"] for c in zenodo["creators"])
    assert zenodo["keywords"] and set(zenodo["keywords"]) <= set(meta["keywords"])
    assert zenodo["description"].strip()
    assert set(zenodo) <= {
        "upload_type",
        "title",
        "creators",
        "description",
        "access_right",
        "license",
        "keywords",
        "language",
        "version",
        "publication_date",
    }


def test_version_and_date_are_in_step_everywhere():
    meta = package_yaml()
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    zenodo = json.loads((ROOT / ".zenodo.json").read_text("utf-8"))
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    versions = {meta["version"], citation["version"], zenodo["version"], descriptor["version"]}
    dates = {str(meta["released"]), str(citation["date-released"]), zenodo["publication_date"], descriptor["released"]}
    assert len(versions) == 1 and len(dates) == 1, (versions, dates)
    assert citation["title"] == meta["title"]
    released = index.load(ROOT)
    if released:
        assert released[-1]["version"] == meta["version"] and released[-1]["date"] == str(meta["released"])


# --- version numbers and the files that carry them ---


@pytest.mark.parametrize(
    "current, wanted, new",
    [
        ("0.1.0", "major", "1.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "1.10.0", "1.10.0"),
        ("1.9.9", "2.0.0", "2.0.0"),
    ],
)
def test_next_version(current, wanted, new):
    assert version.next_version(current, wanted) == new


@pytest.mark.parametrize("wanted", ["1.2.3", "1.2.2", "0.9.0", "1.2", "v1.3.0", "01.3.0", "next"])
def test_next_version_refuses(wanted):
    with pytest.raises(version.VersionError):
        version.next_version("1.2.3", wanted)


def test_set_version_writes_the_three_files_and_keeps_their_comments(tmp_path):
    for rel in (version.PACKAGE_YAML, version.CITATION, version.ZENODO):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / rel, tmp_path / rel)
    version.set_version(tmp_path, "2.3.4", "2027-01-31")
    meta = yaml.safe_load((tmp_path / version.PACKAGE_YAML).read_text("utf-8"))
    assert (meta["version"], meta["released"]) == ("2.3.4", "2027-01-31")
    assert "set by `ogi release" in (tmp_path / version.PACKAGE_YAML).read_text("utf-8")
    citation = yaml.safe_load((tmp_path / version.CITATION).read_text("utf-8"))
    assert (citation["version"], citation["date-released"]) == ("2.3.4", "2027-01-31")
    assert cffconvert_validate(tmp_path / version.CITATION).returncode == 0
    zenodo = json.loads((tmp_path / version.ZENODO).read_text("utf-8"))
    assert (zenodo["version"], zenodo["publication_date"]) == ("2.3.4", "2027-01-31")
    assert version.current_version(tmp_path) == "2.3.4"


# --- archives ---


def test_archives_are_the_same_bytes_whatever_the_files_dates_and_modes(tmp_path):
    first, second, copy = tmp_path / "first", tmp_path / "second", tmp_path / "package"
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    made = archives.write_archives(PACKAGE, descriptor, "9.9.9", b"change\n", first)
    shutil.copytree(PACKAGE, copy)
    for i, path in enumerate(sorted(copy.rglob("*"))):
        if path.is_file():
            os.utime(path, (1_000_000_000 + i, 1_000_000_000 + i))
            path.chmod(0o600)
    again = archives.write_archives(copy, descriptor, "9.9.9", b"change\n", second)
    assert made == again
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
    with zipfile.ZipFile(first / made["archive"]) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {(i.date_time, i.external_attr >> 16, i.compress_type) for i in infos} == {
            ((1980, 1, 1, 0, 0, 0), 0o100644, zipfile.ZIP_DEFLATED)
        }
        for info in infos:
            rel = info.filename.split("/", 1)[1]
            assert z.read(info) == (b"change\n" if rel == archives.CHANGES else (PACKAGE / rel).read_bytes())


def test_one_archive_per_format_holds_that_format_and_the_dictionary(tmp_path):
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text("utf-8"))
    made = archives.write_archives(PACKAGE, descriptor, "9.9.9", b"", tmp_path)
    contents = {}
    for f in made["formats"]:
        with zipfile.ZipFile(tmp_path / f["path"]) as z:
            contents[f["format"]] = {n.split("/", 1)[1] for n in z.namelist()}
        assert archives.checksum(tmp_path / f["path"]) == {"sha256": f["sha256"], "bytes": f["bytes"]}
    tables = {r["path"] for r in descriptor["resources"] if r.get("format") == "csv"}
    assert contents["CSV"] == tables | {"README.md"}
    assert contents["Parquet"] == {p.replace("data/", "parquet/").replace(".csv", ".parquet") for p in tables} | {"README.md"}
    assert all(p.endswith((".sqlite", ".json", ".md")) for p in contents["SQLite"]) and any(
        p.endswith(".sqlite") for p in contents["SQLite"]
    )
    assert {p.rsplit(".", 1)[-1] for p in contents["Excel"]} == {"xlsx", "md"}


def test_counts_of_the_committed_package():
    counts = index.counts(diff.from_folder(PACKAGE))
    reports = (PACKAGE / "data" / "reports.csv").read_text("utf-8").strip().split("\n")[1:]
    assert counts["agency_years"] == len(reports) and 0 < counts["agencies"] <= counts["agency_years"]
    cells = sum(
        len((PACKAGE / "data" / f"{t}.csv").read_text("utf-8").strip().split("\n")) - 1 for t in ("proactive", "requests", "appeals")
    )
    assert counts["cells"] == cells


def test_the_diff_of_a_package_with_itself_is_empty():
    snap = diff.from_folder(PACKAGE)
    assert diff.diff(snap, snap) == []
    assert diff.to_csv([]) == (",".join(diff.COLUMNS) + "\n").encode()


# --- the releases index and page ---


def test_verify_of_an_unknown_version_says_so():
    done = subprocess.run([sys.executable, "-m", "ogi", "release", "verify", "9.9.9"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1 and "Error: no release 9.9.9 in releases/index.json" in done.stderr, done.stderr


def test_the_committed_index_is_a_list_of_releases_with_their_files():
    entries = index.load(ROOT)
    assert isinstance(entries, list)
    for entry in entries:
        assert {"version", "date", "commit", "archive", "sha256", "bytes", "formats", "counts"} <= set(entry)
        for f in index.recorded_files(entry):
            assert archives.checksum(ROOT / f["path"]) == {"sha256": f["sha256"], "bytes": f["bytes"]}, f["path"]


ENTRY = {
    "version": "1.0.0",
    "date": "2026-12-06",
    "commit": "a" * 40,
    "archive": "releases/1.0.0/ogi-annual-reports-1.0.0.zip",
    "sha256": "b" * 64,
    "bytes": 1234,
    "formats": [{"format": "CSV", "path": "releases/1.0.0/ogi-annual-reports-1.0.0-csv.zip", "sha256": "c" * 64, "bytes": 56}],
    "changes": {
        "path": "releases/1.0.0/changes.csv",
        "sha256": "d" * 64,
        "bytes": 7,
        "since": "0.9.0",
        "summary": {"report_added": 2, "cell_changed": 0},
    },
    "counts": {"agencies": 8, "agency_years": 10, "cells": 1964},
}


def test_releases_page_lists_every_archive_with_its_link_size_and_checksum():
    page = releases_page([dict(ENTRY, version="0.9.0"), ENTRY], published_at("https://files.example.org/ogi"))
    assert page.index("## 1.0.0") < page.index("## 0.9.0"), "newest first"
    assert "[ogi-annual-reports-1.0.0.zip](https://files.example.org/ogi/releases/1.0.0/ogi-annual-reports-1.0.0.zip)" in page
    assert "| 1234 | <code>" + "b" * 64 + "</code> |" in page and "| 56 | <code>" + "c" * 64 + "</code> |" in page
    assert "[changes.csv](https://files.example.org/ogi/releases/1.0.0/changes.csv)" in page
    assert "新增报告（机关年度）：2" in page and "数值或标记改变的单元格" not in page
    assert "10 份报告（机关年度），8 个机关，1964 个单元格" in page


def test_releases_page_without_a_download_address_shows_paths_not_links():
    page = releases_page([ENTRY], published_at(None))
    assert "<code>releases/1.0.0/ogi-annual-reports-1.0.0.zip</code>" in page and "](" not in page


def test_releases_page_is_written_only_when_the_index_exists(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    assert not write_releases_page(tmp_path / "releases" / "index.json", docs)
    assert not (docs / "releases.md").exists()
    (tmp_path / "index.json").write_text("[]\n", "utf-8")
    assert write_releases_page(tmp_path / "index.json", docs)
    assert "尚无发布的版本" in (docs / "releases.md").read_text("utf-8")
    (tmp_path / "index.json").write_text("{not json", "utf-8")
    with pytest.raises(SiteError, match="index.json: cannot be read"):
        write_releases_page(tmp_path / "index.json", docs)


def test_the_site_builds_strict_with_a_release_and_shows_it(tmp_path):
    """The page as MkDocs builds it (strict) from a configuration whose releases/index.json lists one release."""
    from bs4 import BeautifulSoup

    from ogi.site.build import build_site

    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("custom_dir: src/", f"custom_dir: {ROOT}/src/"), "utf-8")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    (tmp_path / "releases").mkdir()
    (tmp_path / "releases" / "index.json").write_text(json.dumps([ENTRY]), "utf-8")
    build_site(PACKAGE, tmp_path / "out", tmp_path / "docs", tmp_path / "mkdocs.yml")
    html = BeautifulSoup((tmp_path / "out" / "releases.html").read_text("utf-8"), "lxml")
    article = html.select_one("article")
    assert "1.0.0（2026-12-06）" in article.get_text()
    assert [td.get_text() for td in article.select("tbody tr")[0].find_all("td")][1:] == [
        "完整数据包（含变更清单 changes.csv）",
        "1234",
        "b" * 64,
    ]
    assert any(a.get_text(strip=True) == "版本" and a["href"] == "releases.html" for a in html.select("nav a")), (
        "the page is in the navigation"
    )


def test_a_release_takes_the_unreleased_notes_as_its_own(tmp_path):
    from ogi.release import changelog

    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\nintro\n\n## Unreleased\n\n### Data\n\n- a fix\n\n## 0.1.0\n\nold\n", "utf-8")
    changelog.insert(tmp_path, "## 1.0.0 — 2026-12-06\n\nData release.\n")
    text = (tmp_path / "CHANGELOG.md").read_text("utf-8")
    assert "Unreleased" not in text
    assert text.index("## 1.0.0") < text.index("- a fix") < text.index("## 0.1.0")
    changelog.insert(tmp_path, "## 1.1.0 — 2026-12-07\n\nData release.\n")
    text = (tmp_path / "CHANGELOG.md").read_text("utf-8")
    assert text.index("## 1.1.0") < text.index("## 1.0.0") < text.index("- a fix")
