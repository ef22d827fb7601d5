"""Readers: a report file as published → a Document the parser reads.

One module per format; `read` picks by the file's bytes, not only its name.
"""

from __future__ import annotations

from pathlib import Path

from ogi.document import Document, UnreadableInput
from ogi.extract import text as text_reader


def sniff_format(path: Path, data: bytes) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if path.suffix.lower() != ".xlsx" else "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lowered = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if path.suffix.lower() in (".html", ".htm") or lowered.startswith(
        (b"<!doctype html", b"<html", b"<meta", b"<!--", b"<table", b"<head", b"<body")
    ):
        return "html"
    return "text"


def read(path: str | Path) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableInput("unreadable_file", f"{path}: cannot read the file ({e.strerror})") from e
    fmt = sniff_format(path, data)
    if fmt == "text":
        return text_reader.read_text_bytes(str(path), data)
    reader = _structured_reader(fmt)
    if reader is None:
        raise UnreadableInput("unsupported_format", f"{path}: {fmt.upper()} files are not supported yet; the file is kept and listed")
    return reader(str(path), data)


def _structured_reader(fmt: str):
    try:
        if fmt == "html":
            from ogi.extract.html import read_html_bytes

            return read_html_bytes
        if fmt == "pdf":
            from ogi.extract.pdf import read_pdf_bytes

            return read_pdf_bytes
        if fmt == "docx":
            from ogi.extract.docx import read_docx_bytes

            return read_docx_bytes
    except ImportError:
        return None
    return None
