"""The `ogi` command: one subcommand per job, each a thin call into its stage."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ogi import __version__


def folder_option(flag: str, name: str, default: str, help: str):
    """An option naming a folder, with its default shown."""
    return click.option(flag, name, default=default, show_default=True, type=click.Path(file_okay=False, path_type=Path), help=help)


# The input folder, for every command that reads or adds to it.
reports_option = folder_option("--reports", "reports_dir", "reports", "Input folder of report files, each with its provenance.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ogi")
def main() -> None:
    """Open government information (政府信息公开) annual reports → a checked, versioned data package, and its site."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the full record as JSON (one file), or JSON Lines (several).")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Parse report FILES and summarise each: agency, year, template, cells, failed rules, problems.

    Exits with status 1 when any file cannot be used (it is rejected, and the reason is printed).
    """
    from ogi.parse import parse_file
    from ogi.record import dumps, summary

    bad = 0
    for path in files:
        record = parse_file(path)
        bad += record["status"] != "parsed"
        if as_json:
            click.echo(dumps(record, indent=2 if len(files) == 1 else None))
        else:
            click.echo(summary(record))
    sys.exit(1 if bad else 0)


@main.command()
@reports_option
@folder_option("--out", "out_dir", "datapackage", "Where to write the data package.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def build(reports_dir: Path, out_dir: Path, quiet: bool) -> None:
    """Build the data package from every report in the input folder (the project's main job)."""
    from ogi.package.build import build_package

    build_package(reports_dir, out_dir, progress=not quiet)


@main.command()
@folder_option("--package", "package_dir", "datapackage", "The built data package to make the site from.")
@folder_option("--out", "site_dir", "build/site", "Where to write the site (emptied first).")
@folder_option("--docs", "docs_dir", "build/site-docs", "Where to write the generated Markdown pages (emptied first).")
@click.option(
    "--config",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="MkDocs configuration; the hand-written pages are in site/ beside it.",
)
@click.option(
    "--download-base",
    default=None,
    help="The http(s) address where the package's files are published (default: the config's extra.download_base; "
    "empty: linked beside the site in datapackage/, not copied).",
)
def site(package_dir: Path, site_dir: Path, docs_dir: Path, config_file: Path, download_base: str | None) -> None:
    """Build the static site (one page per report, downloads, rejected inputs, search) from the data package."""
    from ogi.site.build import build_site
    from ogi.site.mkdocs_build import SiteError
    from ogi.site.reading import PackageError

    try:
        summary = build_site(package_dir, site_dir, docs_dir, config_file, download_base=download_base)
    except (PackageError, SiteError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"site: {summary.report_pages} report pages → {summary.site_dir / 'index.html'} "
        f"({summary.seconds:.1f} s: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.phases.items()) + ")"
    )


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--source-url", help="Where the file was downloaded from.")
@click.option("--retrieved", help="When it was downloaded (YYYY-MM-DD).")
@reports_option
def add(files: tuple[Path, ...], source_url: str | None, retrieved: str | None, reports_dir: Path) -> None:
    """Add report FILES, as downloaded, to the input folder with their provenance, and say what was found."""
    from ogi.add import add_files

    sys.exit(add_files(list(files), reports_dir, source_url=source_url, retrieved=retrieved))


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of a parsed report record."""
    from ogi.record import record_schema

    click.echo(json.dumps(record_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
