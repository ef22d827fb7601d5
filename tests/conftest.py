import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
GOLDEN = ROOT / "tests" / "golden"
sys.path.insert(0, str(Path(__file__).parent))


def report_files() -> list[Path]:
    """Every input report in reports/ (provenance files and the registries are not reports)."""
    return sorted(p for p in REPORTS.rglob("*") if p.is_file() and not p.name.endswith(".provenance.json") and p.parent != REPORTS)


@pytest.fixture(scope="session")
def package(tmp_path_factory) -> Path:
    """The bundled reports built once into a package, for every test that reads it."""
    from ogi.package.build import build_package

    out = tmp_path_factory.mktemp("build") / "datapackage"
    build_package(REPORTS, out, progress=False)
    return out
