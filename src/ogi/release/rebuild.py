"""Builds made by a given checkout's own code, and the checks a release needs on them.

A checkout's code is run as `python -m ogi` with PYTHONPATH=<checkout>/src, in this
Python environment: the dependencies are pinned, so the code and the inputs of the
checkout decide the bytes, not whichever `ogi` happens to be installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from ogi.release import ReleaseError

PACKAGE_DIR = "datapackage"
DESCRIPTOR = "datapackage.json"


class BuildError(ReleaseError):
    pass


def run_ogi(checkout: Path, *args: str) -> subprocess.CompletedProcess:
    """`ogi ARGS` with the checkout's own code, in the checkout; raises with its output when it fails."""
    env = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    done = subprocess.run([sys.executable, "-m", "ogi", *args], cwd=checkout, env=env, capture_output=True, text=True)
    if done.returncode:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BuildError(f"`ogi {' '.join(args)}` failed in {checkout} (exit {done.returncode}):\n{tail}")
    return done


def build(checkout: Path, out_dir: Path) -> Path:
    """The checkout's reports built by the checkout's code into out_dir."""
    run_ogi(checkout, "build", "--reports", str(checkout / "reports"), "--out", str(out_dir), "--quiet")
    return out_dir


def files_of(folder: Path) -> dict[str, str]:
    """Every file under folder (relative POSIX path) → its SHA-256."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def differences(expected: Path, got: Path) -> list[str]:
    """What differs between two folders, file by file ('' when identical)."""
    a, b = files_of(expected), files_of(got)
    out = [f"{name}: only in {expected}" for name in sorted(a.keys() - b.keys())]
    out += [f"{name}: only in {got}" for name in sorted(b.keys() - a.keys())]
    out += [f"{name}: different bytes" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return out


def validation_errors(package_dir: Path, limit: int = 20) -> list[str]:
    """`frictionless validate` on the package's descriptor, as the library runs it: its errors, or none."""
    from frictionless import validate

    report = validate(str(package_dir / DESCRIPTOR))
    if report.valid:
        return []
    rows = report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    errors = [" · ".join(str(v) for v in row if v is not None) for row in rows[:limit]]
    errors += [f"{e.type}: {e.note}" for e in report.errors]  # errors of the package itself, not of a table
    return errors or ["invalid (frictionless gave no details)"]
