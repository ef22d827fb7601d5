"""Benchmark: the release archives of a built package — their sizes, and the time to zip and to diff.

    .venv/bin/python scripts/bench_release.py [--package datapackage]

For a large synthetic package:

    .venv/bin/python scripts/bench_build.py --n 10000 --keep /tmp/ogi-10k
    .venv/bin/python scripts/bench_release.py --package /tmp/ogi-10k

Prints the package's size, each archive's size and SHA-256 (the whole package and one
per format), the seconds to write them, and the seconds of a data diff of the package
against itself (every cell and check compared), the work `ogi release` does against the
previous release. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from ogi.release import archives, diff, index


def mib(n: int) -> str:
    return f"{n / 2**20:8.2f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--package", type=Path, default=Path("datapackage"), help="a built package (default: datapackage/)")
    args = ap.parse_args()
    descriptor = json.loads((args.package / "datapackage.json").read_text("utf-8"))
    files = [p for p in args.package.rglob("*") if p.is_file()]
    snap = diff.from_folder(args.package)
    counts = index.counts(snap)
    print(f"package {args.package}: {len(files)} files, {mib(sum(p.stat().st_size for p in files))}; {counts}")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        made = archives.write_archives(args.package, descriptor, descriptor["version"], b"", Path(tmp))
        seconds = time.perf_counter() - start
    print(f"{'whole package':14} {made['archive']:45} {mib(made['bytes'])}  sha256 {made['sha256'][:16]}…")
    for f in made["formats"]:
        print(f"{f['format']:14} {f['path']:45} {mib(f['bytes'])}  sha256 {f['sha256'][:16]}…")
    print(f"archives written in {seconds:.1f} s (deflate level 9, zlib {archives.ZLIB})")
    start = time.perf_counter()
    changes = diff.diff(snap, snap)
    print(f"diff of the package against itself: {len(changes)} changes in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
