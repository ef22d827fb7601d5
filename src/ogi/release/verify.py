"""`ogi release verify`: a release rebuilt from its recorded commit, every archive compared with its recorded checksum.

Which code builds it: the recorded commit's own, run as `ogi release archives` with
PYTHONPATH=<temporary worktree>/src in this Python environment (dependencies are pinned).
The files kept in the repository under releases/<version>/ are checked too, so an
archive changed after its release is caught even before the rebuild.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from ogi.release import archives, gitrepo, index, rebuild


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_files(repo: Path, entry: dict) -> list[str]:
    """Problems with the release's files as the repository keeps them (none when each has its recorded checksum)."""
    out = []
    for f in index.recorded_files(entry):
        if "://" in f["path"]:
            continue  # hosted elsewhere (an archive host): only the rebuild can check it here
        path = repo / f["path"]
        if not path.is_file():
            out.append(f"{f['path']}: missing from the repository")
        elif _sha256(path) != f["sha256"]:
            out.append(f"{f['path']}: sha256 {_sha256(path)} in the repository, {f['sha256']} recorded — the released file was changed")
    return out


def _same_members(a: Path, b: Path) -> bool:
    """Do two zips hold the same names with the same contents (CRC and size), whatever their compression?"""
    try:
        with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
            return [(i.filename, i.CRC, i.file_size) for i in za.infolist()] == [(i.filename, i.CRC, i.file_size) for i in zb.infolist()]
    except zipfile.BadZipFile:
        return False


def rebuilt_files(repo: Path, entry: dict, say: Callable[[str], None]) -> list[str]:
    """Problems of the release rebuilt from its recorded commit (none when every file is identical)."""
    commit = entry["commit"]
    try:
        gitrepo.git(repo, "cat-file", "-e", f"{commit}^{{commit}}")
    except gitrepo.GitError:
        return [f"commit {commit} is not in this repository (a shallow clone? fetch the full history)"]
    out = []
    with gitrepo.worktree_at(repo, commit) as checkout, tempfile.TemporaryDirectory(prefix="ogi-verify-") as tmp:
        say(f"{entry['version']}: rebuilding from commit {commit[:12]} with that commit's code…")
        try:
            rebuild.run_ogi(checkout, "release", "archives", "--out", tmp)
        except rebuild.BuildError as error:
            return [f"the rebuild failed: {error}"]
        for f in index.recorded_files(entry):
            name = f["path"].rsplit("/", 1)[-1]
            got = Path(tmp) / name
            if not got.is_file():
                out.append(f"{name}: the rebuild did not make it")
                continue
            sha = _sha256(got)
            if sha != f["sha256"]:
                note = ""
                kept = repo / f["path"]
                if kept.is_file() and _sha256(kept) == sha:
                    note = " (the repository's copy is what the commit builds: the recorded checksum is wrong)"
                elif kept.is_file() and _same_members(kept, got):
                    note = f" (the same files inside, compressed differently: zlib {archives.ZLIB} here, {entry.get('zlib', '?')} at the release)"
                out.append(f"{name}: rebuilt sha256 {sha}, recorded {f['sha256']}{note}")
            else:
                say(f"    {name}: identical ({f['bytes']} bytes, sha256 {sha[:16]}…)")
    return out


def verify(repo: Path, wanted: str, say: Callable[[str], None] = print) -> list[str]:
    """Every problem found with release `wanted`; empty when it rebuilds byte for byte."""
    repo = gitrepo.root(repo)
    entry = index.find(index.load(repo), wanted)
    return tag_problems(repo, entry) + kept_files(repo, entry) + rebuilt_files(repo, entry, say)


def tag_problems(repo: Path, entry: dict) -> list[str]:
    """The tag, where the repository has it, must name the recorded commit (the recorded commit is what counts)."""
    name = f"v{entry['version']}"
    if not gitrepo.has_tag(repo, name):
        return []
    tagged = gitrepo.git(repo, "rev-parse", f"{name}^{{commit}}")
    return [] if tagged == entry["commit"] else [f"tag {name} names commit {tagged}, the index records {entry['commit']}"]


def verify_all(repo: Path, say: Callable[[str], None] = print) -> dict[str, list[str]]:
    """verify() for every release in the index: version → problems."""
    repo = gitrepo.root(repo)
    entries = index.load(repo)
    if not entries:
        say(f"no releases in {index.INDEX}: nothing to verify")
    return {e["version"]: verify(repo, e["version"], say) for e in entries}
