"""Run `mkdocs build --strict` on the generated pages, through MkDocs' Python API.

The API, not the `mkdocs` command, because the docs folder is ours to choose
(the command has no option for it). MkDocs' warnings are collected and put in
the error, so a strict failure says which page and which link.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


class SiteError(Exception):
    """The site cannot be built; the message says why."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname}: {record.getMessage()}")


def config_extra(config_file: Path) -> dict:
    """The config's `extra` settings (read with MkDocs' YAML loader, which knows its tags), before the build."""
    from mkdocs.utils.yaml import yaml_load

    if not config_file.is_file():
        raise SiteError(f"{config_file}: no MkDocs configuration here")
    with open(config_file, encoding="utf-8") as f:
        extra = (yaml_load(f) or {}).get("extra") or {}
    return extra if isinstance(extra, dict) else {}


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """Build docs_dir into site_dir with config_file's settings, strict: any warning fails the build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    if not config_file.is_file():
        raise SiteError(f"{config_file}: no MkDocs configuration here")
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(str(config_file), docs_dir=str(docs_dir.resolve()), site_dir=str(site_dir.resolve()), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        details = "\n".join(f"    {m}" for m in collect.messages)
        raise SiteError(f"mkdocs build --strict failed ({config_file}): {error}" + (f"\n{details}" if details else "")) from error
    finally:
        logger.removeHandler(collect)


def run_mkdocs_apart(config_file: Path, docs_dir: Path, site_dir: Path) -> None:
    """`run_mkdocs` in a forked process: MkDocs holds every page in memory until the build ends (1.9 GiB at
    10,000 agency-years), and a process's memory goes back to the system only when it exits, before
    Pagefind needs its own. Its SiteError comes back as raised."""
    if "fork" not in multiprocessing.get_all_start_methods():
        run_mkdocs(config_file, docs_dir, site_dir)
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(run_mkdocs, config_file, docs_dir, site_dir).result()
