import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(Path(__file__).parent))


def report_files() -> list[Path]:
    """Every input report in reports/ (provenance files and the registries are not reports)."""
    return sorted(p for p in REPORTS.rglob("*") if p.is_file() and not p.name.endswith(".provenance.json") and p.parent != REPORTS)
