"""`ogi add`: original bytes under a stable name, provenance beside them, one parse, duplicates refused, same agency-year warned."""

import hashlib
import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import REPORTS
from report_builders import load_golden, report_blocks, to_docx

from ogi.add import add_files
from ogi.cli import main

HUAIAN_PDF = REPORTS / "samples/huaian_szf_2024.pdf"
BUDGET_PDF = REPORTS / "samples/rejected/putuo_welfare_home_budget_2024.pdf"
PROVENANCE_KEYS = set(json.loads((REPORTS / "samples/huaian_szf_2024.pdf.provenance.json").read_text("utf-8")))


@pytest.fixture
def reports(tmp_path):
    """An input folder holding one report already (the 洪泽 2024 text, with its provenance)."""
    folder = tmp_path / "reports"
    (folder / "samples").mkdir(parents=True)
    for name in ("hongze_qzf_2024.txt", "hongze_qzf_2024.txt.provenance.json"):
        shutil.copy(REPORTS / "samples" / name, folder / "samples" / name)
    return folder


def _added(folder):
    return sorted(p.relative_to(folder).as_posix() for p in (folder / "added").glob("*")) if (folder / "added").is_dir() else []


def test_add_copies_the_bytes_and_writes_provenance(reports, capsys):
    data = HUAIAN_PDF.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    status = add_files([HUAIAN_PDF], reports, source_url="https://www.huaian.gov.cn/szfgs2024.pdf", retrieved="2025-03-01")
    out = capsys.readouterr().out
    assert status == 0
    assert _added(reports) == [f"added/{sha[:16]}.pdf", f"added/{sha[:16]}.pdf.provenance.json"]
    assert (reports / "added" / f"{sha[:16]}.pdf").read_bytes() == data
    prov = json.loads((reports / "added" / f"{sha[:16]}.pdf.provenance.json").read_text("utf-8"))
    assert set(prov) == PROVENANCE_KEYS
    assert prov["original_name"] == "huaian_szf_2024.pdf" and prov["handed_over_as"] == str(HUAIAN_PDF)
    assert (prov["source_url"], prov["retrieved"], prov["sha256"], prov["bytes"], prov["format"]) == (
        "https://www.huaian.gov.cn/szfgs2024.pdf",
        "2025-03-01",
        sha,
        len(data),
        "pdf",
    )
    assert (prov["agency"], prov["year"]) == ("淮安市人民政府", 2024)
    assert "淮安市人民政府 · 2024 · template 2021" in out and "rules failed 0/42" in out


def test_exact_duplicate_is_refused(reports, capsys):
    assert add_files([HUAIAN_PDF], reports, None, None) == 0
    before = _added(reports)
    renamed = reports.parent / "same_bytes_other_name.pdf"
    shutil.copy(HUAIAN_PDF, renamed)
    assert add_files([renamed], reports, None, None) == 1
    assert _added(reports) == before
    assert "REFUSED" in capsys.readouterr().out


def test_duplicate_of_an_input_anywhere_in_the_folder_is_refused(reports, capsys):
    assert add_files([REPORTS / "samples/hongze_qzf_2024.txt"], reports, None, None) == 1
    assert _added(reports) == []
    assert "already an input: samples/hongze_qzf_2024.txt" in capsys.readouterr().out


def test_second_report_for_the_same_agency_and_year_is_added_with_a_warning(reports, tmp_path, capsys):
    shutil.copy(REPORTS / "samples/huaian_szf_2024.txt", reports / "samples" / "huaian_szf_2024.txt")
    word = to_docx(
        report_blocks(load_golden("samples/huaian_szf_2024.pdf"), "淮安市人民政府2024年政府信息公开工作年度报告"), tmp_path / "huaian.docx"
    )
    assert add_files([word], reports, None, None) == 0
    out = capsys.readouterr().out
    assert "WARNING: a second report for 淮安市人民政府 2024: samples/huaian_szf_2024.txt" in out
    assert len(_added(reports)) == 2
    assert "hongze" not in out.split("WARNING", 1)[1]


def test_two_files_for_the_same_report_in_one_call_warn(reports, tmp_path, capsys):
    word = to_docx(
        report_blocks(load_golden("samples/huaian_szf_2024.pdf"), "淮安市人民政府2024年政府信息公开工作年度报告"), tmp_path / "huaian.docx"
    )
    assert add_files([HUAIAN_PDF, word], reports, None, None) == 0
    assert capsys.readouterr().out.count("WARNING: a second report for 淮安市人民政府 2024") == 1


def test_a_document_that_is_not_a_report_is_kept_and_says_why(reports, capsys):
    assert add_files([BUDGET_PDF], reports, None, None) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "not an OGI annual report" in out and "cannot be used" in out
    prov_file = next(p for p in (reports / "added").glob("*.provenance.json"))
    prov = json.loads(prov_file.read_text("utf-8"))
    assert prov["agency"] is None and prov["notes"].startswith("cannot be used as added")


def test_file_without_a_suffix_gets_one_from_its_format(reports, tmp_path):
    bare = tmp_path / "download"
    shutil.copy(HUAIAN_PDF, bare)
    assert add_files([bare], reports, None, None) == 0
    assert [p for p in _added(reports) if not p.endswith(".json")][0].endswith(".pdf")


def test_bad_retrieval_date_is_refused(reports, capsys):
    assert add_files([HUAIAN_PDF], reports, None, "March 2025") == 2
    assert _added(reports) == [] and "YYYY-MM-DD" in capsys.readouterr().err


def test_ogi_add_command(reports):
    result = CliRunner().invoke(
        main,
        ["add", str(HUAIAN_PDF), "--reports", str(reports), "--source-url", "https://example.gov.cn/r.pdf", "--retrieved", "2025-03-01"],
    )
    assert result.exit_code == 0, result.output
    assert "added as" in result.output and "淮安市人民政府 · 2024" in result.output
    again = CliRunner().invoke(main, ["add", str(HUAIAN_PDF), "--reports", str(reports)])
    assert again.exit_code == 1 and "REFUSED" in again.output
