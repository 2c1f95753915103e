"""Opening uploaded Office files (.xlsx, .docx) safely: one set of checks for every importer.

openpyxl defends against XML entity tricks only through defusedxml (a hard dependency), and not at
all against zip bombs. So before anything parses a file (see /work/shared/RELIABILITY.md):
- an encrypted Office file (an OLE container, not a zip) is named as such;
- the archive has at most MAX_ENTRIES entries, no absolute or `..` names;
- each entry is at most MAX_ENTRY_BYTES and all together MAX_TOTAL_BYTES uncompressed;
- an entry larger than RATIO_CHECK_FROM may not compress beyond MAX_RATIO:1 (tiny XML parts
  legitimately do, and are harmless);
- the part that makes it a workbook or document is present.
Every refusal is an `UnsafeFile` whose message is for the user, in his language.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

MAX_ENTRIES = 500
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
RATIO_CHECK_FROM = 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

XLSX = ("xl/workbook.xml", "Excel（.xlsx）")
DOCX = ("word/document.xml", "Word（.docx）")


class UnsafeFile(ValueError):
    """A file refused before parsing; the message says why, for the user."""


def check_ooxml(fileobj: IO[bytes], kind: tuple[str, str] = XLSX) -> None:
    """Refuse anything that is not a plausible, reasonably sized Office archive of `kind`."""
    required, label = kind
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head == OLE_SIGNATURE:
        raise UnsafeFile(
            _("文件已加密（设置了打开密码）或是旧版 Office 格式，请取消密码并另存为 %(label)s 后再上传。")
            % {"label": label}
        )
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnsafeFile(
            _("文件不是有效的 %(label)s 文件，请另存为 %(label)s 后再上传。") % {"label": label}
        ) from error
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise UnsafeFile(_("文件结构异常（压缩包内有 %(n)d 个条目），已拒绝。") % {"n": len(entries)})
        total = 0
        for entry in entries:
            name = PurePosixPath(entry.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in entry.filename or ":" in entry.filename:
                raise UnsafeFile(
                    _("文件结构异常（包含不安全的路径 %(name)s），已拒绝。") % {"name": entry.filename}
                )
            if entry.file_size > MAX_ENTRY_BYTES:
                raise UnsafeFile(
                    _("文件结构异常（%(name)s 解压后超过 50 MB），已拒绝。") % {"name": entry.filename}
                )
            if entry.file_size > RATIO_CHECK_FROM and entry.file_size > MAX_RATIO * max(
                entry.compress_size, 1
            ):
                raise UnsafeFile(
                    _("文件结构异常（压缩比超过 %(ratio)d:1，可能是压缩炸弹），已拒绝。")
                    % {"ratio": MAX_RATIO}
                )
            total += entry.file_size
        if total > MAX_TOTAL_BYTES:
            raise UnsafeFile(_("文件结构异常（解压后总大小超过 100 MB），已拒绝。"))
        if required not in archive.namelist():
            raise UnsafeFile(
                _("文件不是有效的 %(label)s 文件：缺少 %(part)s。") % {"label": label, "part": required}
            )
        for entry in entries:
            if entry.filename.lower().endswith((".xml", ".rels", ".vml")) and _declares_markup(
                archive, entry
            ):
                raise UnsafeFile(
                    _("文件包含不安全的实体或文档类型声明（XML），已拒绝。请另存为 %(label)s 后再上传。")
                    % {"label": label}
                )
    fileobj.seek(0)


# Office XML never declares a document type or entities; a part that does is an entity trick
# ("billion laughs", external entities). Refused here whatever XML parser openpyxl or python-docx
# uses afterwards (with lxml installed, openpyxl no longer goes through defusedxml).
MARKUP_DECLARATIONS = (b"<!doctype", b"<!entity")


def _declares_markup(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    tail = b""
    with archive.open(entry) as part:
        while chunk := part.read(1 << 20):
            window = (tail + chunk).lower()
            if any(word in window for word in MARKUP_DECLARATIONS):
                return True
            tail = window[-16:]
    return False


def open_xlsx(fileobj: IO[bytes], *, read_only: bool = True):
    """A checked workbook, formulas kept as formulas (never evaluated, never their cached values).

    `read_only=False` gives merged-cell ranges, for tables of a few thousand rows.
    """
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_ooxml(fileobj, XLSX)
    try:
        return load_workbook(fileobj, read_only=read_only, data_only=False)
    except (*READ_ERRORS, InvalidFileException) as error:
        raise UnsafeFile(unreadable_message()) from error


# defusedxml raises ValueError on entity tricks; a missing part raises KeyError; damaged XML a
# ParseError (a SyntaxError, not a ValueError); a damaged compressed stream zlib.error or BadZipFile.
READ_ERRORS = (ValueError, KeyError, ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError)


def unreadable_message() -> str:
    return _("无法读取该 Excel 文件，文件可能已损坏或包含不安全的内容。")


def iter_rows(sheet, **kwargs) -> Iterator[tuple]:
    """`sheet.iter_rows(**kwargs)`, but damage found while reading is an `UnsafeFile`.

    A read-only workbook parses its sheets lazily: a file damaged half-way opens fine and breaks
    on row 1,500. Every importer iterates through this, so such a file gets the same message.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        yield from sheet.iter_rows(**kwargs)
    except (*READ_ERRORS, InvalidFileException) as error:
        raise UnsafeFile(unreadable_message()) from error
