"""datapackage.json and the package's data dictionary (README.md), both from the field registry.

Nothing here reads the clock: `created` is the newest input's `added` date, so
two builds of the same inputs are byte-identical.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from ogi import template as templates
from ogi.package.fields import FIELDS, LEVEL_NAMES, MISSING_VALUES, TABLES

MEDIA_TYPES = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "sqlite": "application/vnd.sqlite3",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "md": "text/markdown",
}


@functools.cache
def package_meta() -> dict:
    return yaml.safe_load(resources.files("ogi.package").joinpath("package.yaml").read_text("utf-8"))


def created_from(added_dates: list[str | None]) -> str | None:
    """The newest input's `added` date, as a timestamp (the package changes when its inputs do)."""
    dates = sorted(d for d in added_dates if d)
    return f"{dates[-1]}T00:00:00Z" if dates else None


def file_facts(path: Path) -> dict:
    data = path.read_bytes()
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def table_resource(name: str, path: Path, root: Path) -> dict:
    t = TABLES[name]
    return {
        "name": name,
        "type": "table",
        "profile": "tabular-data-resource",
        "path": path.relative_to(root).as_posix(),
        "scheme": "file",
        "format": "csv",
        "mediatype": MEDIA_TYPES["csv"],
        "encoding": "utf-8",
        "title": f"{t.title_zh} · {t.title_en}",
        "description": t.description,
        **file_facts(path),
        "schema": t.schema(),
    }


def file_resource(name: str, path: Path, root: Path, title: str, description: str) -> dict:
    fmt = path.suffix.lstrip(".")
    return {
        "name": name,
        "type": "file",
        "path": path.relative_to(root).as_posix(),
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "title": title,
        "description": description,
        **file_facts(path),
    }


def descriptor(meta: dict, resources_: list[dict]) -> dict:
    keys = ["name", "title", "description", "version", "released", "created", "homepage", "keywords", "licenses", "sources", "contributors"]
    out = {k: meta[k] if k != "released" else str(meta[k]) for k in keys if meta.get(k) is not None}
    out["resources"] = resources_
    return out


def write_json(data: dict, path: Path) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return path


# --- the data dictionary ---


def _md_cell(value) -> str:
    """A value safe inside a Markdown table cell."""
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _constraints(field: dict) -> str:
    c = dict(field.get("constraints", {}))
    parts = ["required" if c.pop("required", False) else ""]
    labels = {cat["value"]: cat["label"] for cat in field.get("categories", [])}
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}` {labels[v]}" if v in labels else f"`{v}`" for v in c.pop("enum")))
    parts += [f"{k} `{v}`" for k, v in c.items()]
    return "; ".join(p for p in parts if p)


def template_codes() -> list[dict]:
    """Every template table's rows and columns, for the dictionary."""
    out = []
    for tpl in templates.all_templates():
        for name, tbl in tpl["tables"].items():
            rows = tbl["rows"] + [dict(r, variant=v["name"]) for v in tbl.get("variants", []) for r in v["with"]]
            out.append(
                {
                    "version": tpl["version"],
                    "issued_by": tpl["issued_by"],
                    "table": name,
                    "section": tbl["section"],
                    "title": tbl["title"],
                    "rows": rows,
                    "columns": tbl["columns"],
                }
            )
    return out


def data_dictionary(meta: dict, files: list[dict]) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ogi.package", "templates"),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = _md_cell
    env.filters["constraints"] = _constraints
    tables = [{"table": t, "schema": t.schema()} for t in TABLES.values()]
    return env.get_template("data_dictionary.md.jinja").render(
        meta=meta, tables=tables, fields=FIELDS, files=files, templates=template_codes(), levels=LEVEL_NAMES, missing_values=MISSING_VALUES
    )
