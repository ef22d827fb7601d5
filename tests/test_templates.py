"""The template files are data: they validate, and they say what domain.md says."""

import json

import jsonschema
import pytest
from conftest import ROOT

from ogi import template as templates

SCHEMA = json.loads((ROOT / "schemas" / "template.schema.json").read_text("utf-8"))


@pytest.mark.parametrize("version", templates.TEMPLATE_VERSIONS)
def test_template_file_validates(version):
    jsonschema.validate(templates.load(version), SCHEMA)


@pytest.mark.parametrize("version,variant,rows", [("2019", None, 23), ("2021", None, 25), ("2021", "single_other_handling_row", 23)])
def test_section_3_has_the_rows_the_template_prints(version, variant, rows):
    table = templates.load(version)["tables"]["requests"]
    assert len(templates.table_rows(table, variant)) == rows
    assert len(table["columns"]) == 7


def test_section_4_is_fifteen_numbers():
    for tpl in templates.all_templates():
        table = tpl["tables"]["appeals"]
        assert sum(len(templates.row_columns(table, r)) for r in table["rows"]) == 15


def test_row_codes_follow_the_template_numbering():
    codes = [r["code"] for r in templates.load("2021")["tables"]["requests"]["rows"]]
    assert codes[:4] == ["1", "2", "3.1", "3.2"] and "3.3.5" in codes and "3.6.2" in codes and codes[-2:] == ["3.7", "4"]


def test_codes_are_unique_within_each_table():
    for tpl in templates.all_templates():
        for table in tpl["tables"].values():
            codes = [r["code"] for r in table["rows"]]
            assert len(codes) == len(set(codes))


def test_version_for_year():
    assert [templates.version_for_year(y) for y in (2018, 2019, 2020, 2021, 2030)] == [None, "2019", "2019", "2021", "2021"]
