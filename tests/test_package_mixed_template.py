"""A 2021 report printing section 二 with the 2019 columns, through the package.

The cell tables are long (row_code, column_code), so its cells keep the 2019
columns' codes (the same codes as in 2019 reports); the reports table names the
variant (`template_variant_codes` = `proactive:columns_2019`); the Excel wide
view puts it in the 2019-format sheet of section 二, whose columns are those
codes, and not in the 2021 one.
"""

import shutil

import openpyxl
import pandas as pd
import pytest
from conftest import REPORTS
from test_parse_mixed_template import ROWS, with_section_2

from ogi.package.build import build_package

SEED_2021 = REPORTS / "seeds" / "001_7e78f6154f3411bd.txt"
SEED_2019 = REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt"


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    reports = root / "reports"
    (reports / "seeds").mkdir(parents=True)
    for name in ("agencies.yaml", "corrections.csv"):
        shutil.copy(REPORTS / name, reports / name)
    (reports / "seeds" / "mixed_2022.txt").write_text(with_section_2(SEED_2021, "tabs"), "utf-8")
    shutil.copy(SEED_2019, reports / "seeds" / SEED_2019.name)
    out = root / "datapackage"
    build_package(reports, out, progress=False)
    return out


def test_cells_keep_the_2019_columns_codes(package):
    reports = pd.read_csv(package / "data" / "reports.csv")
    mixed = reports[reports["report_year"] == 2022].iloc[0]
    assert mixed["template_code"] == 2021 and mixed["template_variant_codes"] == "proactive:columns_2019"
    cells = pd.read_csv(package / "data" / "proactive.csv", dtype={"row_code": str})
    mine = cells[cells["report_id"] == mixed["report_id"]]
    got = {(r.row_code, r.column_code): r.value for r in mine.itertuples()}
    assert got == {(code, col): v for code, (_, cols, values) in ROWS.items() for col, v in zip(cols, values)}


def test_wide_view_puts_it_with_the_2019_columns(package):
    reports = pd.read_csv(package / "data" / "reports.csv").set_index("report_year")
    wb = openpyxl.load_workbook(next(package.glob("*.xlsx")), read_only=True)
    # section 二's two wide sheets, "…二…（2019格式）" and "…二…（2021格式）"
    sheets = {layout: next(n for n in wb.sheetnames if "二" in n and f"{layout}格式" in n) for layout in ("2019", "2021")}
    ids = {layout: {row[0] for row in list(wb[name].iter_rows(values_only=True))[2:]} for layout, name in sheets.items()}
    assert ids["2019"] == {reports.loc[2022, "report_id"], reports.loc[2020, "report_id"]}
    assert ids["2021"] == set()
    sheet = list(wb[sheets["2019"]].iter_rows(values_only=True))
    header = list(zip(sheet[0], sheet[1]))
    row = next(r for r in sheet[2:] if r[0] == reports.loc[2022, "report_id"])
    at = next(i for i, (h1, h2) in enumerate(header) if h1 and "行政许可" in h1)
    assert row[at : at + 3] == (89, 74, 1888)
