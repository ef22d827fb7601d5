"""Agencies: a stable id for every reporting body, across years and small name variants.

A curated registry (`reports/agencies.yaml`) gives ids, names, aliases, level,
region and parent. A report whose agency is not registered still builds: its
id is a hash of the normalised name, and level, region and parent are inferred
from the name (and marked as inferred). Names are matched exactly after
normalisation — never by similarity — so two bodies are never merged by guess.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ogi.package.fields import LEVEL_NAMES

REGISTRY_FILE = "agencies.yaml"
_KEYS = {"id", "name", "aliases", "level", "province", "city", "county", "township", "division_code", "parent", "notes"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")

PROVINCES = (
    "北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 "
    "湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 青海省 宁夏回族自治区 新疆维吾尔自治区"
).split()
# A place name ends at its first place suffix: 淮安市 in 淮安市市场监督管理局, 蠡县 in 蠡县市场监督管理局.
_CITY = re.compile(r"^([^县区旗市州盟镇乡]{1,10}?(?:自治州|地区|盟|市))")
_COUNTY = re.compile(r"^([^县区旗市镇乡]{1,10}?(?:自治县|县|区|旗|市))")
_TOWNSHIP = re.compile(r"^([^镇乡]{1,10}?(?:街道办事处|街道|镇|乡))")
_GOVERNMENT_BODIES = {"", "人民政府", "政府", "管委会", "管理委员会", "办事处", "街道办事处", "行政公署"}
_NATIONAL = re.compile(r"^(?:国务院|国家|中国)|(?:部|总局|总署)$")


class RegistryError(ValueError):
    """The agency registry is not valid; the message names the entry."""


@dataclass
class Agency:
    agency_id: str
    agency_name: str
    alias_names: list[str] = field(default_factory=list)
    level_code: str | None = None
    level_source_code: str | None = None
    province_name: str | None = None
    city_name: str | None = None
    county_name: str | None = None
    township_name: str | None = None
    division_code: str | None = None
    parent_agency_id: str | None = None
    parent_agency_name: str | None = None
    registered: bool = False
    notes: str | None = None

    def row(self) -> dict:
        out = dict(vars(self))
        out["alias_names"] = "; ".join(self.alias_names) or None
        out["level_name"] = LEVEL_NAMES.get(self.level_code)
        return out


def name_key(name: str) -> str:
    """The form two names must share to be the same body: NFKC, no spaces or dots, 人民政府 = 政府."""
    s = unicodedata.normalize("NFKC", name)
    s = re.sub(r"[\s·・.]+", "", s)
    return s.replace("人民政府", "政府")


class Registry:
    def __init__(self, entries: list[dict]):
        self.agencies: dict[str, Agency] = {}
        self._by_key: dict[str, tuple[str, str]] = {}
        for entry in entries:
            self._add(entry)
        for agency in self.agencies.values():
            if agency.parent_agency_id and agency.parent_agency_id not in self.agencies:
                raise RegistryError(f"{agency.agency_id}: parent {agency.parent_agency_id!r} is not in the registry")
            if agency.parent_agency_id:
                agency.parent_agency_name = self.agencies[agency.parent_agency_id].agency_name

    def _add(self, entry: dict) -> None:
        where = entry.get("id") or entry.get("name") or repr(entry)
        if unknown := set(entry) - _KEYS:
            raise RegistryError(f"{where}: unknown keys {sorted(unknown)}")
        if not _ID.match(str(entry.get("id", ""))) or not entry.get("name"):
            raise RegistryError(f"{where}: every entry needs an `id` (lowercase a-z, 0-9, _) and a `name`")
        if entry["id"] in self.agencies:
            raise RegistryError(f"{where}: id used twice")
        if entry.get("level") is not None and entry["level"] not in LEVEL_NAMES:
            raise RegistryError(f"{where}: level {entry['level']!r} is not one of {list(LEVEL_NAMES)}")
        agency = Agency(
            agency_id=entry["id"],
            agency_name=entry["name"],
            alias_names=list(entry.get("aliases") or []),
            level_code=entry.get("level"),
            level_source_code="registry",
            province_name=entry.get("province"),
            city_name=entry.get("city"),
            county_name=entry.get("county"),
            township_name=entry.get("township"),
            division_code=str(entry["division_code"]) if entry.get("division_code") else None,
            parent_agency_id=entry.get("parent"),
            registered=True,
            notes=entry.get("notes"),
        )
        self.agencies[agency.agency_id] = agency
        for name, how in [(agency.agency_name, "registry_name")] + [(a, "registry_alias") for a in agency.alias_names]:
            key = name_key(name)
            if key in self._by_key and self._by_key[key][0] != agency.agency_id:
                raise RegistryError(f"{where}: the name {name!r} is also {self._by_key[key][0]}'s")
            self._by_key[key] = (agency.agency_id, how)

    def match(self, name: str) -> tuple[str, str] | None:
        """(agency_id, `registry_name` | `registry_alias`) for a registered name, else None."""
        return self._by_key.get(name_key(name))


def load_registry(reports_dir: Path) -> Registry:
    path = reports_dir / REGISTRY_FILE
    if not path.is_file():
        return Registry([])
    entries = yaml.safe_load(path.read_text("utf-8")) or []
    if not isinstance(entries, list):
        raise RegistryError(f"{path}: expected a list of agencies")
    return Registry(entries)


def unregistered_id(name: str) -> str:
    return "x_" + hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:10]


def split_place(name: str) -> tuple[dict, str]:
    """The place names a body's name starts with (province, city, county, township), and the rest."""
    rest = name_key(name).replace("政府", "人民政府")
    place = {"province_name": None, "city_name": None, "county_name": None, "township_name": None}
    province = next((p for p in PROVINCES if rest.startswith(p)), None)
    if province:
        place["province_name"], rest = province, rest[len(province) :]
    for key, pattern in (("city_name", _CITY), ("county_name", _COUNTY), ("township_name", _TOWNSHIP)):
        m = pattern.match(rest)
        if m:
            place[key], rest = m.group(1), rest[m.end() :]
    return place, rest


def _level(place: dict, rest: str) -> str | None:
    government = rest in _GOVERNMENT_BODIES
    if place["township_name"]:
        return "township_government" if government else None
    if place["county_name"]:
        return "county_government" if government else "county_department"
    if place["city_name"] and not place["city_name"].endswith("市"):
        return "prefecture_government" if government else "prefecture_department"  # 自治州, 地区, 盟
    if place["city_name"]:
        return None  # a 市 alone may be a prefecture or a county-level city
    if place["province_name"]:
        return "province_government" if government else "province_department"
    return "state_council_department" if _NATIONAL.search(rest) else None


def _parent_name(place: dict, rest: str) -> str | None:
    names = [place[k] for k in ("province_name", "city_name", "county_name", "township_name")]
    present = [n for n in names if n]
    if rest not in _GOVERNMENT_BODIES:
        return "".join(present) + "人民政府" if present else None
    return "".join(present[:-1]) + "人民政府" if len(present) >= 2 else None


def infer(name: str, registry: Registry) -> Agency:
    """An unregistered body, with what its name tells."""
    place, rest = split_place(name)
    parent_name = _parent_name(place, rest)
    parent = registry.match(parent_name) if parent_name else None
    return Agency(
        agency_id=unregistered_id(name),
        agency_name=name,
        level_code=_level(place, rest),
        level_source_code="name",
        parent_agency_id=parent[0] if parent else None,
        parent_agency_name=registry.agencies[parent[0]].agency_name if parent else parent_name,
        **place,
    )


def resolve(name: str, registry: Registry) -> tuple[str, str]:
    """(agency_id, agency_match_code) for a name as a report's title prints it."""
    found = registry.match(name)
    return found if found else (unregistered_id(name), "unregistered")


def agency_rows(registry: Registry, unregistered: dict[str, list[tuple[int, str]]]) -> list[dict]:
    """Every registered body and every unregistered one seen; `unregistered` maps id → [(year, titled name)]."""
    agencies = dict(registry.agencies)
    for agency_id, seen in unregistered.items():
        names = sorted({n for _, n in seen})
        latest = max(seen, key=lambda yn: (yn[0], yn[1]))[1]
        agency = infer(latest, registry)
        agency.alias_names = [n for n in names if n != latest]
        agencies[agency_id] = agency
    return [agencies[k].row() for k in sorted(agencies)]
