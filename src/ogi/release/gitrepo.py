"""The few git operations a release needs, through the git command line."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ogi.release import ReleaseError


class GitError(ReleaseError):
    pass


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode:
        raise GitError(f"git {' '.join(args)} (in {repo}): {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip()


def root(path: Path) -> Path:
    return Path(git(path, "rev-parse", "--show-toplevel"))


def uncommitted(repo: Path) -> list[str]:
    """Changed, staged and untracked files (ignored ones aside), as `git status` names them."""
    return [line for line in git(repo, "status", "--porcelain", "--untracked-files=all").splitlines() if line.strip()]


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD")


def has_tag(repo: Path, name: str) -> bool:
    return bool(git(repo, "tag", "--list", name))


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", message)
    return head(repo)


def tag(repo: Path, name: str, message: str) -> None:
    git(repo, "tag", "-a", name, "-m", message)


@contextmanager
def worktree_at(repo: Path, commit: str) -> Iterator[Path]:
    """A temporary checkout of commit, removed afterwards (the repository's own checkout is untouched)."""
    parent = Path(tempfile.mkdtemp(prefix="ogi-release-"))
    path = parent / "checkout"
    git(repo, "worktree", "add", "--quiet", "--detach", str(path), commit)
    try:
        yield path
    finally:
        try:
            git(repo, "worktree", "remove", "--force", str(path))
        finally:
            shutil.rmtree(parent, ignore_errors=True)
            git(repo, "worktree", "prune")
