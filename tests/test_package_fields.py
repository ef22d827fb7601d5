"""The field registry, the schemas generated from it, the agency registry and name inference, the workbook writer."""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPORTS, ROOT

from ogi.package import agencies
from ogi.package.fields import FIELDS, SCHEMAS_DIR, TABLES, schema_text, table_schemas
from ogi.package.sqlite import create_table_sql, stored_fields, view_sql
from ogi.package.tables import arrow_schema

SUFFIX_TYPES = {
    "_id": "string",
    "_code": "string",
    "_name": "string",
    "_label": "string",
    "_year": "integer",
    "_date": "date",
    "_count": "integer",
    "_wan_yuan": "number",
}


def test_schema_files_are_generated_from_the_registry():
    """schemas/tables/*.json are written by `python -m ogi.package.fields`; edit fields.py, not them."""
    expected = {f"{name}.json": schema_text(schema) for name, schema in table_schemas().items()}
    on_disk = {p.name: p.read_text("utf-8") for p in SCHEMAS_DIR.glob("*.json")}
    assert on_disk == expected


def test_committed_descriptor_uses_the_registry_schemas():
    d = json.loads((ROOT / "datapackage" / "datapackage.json").read_text("utf-8"))
    schemas = {r["name"]: r["schema"] for r in d["resources"] if r["type"] == "table"}
    assert schemas == table_schemas()


def test_every_table_field_is_defined_once_and_used():
    used = {n for t in TABLES.values() for n in t.fields}
    assert used == set(FIELDS), f"unused: {set(FIELDS) - used}; undefined: {used - set(FIELDS)}"
    for t in TABLES.values():
        assert len(set(t.fields)) == len(t.fields)
        assert set(t.primary_key) <= set(t.fields)
        for field, resource, ref in t.foreign_keys:
            assert field in t.fields and ref in TABLES[resource].primary_key


def test_names_follow_the_convention():
    for name, f in FIELDS.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name
        assert f.title and f.description, name
        assert re.search(r"[\u4e00-\u9fff]", f.title), f"{name}: the title is the Chinese label"
        for suffix, type_ in SUFFIX_TYPES.items():
            if name.endswith(suffix):
                assert f.type == type_, f"{name} ends with {suffix}, so it is {type_}"


def test_formats_follow_the_registry():
    for name, t in TABLES.items():
        schema = arrow_schema(name)
        assert schema.names == list(t.fields)
        assert schema.field(t.fields[0]).metadata[b"title"].decode() == FIELDS[t.fields[0]].title
        sql = create_table_sql(name)
        assert f"PRIMARY KEY ({', '.join(t.primary_key)})" in sql
        assert all(f"  {n} " in sql for n in stored_fields(name))
        if stored_fields(name) != list(t.fields):  # labels left to the lookups: the labelled view has every field
            assert all(f" AS {n}" in view_sql(name) for n in t.fields)


# --- the agency registry ---


def test_registry_covers_the_bundled_reports():
    registry = agencies.load_registry(REPORTS)
    for name, agency_id in [
        ("济源市人民政府办公室", "ha_jiyuan_gov_office"),
        ("濮阳市人民政府办公室", "ha_puyang_gov_office"),
        ("轵城镇人民政府", "ha_jiyuan_zhicheng_gov"),
        ("克井镇人民政府", "ha_jiyuan_kejing_gov"),
        ("淮安市人民政府", "js_huaian_gov"),
        ("洪泽区人民政府", "js_huaian_hongze_gov"),
        ("淮安市洪泽区人民政府", "js_huaian_hongze_gov"),
        ("平潭综合实验区", "fj_pingtan"),
        ("平潭综合实验区公安局", "fj_pingtan_police"),
        ("蠡县审计局", "he_baoding_lixian_audit"),
        ("杨陵区统计局", "sn_xianyang_yangling_stats"),
    ]:
        assert registry.match(name)[0] == agency_id, name


def test_small_name_variants_match_and_different_bodies_do_not():
    registry = agencies.load_registry(REPORTS)
    assert registry.match("淮安市洪泽区 人民政府")[0] == "js_huaian_hongze_gov"
    assert registry.match("淮安市洪泽区政府")[0] == "js_huaian_hongze_gov"
    assert registry.match("淮安市清江浦区人民政府") is None
    assert agencies.unregistered_id("某县 审计局") == agencies.unregistered_id("某县审计局") != agencies.unregistered_id("某市审计局")


@pytest.mark.parametrize(
    "entries, message",
    [
        ([{"id": "a", "name": "甲", "parent": "b"}], "parent 'b' is not in the registry"),
        ([{"id": "a", "name": "甲"}, {"id": "a", "name": "乙"}], "id used twice"),
        ([{"id": "a", "name": "甲"}, {"id": "b", "name": "乙", "aliases": ["甲"]}], "also a's"),
        ([{"id": "A", "name": "甲"}], "needs an `id`"),
        ([{"id": "a", "name": "甲", "level": "city"}], "level 'city'"),
        ([{"id": "a", "name": "甲", "levle": "county_government"}], "unknown keys"),
    ],
)
def test_registry_mistakes_are_named(entries, message):
    with pytest.raises(agencies.RegistryError, match=re.escape(message)):
        agencies.Registry(entries)


@pytest.mark.parametrize(
    "name, level, place, parent",
    [
        ("淮安市洪泽区人民政府", "county_government", ("淮安市", "洪泽区", None), "淮安市人民政府"),
        ("蠡县市场监督管理局", "county_department", (None, "蠡县", None), "蠡县人民政府"),
        ("淮安市市场监督管理局", None, ("淮安市", None, None), "淮安市人民政府"),  # a 市 alone: prefecture or county-level city
        ("轵城镇人民政府", "township_government", (None, None, "轵城镇"), None),
        ("江苏省教育厅", "province_department", (None, None, None), "江苏省人民政府"),
        ("延边朝鲜族自治州人民政府", "prefecture_government", ("延边朝鲜族自治州", None, None), None),
        ("教育部", "state_council_department", (None, None, None), None),
        ("上海市普陀区社会福利院", "county_department", (None, "普陀区", None), "上海市普陀区人民政府"),
    ],
)
def test_level_region_and_parent_inferred_from_the_name(name, level, place, parent):
    a = agencies.infer(name, agencies.Registry([]))
    assert (a.level_code, (a.city_name, a.county_name, a.township_name), a.parent_agency_name) == (level, place, parent)
    assert a.level_source_code == "name" and not a.registered


# --- readings ---


def test_cell_sources_become_columns_and_unknown_ones_stop_the_build():
    from ogi.package.reading import from_record
    from ogi.package.tables import Published, cell_columns
    from ogi.parse import parse_file

    record = parse_file(REPORTS / "seeds" / "000_40e2ac12d098bcd7.txt", root=REPORTS)
    first = next(c for c in record["cells"] if c["table"] == "requests")
    first["source"]["ocr"] = True  # as the PDF reader marks a line read by OCR
    cols = cell_columns([Published("x-2020", "x", "registry_name", from_record(record))], "requests")
    assert cols["source_ocr"][0] is True and not any(cols["source_ocr"][1:])
    assert cols["source_line"][0] == first["source"]["line"]
    first["source"]["glyph"] = 3
    with pytest.raises(ValueError, match="glyph"):
        from_record(record)
