"""`ogi release` on a temporary git repository made from the project's own files (code, reports, package).

One session makes release 1.0.0 (A) of the bundled reports, then changes the data the way
real changes come — a report added (洪泽区 2024 copied as a report of 清江浦区), a value
corrected through reports/corrections.csv, a field added and a field renamed in the code —
rebuilds, and makes release 1.1.0 (B). The tests read B's diff, verify A and B from their
recorded commits, and check that A's archives (in releases/ and as the site page links
them) are the bytes released. The refusals run on a second copy.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from ogi.release import ReleaseError, gitrepo, index, verify, version
from ogi.release.make import release
from ogi.site.releases import published_at, releases_page

BASE_URL = "https://files.example.org/ogi/"  # where the test says the repository's files are published
NEW_REPORT = "samples/qingjiangpu_2024.txt"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_repo(where: Path) -> Path:
    """A git repository holding the project's tracked files as they are in this checkout, committed once."""
    repo = where / "repo"
    for rel in subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], capture_output=True, check=True).stdout.decode().split("\0"):
        if rel and (ROOT / rel).is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, repo / rel)
    before_any_release(repo)
    gitrepo.git(repo, "init", "--quiet")
    gitrepo.git(repo, "config", "user.name", "Release Test")
    gitrepo.git(repo, "config", "user.email", "release@example.org")
    gitrepo.commit_all(repo, "The project as it is")
    return repo


def before_any_release(repo: Path) -> None:
    """Take the copy back to before the project's first release (version 0.1.0, no releases), so that
    these tests make 1.0.0 and 1.1.0 whatever the project has released since."""
    version.set_version(repo, "0.1.0", "2026-11-22")
    build = [sys.executable, "-m", "ogi", "build", "--quiet"]
    done = subprocess.run(build, cwd=repo, capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(repo / "src")))
    assert done.returncode == 0, done.stderr
    shutil.rmtree(repo / "releases")
    (repo / "releases").mkdir()
    (repo / "releases" / "index.json").write_text("[]\n", "utf-8")


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text that must be there (the test fails, saying which, if the code moved on)."""
    text = path.read_text("utf-8")
    assert text.count(old) >= count, f"{path}: {old!r} not found — update this test's edit"
    path.write_text(text.replace(old, new), "utf-8")


def ogi(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ogi", *args], cwd=repo, capture_output=True, text=True)


def rebuild_and_commit(repo: Path, message: str) -> None:
    """What a developer does: `ogi build` with the repository's code, then commit."""
    done = subprocess.run(
        [sys.executable, "-m", "ogi", "build", "--quiet"],
        cwd=repo,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(repo / "src")),
    )
    assert done.returncode == 0, done.stderr
    gitrepo.commit_all(repo, message)


def a_cell(repo: Path, report_id: str, row_code: str, column_code: str) -> int:
    with (repo / "datapackage" / "data" / "requests.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if (row["report_id"], row["row_code"], row["column_code"]) == (report_id, row_code, column_code):
                return int(row["count"])
    raise AssertionError(f"no cell {report_id} {row_code}/{column_code}")


CORRECTED = ("js_huaian_hongze_gov-2024", "1", "natural_person")
REASON = "the figure misread from the printed table (a test correction)"


def change_the_data(repo: Path) -> int:
    """A report added, a value corrected, a field added and one renamed; the corrected cell's new value."""
    hongze = (repo / "reports" / "samples" / "hongze_qzf_2024.txt").read_text("utf-8")
    (repo / "reports" / NEW_REPORT).write_text(hongze.replace("洪泽区", "清江浦区"), "utf-8")
    old = a_cell(repo, *CORRECTED)
    with (repo / "reports" / "corrections.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(
            [CORRECTED[0], f"requests/{CORRECTED[1]}/{CORRECTED[2]}", old, old + 1, REASON, "hongze_qzf_2024.txt table 2 row 1"]
        )
    fields, tables = repo / "src/ogi/package/fields.py", repo / "src/ogi/package/tables.py"
    edit(fields, '"duplicate_file_count"', '"duplicate_input_count"', count=2)
    edit(
        tables,
        '"duplicate_file_count": p.duplicate_count,',
        '"duplicate_input_count": p.duplicate_count,\n        "title_char_count": len(md["title"] or ""),',
    )
    edit(
        fields,
        '                "duplicate_input_count",\n            ),',
        '                "duplicate_input_count",\n                "title_char_count",\n            ),',
    )
    edit(
        fields,
        '        _f(\n            "duplicate_input_count",',
        '        _f("title_char_count", "integer", "标题字数", "Characters in the title (a field added by a test)."),\n        _f(\n            "duplicate_input_count",',
    )
    rebuild_and_commit(repo, "A report of 清江浦区 2024, a correction, a field added and one renamed")
    return old + 1


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    repo = make_repo(tmp_path_factory.mktemp("release"))
    a = release(repo, "major", "2026-12-01", say=lambda _: None)
    kept_a = {f["path"]: (repo / f["path"]).read_bytes() for f in index.recorded_files(a)}
    page_a = releases_page(index.load(repo), published_at(BASE_URL))
    corrected = change_the_data(repo)
    b = release(repo, "minor", "2026-12-02", say=lambda _: None)
    return repo, a, b, kept_a, page_a, corrected


def changes_of(repo: Path, entry: dict) -> list[dict]:
    return list(csv.DictReader(io.StringIO((repo / entry["changes"]["path"]).read_text("utf-8"))))


# --- what a release makes ---


def test_a_release_sets_version_and_date_everywhere_and_commits_twice(two_releases):
    repo, a, b, *_ = two_releases
    assert (a["version"], a["date"], b["version"], b["date"]) == ("1.0.0", "2026-12-01", "1.1.0", "2026-12-02")
    descriptor = json.loads(gitrepo.git(repo, "show", f"{b['commit']}:datapackage/datapackage.json"))
    assert (descriptor["version"], descriptor["released"]) == ("1.1.0", "2026-12-02")
    assert '\nversion: "1.1.0"\ndate-released: "2026-12-02"\n' in (repo / "CITATION.cff").read_text("utf-8")
    zenodo = json.loads((repo / ".zenodo.json").read_text("utf-8"))
    assert (zenodo["version"], zenodo["publication_date"]) == ("1.1.0", "2026-12-02")
    assert gitrepo.git(repo, "rev-parse", "v1.0.0^{commit}") == a["commit"]
    assert gitrepo.git(repo, "log", "-1", "--format=%s", a["commit"]) == "Release 1.0.0"
    assert gitrepo.git(repo, "log", "-1", "--format=%s") == "Release 1.1.0: archives, checksums and index"
    assert not gitrepo.uncommitted(repo)
    assert [e["version"] for e in index.load(repo)] == ["1.0.0", "1.1.0"]


def test_index_records_every_archive_with_its_checksum(two_releases):
    repo, a, b, *_ = two_releases
    for entry in (a, b):
        assert set(entry) >= {"version", "date", "commit", "archive", "sha256", "bytes", "formats", "counts"}
        assert [f["format"] for f in entry["formats"]] == ["CSV", "Parquet", "SQLite", "Excel"]
        for f in index.recorded_files(entry):
            assert f["path"].startswith(f"releases/{entry['version']}/")
            assert (sha256(repo / f["path"]), (repo / f["path"]).stat().st_size) == (f["sha256"], f["bytes"])
    assert b["counts"]["agency_years"] == a["counts"]["agency_years"] + 1
    assert b["counts"]["agencies"] == a["counts"]["agencies"] + 1
    assert b["counts"]["cells"] > a["counts"]["cells"]


def test_the_whole_archive_is_the_package_plus_its_diff(two_releases):
    repo, _, b, *_ = two_releases
    with zipfile.ZipFile(repo / b["archive"]) as z:
        names = z.namelist()
        assert names == sorted(names) and all(n.startswith("ogi-annual-reports-1.1.0/") for n in names)
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) and i.external_attr >> 16 == 0o100644 for i in z.infolist())
        committed = {p.relative_to(repo / "datapackage").as_posix() for p in (repo / "datapackage").rglob("*") if p.is_file()}
        assert {n.removeprefix("ogi-annual-reports-1.1.0/") for n in names} == committed | {"changes.csv"}
        assert z.read("ogi-annual-reports-1.1.0/changes.csv") == (repo / b["changes"]["path"]).read_bytes()
        assert z.read("ogi-annual-reports-1.1.0/datapackage.json") == (repo / "datapackage" / "datapackage.json").read_bytes()
    with zipfile.ZipFile(repo / b["formats"][2]["path"]) as z:
        assert {n.rsplit("/", 1)[-1] for n in z.namelist()} == {
            "ogi-annual-reports.sqlite",
            "ogi-annual-reports.datasette.json",
            "README.md",
        }


# --- the data diff, on real changes ---


def test_diff_lists_the_report_added(two_releases):
    repo, _, b, *_ = two_releases
    added = [c for c in changes_of(repo, b) if c["change"] == "report_added"]
    assert len(added) == 1 and added[0]["report_id"].startswith("x_") and "清江浦区" in added[0]["new"]
    assert b["changes"]["summary"]["report_added"] == 1 and b["changes"]["summary"]["report_removed"] == 0
    assert not [c for c in changes_of(repo, b) if c["report_id"] == added[0]["report_id"] and c["change"] != "report_added"]


def test_diff_lists_the_corrected_value_with_its_reason(two_releases):
    repo, _, b, _, _, corrected = two_releases
    report_id, row, column = CORRECTED
    cells = [c for c in changes_of(repo, b) if c["change"] == "cell_changed"]
    assert cells == [
        {
            "change": "cell_changed",
            "table": "requests",
            "report_id": report_id,
            "key": f"{row}/{column}",
            "field": "count",
            "old": str(corrected - 1),
            "new": str(corrected),
            "reason": f"correction: {REASON} (source: hongze_qzf_2024.txt table 2 row 1)",
        }
    ]
    checks = {c["key"]: c for c in changes_of(repo, b) if c["change"] == "check_changed"}
    assert checks["request_row_total/1"]["old"] == "pass" and checks["request_row_total/1"]["new"] == "fail"
    assert REASON in checks["request_row_total/1"]["reason"]


def test_diff_lists_the_fields_added_and_renamed(two_releases):
    repo, _, b, *_ = two_releases
    fields = [(c["change"], c["table"], c["old"], c["new"]) for c in changes_of(repo, b) if c["change"].startswith("field_")]
    assert fields == [
        ("field_added", "reports", "", "标题字数"),
        ("field_renamed", "reports", "duplicate_file_count", "duplicate_input_count"),
    ]


def test_changelog_entry_says_the_same(two_releases):
    repo, *_ = two_releases
    changelog = (repo / "CHANGELOG.md").read_text("utf-8")
    entries = re.findall(r"^## (\S+) — (\S+)$", changelog, re.M)
    assert entries[:2] == [("1.1.0", "2026-12-02"), ("1.0.0", "2026-12-01")]
    entry = changelog.split("## 1.1.0")[1].split("## 1.0.0")[0]
    assert "Data changes since 1.0.0" in entry and "releases/1.1.0/changes.csv" in entry
    assert "- agency-years added: 1" in entry and "清江浦区" in entry
    assert f"`{CORRECTED[0]}` requests `1/natural_person` count:" in entry and REASON in entry
    assert "`reports.duplicate_file_count` → `reports.duplicate_input_count`" in entry
    assert "`reports.title_char_count` (标题字数)" in entry


# --- immutability ---


def test_verify_rebuilds_both_releases_from_their_commits(two_releases):
    repo, *_ = two_releases
    assert verify.verify(repo, "1.0.0", say=lambda _: None) == []
    done = ogi(repo, "release", "verify", "--all")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "release 1.0.0: verified" in done.stdout and "release 1.1.0: verified" in done.stdout
    assert gitrepo.git(repo, "worktree", "list").count("\n") == 0, "the temporary worktrees are gone"


def test_release_a_is_unchanged_after_release_b(two_releases):
    repo, a, _, kept_a, page_a, _ = two_releases
    assert {path: (repo / path).read_bytes() for path in kept_a} == kept_a
    assert index.load(repo)[0] == a
    page = releases_page(index.load(repo), published_at(BASE_URL))
    links = dict(re.findall(r"\[(ogi-annual-reports-1\.0\.0[^\]]*\.zip)\]\(([^)]+)\)", page))
    assert links and links == dict(re.findall(r"\[(ogi-annual-reports-1\.0\.0[^\]]*\.zip)\]\(([^)]+)\)", page_a))
    for name, url in links.items():
        path = url.removeprefix(BASE_URL)
        assert (repo / path).read_bytes() == kept_a[path], f"{name} as the site links it"
        assert sha256(repo / path) in page


def test_verify_fails_on_a_changed_archive(two_releases, tmp_path):
    repo, a, *_ = two_releases
    path = repo / a["formats"][0]["path"]
    saved = path.read_bytes()
    try:
        path.write_bytes(saved + b"\0")
        problems = verify.kept_files(repo, a)
        assert problems == [
            f"{a['formats'][0]['path']}: sha256 {sha256(path)} in the repository, {a['formats'][0]['sha256']} recorded — the released file was changed"
        ]
        done = ogi(repo, "release", "verify", "1.0.0")
        assert done.returncode == 1 and "release 1.0.0: FAILED" in done.stdout
    finally:
        path.write_bytes(saved)


def test_verify_fails_when_the_recorded_checksum_is_not_what_the_commit_builds(two_releases):
    repo, a, *_ = two_releases
    wrong = dict(a, sha256="0" * 64)
    problems = verify.rebuilt_files(repo, wrong, say=lambda _: None)
    assert problems == [
        f"ogi-annual-reports-1.0.0.zip: rebuilt sha256 {a['sha256']}, recorded {'0' * 64}"
        " (the repository's copy is what the commit builds: the recorded checksum is wrong)"
    ]


# --- refusals ---


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path)


def assert_refused(repo: Path, match: str, wanted: str = "minor") -> None:
    head = gitrepo.head(repo)
    with pytest.raises(ReleaseError, match=match):
        release(repo, wanted, "2026-12-03", say=lambda _: None)
    assert gitrepo.head(repo) == head and not gitrepo.git(repo, "tag") and not (repo / "releases" / "0.2.0").exists()


def test_refuses_uncommitted_changes(repo):
    (repo / "reports" / "notes.txt").write_text("a file not committed", "utf-8")
    done = ogi(repo, "release", "minor")
    assert done.returncode == 1
    assert "release 0.2.0 refused" in done.stderr and "uncommitted changes" in done.stderr and "reports/notes.txt" in done.stderr
    assert_refused(repo, "uncommitted changes")


def test_refuses_a_package_that_does_not_reproduce(repo):
    edit(repo / "datapackage" / "data" / "reports.csv", "平潭综合实验区", "平潭综合试验区")
    gitrepo.commit_all(repo, "An edit by hand of the generated package")
    assert_refused(repo, r"not what the committed code builds[\s\S]*data/reports.csv: different bytes")


def test_refuses_a_package_that_fails_validation(repo):
    edit(repo / "src/ogi/package/fields.py", "minimum=1990,\n            maximum=2100,", "minimum=1990,\n            maximum=2000,")
    rebuild_and_commit(repo, "A constraint the data break")
    assert_refused(repo, r"frictionless validate fails[\s\S]*report_year")


def test_refuses_a_version_not_above_the_current_one(repo):
    assert_refused(repo, "not above the package's current version 0.1.0", wanted="0.1.0")
    assert_refused(repo, "not a version", wanted="1.0")


def test_verify_names_a_tag_that_moved(two_releases):
    repo, a, b, *_ = two_releases
    assert verify.tag_problems(repo, a) == []
    assert verify.tag_problems(repo, dict(a, commit=b["commit"])) == [
        f"tag v1.0.0 names commit {a['commit']}, the index records {b['commit']}"
    ]
