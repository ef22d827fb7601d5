"""`ogi release`: refuse from an unclean state, then version, rebuild, CHANGELOG, two commits, archives, index.

The commit dance, so that the recorded commit alone rebuilds every archive:
1. "Release X": the version and date (package.yaml → datapackage.json, CITATION.cff,
   .zenodo.json), the rebuilt datapackage/ and the CHANGELOG entry; tagged vX. This
   is the commit recorded in releases/index.json.
2. "Release X: archives, checksums and index": releases/X/ (the zips and changes.csv)
   and the index entry, made by `ogi release archives` run with commit 1's own code in
   commit 1's checkout — exactly what `ogi release verify X` runs again later.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from ogi.package import descriptor
from ogi.package.build import build_package
from ogi.release import ReleaseError, archives, changelog, diff, gitrepo, index, rebuild, version

MANIFEST = "release.json"  # what `ogi release archives` writes beside the archives


def assemble(checkout: Path, out_dir: Path) -> dict:
    """Build the checkout's package, diff it against the previous release, write the archives and changes.csv into out_dir.

    Runs with the checkout's own code (`ogi release archives`), so the version and date
    are that code's package.yaml's. Returns (and writes to out_dir/release.json) the
    index entry, less the commit, with paths relative to out_dir.
    """
    meta = descriptor.package_meta()
    ver, date = meta["version"], str(meta.get("released") or "")
    if not date:
        raise ReleaseError("package.yaml has no `released:` date: make releases with `ogi release`")
    entries = index.load(checkout)
    prev = index.previous(entries, ver)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ogi-release-build-") as tmp:
        package = Path(tmp) / "datapackage"
        build_package(checkout / "reports", package, progress=False)
        new = diff.from_folder(package)
        old = diff.from_zip(checkout / prev["archive"]) if prev else diff.empty()
        changes = diff.diff(old, new)
        changes_csv = diff.to_csv(changes)
        (out_dir / archives.CHANGES).write_bytes(changes_csv)
        entry = {"version": ver, "date": date}
        entry.update(archives.write_archives(package, new.descriptor, ver, changes_csv, out_dir))
        entry["changes"] = {
            "path": archives.CHANGES,
            **archives.checksum(out_dir / archives.CHANGES),
            "since": prev["version"] if prev else None,
            "summary": diff.summary(changes),
        }
        entry["counts"] = index.counts(new)
    entry["zlib"] = archives.ZLIB
    (out_dir / MANIFEST).write_text(json.dumps(entry, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return entry


def in_repo(entry: dict, folder: str) -> dict:
    """An entry from `assemble` with its paths made repository paths under folder."""
    out = dict(entry, archive=f"{folder}/{entry['archive']}")
    out["formats"] = [dict(f, path=f"{folder}/{f['path']}") for f in entry["formats"]]
    out["changes"] = dict(entry["changes"], path=f"{folder}/{entry['changes']['path']}")
    return out


def check_date(date: str) -> str:
    try:
        return dt.date.fromisoformat(date).isoformat()
    except ValueError as error:
        raise ReleaseError(f"--date {date!r}: not a date of the form YYYY-MM-DD") from error


def refusals(repo: Path, new: str, entries: list[dict]) -> list[str]:
    """Why a release of version new cannot be made from this repository now (none when it can)."""
    out = []
    dirty = gitrepo.uncommitted(repo)
    if dirty:
        out.append("the working tree has uncommitted changes (commit or stash them first):\n    " + "\n    ".join(dirty[:20]))
    released = [e["version"] for e in entries]
    if released and version.parse(new) <= max(version.parse(v) for v in released):
        out.append(f"version {new} is not above the latest release ({max(released, key=version.parse)})")
    if gitrepo.has_tag(repo, f"v{new}"):
        out.append(f"tag v{new} exists already")
    if (repo / index.RELEASES_DIR / new).exists():
        out.append(f"{index.RELEASES_DIR / new} exists already")
    for path in (version.CITATION, version.ZENODO):
        if not (repo / path).is_file():
            out.append(f"{path} is missing: the release sets its version")
    return out


def check_package(repo: Path, say: Callable[[str], None]) -> list[str]:
    """Does a build of the committed inputs and code reproduce datapackage/ byte for byte, and does it validate?"""
    with tempfile.TemporaryDirectory(prefix="ogi-release-check-") as tmp:
        built = Path(tmp) / "datapackage"
        say("building the package from the committed reports and code into a temporary folder…")
        rebuild.build(repo, built)
        different = rebuild.differences(repo / rebuild.PACKAGE_DIR, built)
        if different:
            return [
                "the committed datapackage/ is not what the committed code builds (run `make` and commit):\n    "
                + "\n    ".join(different[:20])
            ]
        say("frictionless validate…")
        errors = rebuild.validation_errors(built)
        if errors:
            return ["frictionless validate fails on the built package:\n    " + "\n    ".join(errors)]
    return []


def release(repo: Path, wanted: str, date: str | None = None, say: Callable[[str], None] = print) -> dict:
    """Make release `wanted` (major, minor, patch or X.Y.Z) of the repository's package; its index entry."""
    repo = gitrepo.root(repo)
    date = check_date(date or dt.date.today().isoformat())
    current = version.current_version(repo)
    new = version.next_version(current, wanted)
    entries = index.load(repo)
    problems = refusals(repo, new, entries)
    if not problems:
        problems = check_package(repo, say)
    if problems:
        raise ReleaseError(f"release {new} refused:\n- " + "\n- ".join(problems))
    start = gitrepo.head(repo)
    folder = index.RELEASES_DIR / new
    try:
        entry = _make(repo, new, date, entries, folder, say)
    except BaseException:
        _undo(repo, start, new, folder)
        raise
    say(f"released {new}: commit {entry['commit'][:12]} (tag v{new}); archives in {folder}/; recorded in {index.INDEX}")
    return entry


def _make(repo: Path, new: str, date: str, entries: list[dict], folder: Path, say: Callable[[str], None]) -> dict:
    say(f"setting version {new} and date {date}; rebuilding datapackage/…")
    version.set_version(repo, new, date)
    rebuild.build(repo, repo / rebuild.PACKAGE_DIR)
    errors = rebuild.validation_errors(repo / rebuild.PACKAGE_DIR)
    if errors:
        raise ReleaseError("frictionless validate fails on the rebuilt package:\n    " + "\n    ".join(errors))
    prev = index.previous(entries, new)
    package = diff.from_folder(repo / rebuild.PACKAGE_DIR)
    changes = diff.diff(diff.from_zip(repo / prev["archive"]) if prev else diff.empty(), package)
    text = changelog.entry(new, date, index.counts(package), changes, prev["version"] if prev else None, f"{folder}/{archives.CHANGES}")
    changelog.insert(repo, text)
    commit = gitrepo.commit_all(repo, f"Release {new}")
    gitrepo.tag(repo, f"v{new}", f"Release {new} of the data package")
    say(f"committed Release {new} ({commit[:12]}); building the archives with that commit's code…")
    with tempfile.TemporaryDirectory(prefix="ogi-release-archives-") as tmp:
        rebuild.run_ogi(repo, "release", "archives", "--out", tmp)
        made = json.loads((Path(tmp) / MANIFEST).read_text("utf-8"))
        (repo / folder).mkdir(parents=True)
        for path in sorted(Path(tmp).iterdir()):
            if path.name != MANIFEST:
                shutil.copyfile(path, repo / folder / path.name)
    entry = {"version": new, "date": date, "commit": commit, **in_repo(made, folder.as_posix())}
    index.save(repo, [*entries, entry])
    gitrepo.commit_all(repo, f"Release {new}: archives, checksums and index")
    return entry


def _undo(repo: Path, start: str, new: str, folder: Path) -> None:
    """Back to the commit the release started from (the tree was clean then, so nothing of anyone's is lost)."""
    gitrepo.git(repo, "reset", "--quiet", "--hard", start)
    if gitrepo.has_tag(repo, f"v{new}"):
        gitrepo.git(repo, "tag", "-d", f"v{new}")
    shutil.rmtree(repo / folder, ignore_errors=True)
