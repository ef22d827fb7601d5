"""Deterministic zip archives of a built package: the same files give the same bytes, on any day.

Every member has a fixed timestamp (1980-01-01, the earliest a zip can hold), fixed
permissions (0644), the same compression (deflate, level 9) and sorted names; nothing
of the machine, the user or the clock gets in. The bytes still depend on zlib's
deflate; its version is recorded with each release (see `ZLIB`), and `verify` says
so when only the compression differs.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o100644  # a regular file, rw-r--r--
ZLIB = zlib.ZLIB_RUNTIME_VERSION
FILE_NAME = "ogi-annual-reports"
DESCRIPTOR = "datapackage.json"
README = "README.md"
CHANGES = "changes.csv"
# The per-format archives: the descriptor resources each holds (by `format`, or name prefix for companions).
FORMATS = {
    "csv": {"title": "CSV", "formats": ("csv",), "prefixes": ()},
    "parquet": {"title": "Parquet", "formats": ("parquet",), "prefixes": ()},
    "sqlite": {"title": "SQLite", "formats": ("sqlite",), "prefixes": ("sqlite-",)},
    "xlsx": {"title": "Excel", "formats": ("xlsx",), "prefixes": ()},
}


def write_zip(members: dict[str, bytes], path: Path) -> dict:
    """members (name in the zip → bytes) into a deterministic zip at path; its path, sha256 and bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read as one
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, members[name], compresslevel=9)
    return checksum(path)


def checksum(path: Path) -> dict:
    data = path.read_bytes()
    return {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def package_files(package_dir: Path) -> list[str]:
    """Every file of the built package, as package paths."""
    return sorted(p.relative_to(package_dir).as_posix() for p in package_dir.rglob("*") if p.is_file())


def format_files(descriptor: dict, fmt: str) -> list[str]:
    """The package paths one per-format archive holds: that format's resources and the data dictionary."""
    spec = FORMATS[fmt]
    paths = [
        r["path"]
        for r in descriptor["resources"]
        if r.get("format") in spec["formats"] or any(r["name"].startswith(p) for p in spec["prefixes"])
    ]
    return sorted(set(paths)) + [README]


def archive_name(version: str, fmt: str | None = None) -> str:
    return f"{FILE_NAME}-{version}{'-' + fmt if fmt else ''}.zip"


def write_archives(package_dir: Path, descriptor: dict, version: str, changes_csv: bytes, out_dir: Path) -> dict:
    """The whole package (with the diff as changes.csv) and one archive per format, into out_dir.

    Inside each zip everything sits under one folder named like the zip, so unpacking
    two versions side by side never mixes them. Returns what `index` records.
    """
    top = archive_name(version).removesuffix(".zip")
    whole = {f"{top}/{rel}": (package_dir / rel).read_bytes() for rel in package_files(package_dir)}
    whole[f"{top}/{CHANGES}"] = changes_csv
    name = archive_name(version)
    recorded = {"archive": name, **write_zip(whole, out_dir / name), "formats": []}
    for fmt, spec in FORMATS.items():
        paths = format_files(descriptor, fmt)
        if len(paths) == 1:  # only the dictionary: the package has no file of this format
            continue
        name = archive_name(version, fmt)
        folder = name.removesuffix(".zip")
        facts = write_zip({f"{folder}/{rel}": (package_dir / rel).read_bytes() for rel in paths}, out_dir / name)
        recorded["formats"].append({"format": spec["title"], "path": name, **facts})
    return recorded
