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
    """Parse report FILES and summarise each: agency, year, status, template, cells, failed rules, problems.

    A report is published, published with gaps (cells that could not be read, flagged and named),
    or rejected. Exits with status 1 only when a file is rejected (the reason is printed).
    """
    from ogi.parse import parse_file
    from ogi.record import dumps, is_published, summary

    bad = 0
    for path in files:
        record = parse_file(path)
        bad += not is_published(record)
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


class ReleaseGroup(click.Group):
    """`ogi release major|minor|patch|X.Y.Z` is short for `ogi release new ...`."""

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "new", self.commands["new"], args
        return super().resolve_command(ctx, args)


@main.group(cls=ReleaseGroup)
def release() -> None:
    """Releases of the data package: `ogi release major|minor|patch|X.Y.Z` makes one; `ogi release verify VERSION` rebuilds one and compares checksums."""


@release.command("new")
@click.argument("wanted", metavar="major|minor|patch|X.Y.Z")
@click.option("--date", help="The release date (YYYY-MM-DD), recorded everywhere; default: today.")
def release_new(wanted: str, date: str | None) -> None:
    """Make a release: refuse unless the tree is committed, datapackage/ rebuilds byte for byte and validates; then set the version and
    date, rebuild, write the CHANGELOG entry with the data diff, commit "Release X" (tagged vX), write the archives under releases/X/,
    record them in releases/index.json and commit them."""
    from ogi.release import ReleaseError, make

    try:
        make.release(Path("."), wanted, date, say=click.echo)
    except ReleaseError as error:
        raise click.ClickException(str(error)) from error


@release.command("verify")
@click.argument("version", required=False)
@click.option("--all", "every", is_flag=True, help="Every release in releases/index.json (none: says so, exit 0).")
def release_verify(version: str | None, every: bool) -> None:
    """Rebuild release VERSION from its recorded commit (in a temporary worktree, with that commit's code) and compare every archive's
    SHA-256 with the recorded one. Exit 0 only when all are identical."""
    from ogi.release import ReleaseError, verify

    if bool(version) == every:
        raise click.UsageError("give one VERSION or --all")
    try:
        results = verify.verify_all(Path("."), say=click.echo) if every else {version: verify.verify(Path("."), version, say=click.echo)}
    except ReleaseError as error:
        raise click.ClickException(str(error)) from error
    bad = {v: problems for v, problems in results.items() if problems}
    for v, problems in results.items():
        click.echo(f"release {v}: " + ("FAILED\n    " + "\n    ".join(problems) if problems else "verified, every archive identical"))
    sys.exit(1 if bad else 0)


@release.command("archives")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Where to write them.")
def release_archives(out_dir: Path) -> None:
    """Build this checkout's package and write its release archives, changes.csv and release.json into OUT (what `ogi release` and
    `verify` run in the release's commit)."""
    from ogi.release import ReleaseError
    from ogi.release.make import assemble

    try:
        entry = assemble(Path("."), out_dir)
    except ReleaseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{entry['archive']}: {entry['bytes']} bytes, sha256 {entry['sha256']}")


@main.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of a parsed report record."""
    from ogi.record import record_schema

    click.echo(json.dumps(record_schema(), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
