"""Rewrite tests/snapshots/ from the current parser. Then read `git diff tests/snapshots` before committing.

make goldens
"""

from pathlib import Path

from ogi.parse import parse_file
from ogi.snapshot import dumps, snapshot

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
OUT = ROOT / "tests" / "snapshots"


def main() -> None:
    inputs = sorted(p for p in REPORTS.rglob("*") if p.is_file() and not p.name.endswith(".provenance.json") and p.parent != REPORTS)
    for path in inputs:
        rel = path.relative_to(REPORTS).as_posix()
        out = OUT / (rel + ".snapshot.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(dumps(snapshot(parse_file(path, root=REPORTS))), encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
