"""The command line: every command has help and is in the README; parse works on real reports."""

import json
import subprocess
import sys

import jsonschema
from click.testing import CliRunner
from conftest import REPORTS, ROOT

from ogi.cli import main
from ogi.record import record_schema


def test_every_command_has_help_and_is_documented():
    readme = (ROOT / "README.md").read_text("utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--help"]).exit_code == 0
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and command.help, name
        assert f"ogi {name}" in readme, f"`ogi {name}` is not in the README"


def test_parse_summarises_and_exits_zero_for_good_reports():
    result = CliRunner().invoke(
        main, ["parse", str(REPORTS / "samples" / "hongze_qzf_2023.txt"), str(REPORTS / "seeds" / "001_7e78f6154f3411bd.txt")]
    )
    assert result.exit_code == 0, result.output
    assert "洪泽区人民政府 · 2023 · template 2021" in result.output
    assert "rule failed: appeal_total [review] 0 ≠ 11" in result.output
    assert "济源市人民政府办公室 · 2022" in result.output


def test_parse_exits_non_zero_and_says_why_when_a_file_cannot_be_used():
    bad = REPORTS / "samples" / "truncated" / "lixian_sjj_2022.txt"
    result = CliRunner().invoke(main, ["parse", str(REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt"), str(bad)])
    assert result.exit_code == 1
    assert "lixian_sjj_2022.txt: REJECTED" in result.output and "truncated" in result.output


def test_parse_prints_the_status_and_exits_zero_for_a_report_with_gaps(tmp_path):
    """A report with a row that cannot be read is published with gaps: status 0; only a rejected file gives 1."""
    text = (REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt").read_text("utf-8")
    assert "（一）予以公开 6 0 0 0 0 0 6" in text
    gaps = tmp_path / "gaps.txt"
    gaps.write_text(text.replace("（一）予以公开 6 0 0 0 0 0 6", "（一）予以公开 6 0 0 0 0 6"), "utf-8")
    result = CliRunner().invoke(main, ["parse", str(gaps), str(REPORTS / "seeds" / "001_7e78f6154f3411bd.txt")])
    assert result.exit_code == 0, result.output
    assert "· published_with_gaps (7 gap cells) ·" in result.output and "第三部分 行 3.1" in result.output
    assert "济源市人民政府办公室 · 2022 · template 2021 · published ·" in result.output


def test_parse_says_how_many_rules_could_not_be_checked(tmp_path):
    """ "rules failed 0/40" alone reads as all rules holding when most could not be checked (blank or unread cells)."""
    text = (REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt").read_text("utf-8")
    blank = tmp_path / "blank.txt"
    blank.write_text(text.replace("（一）予以公开 6 0 0 0 0 0 6", "（一）予以公开 / / / / / / /"), "utf-8")
    result = CliRunner().invoke(main, ["parse", "--json", str(blank)])
    statuses = [c["status"] for c in json.loads(result.output)["checks"]]
    incomplete, failed = statuses.count("incomplete"), statuses.count("fail")
    assert incomplete > 0
    result = CliRunner().invoke(main, ["parse", str(blank), str(REPORTS / "seeds" / "001_7e78f6154f3411bd.txt")])
    blank_line, complete_line = result.output.split("\n")[:2]
    assert f"· rules failed {failed}/{len(statuses)}, incomplete {incomplete} ·" in blank_line
    assert "incomplete" not in complete_line and "rules failed 0/" in complete_line


def test_parse_json_prints_a_valid_record():
    result = CliRunner().invoke(main, ["parse", "--json", str(REPORTS / "seeds" / "002_4fb6e0fcd3eb9312.txt")])
    record = json.loads(result.output)
    jsonschema.validate(record, record_schema())
    assert record["metadata"]["agency_name"] == "濮阳市人民政府办公室"


def test_schema_command_prints_the_schema_file():
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output) == record_schema()


def test_the_installed_console_script_runs():
    exe = ROOT / ".venv" / "bin" / "ogi"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "ogi.cli"]
    out = subprocess.run(cmd + ["--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("ogi, version")
