"""Responsibility tables and bad files for the task-import tests, built in memory.

* ``table(rows, merges=…)``: a real .xlsx (openpyxl) whose first sheet holds ``rows``;
* ``encrypted_workbook()``: what Excel writes for a workbook with an open password — an OLE
  compound file (CFB v3) holding the streams EncryptionInfo and EncryptedPackage;
* ``replace_part(data, name, xml)``: a workbook with one of its parts swapped (entity tricks);
* ``zip_bomb()``: a workbook whose sheet XML inflates 20 MB from a few KB.
"""

from __future__ import annotations

import io
import struct
import zipfile


def table(rows, *, merges=(), title="责任分解表", name="责任分解表.xlsx", formulas=None, extra_sheets=()):
    """A workbook: ``rows`` on the first sheet (None = empty cell), ``merges`` like "A3:A5"."""
    from openpyxl import Workbook

    workbook = Workbook()
    for sheet_name, sheet_rows in extra_sheets:
        extra = workbook.create_sheet(sheet_name, 0)
        for row in sheet_rows:
            extra.append(row)
    sheet = workbook.worksheets[len(extra_sheets)]
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for merged in merges:
        sheet.merge_cells(merged)
    for coordinate, formula in (formulas or {}).items():
        sheet[coordinate] = formula  # a live formula cell, as Excel stores "=…"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def named(data: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(data)
    buffer.name = name
    return buffer


# --- an encrypted workbook: a CFB (OLE2) container ---------------------------------------------

END, FREE, FATSECT, NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, child=NOSTREAM, right=NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NOSTREAM, right, child)
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def encrypted_workbook() -> bytes:
    """A minimal but well-formed compound file, laid out as Office writes a password-protected .xlsx.

    Sector 0: the FAT; sector 1: the directory (root, EncryptionInfo, EncryptedPackage); sectors
    2–9 and 10–17: the two streams (4096 bytes each, at the mini-stream cutoff, so in regular sectors).
    """
    info = (
        struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption xmlns="http://schemas'
        b'.microsoft.com/office/2006/encryption"/>'
    ).ljust(4096, b"\0")
    package = struct.pack("<Q", 12345) + bytes(range(256)) * 15
    package = package.ljust(4096, b"\x5a")
    fat = [FATSECT, END, *range(3, 10), END, *range(11, 18), END]
    fat += [FREE] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, 1, 1, 0)  # directory sectors (v3: 0), FAT sectors, first dir sector, txn
        + struct.pack("<IIIII", 4096, END, 0, END, 0)  # mini cutoff, mini FAT, count, DIFAT, count
        + struct.pack("<I", 0)  # the FAT is sector 0
        + struct.pack("<I", FREE) * 108
    )
    directory = (
        _dir_entry("Root Entry", 5, END, 0, child=1)
        + _dir_entry("EncryptionInfo", 2, 2, len(info), right=2)
        + _dir_entry("EncryptedPackage", 2, 10, len(package))
        + _dir_entry("", 0, 0, 0)
    )
    data = header + struct.pack("<128I", *fat) + directory + info + package
    assert len(header) == 512 and len(data) == 512 * 19
    return data


# --- hostile archives --------------------------------------------------------------------------


def replace_part(data: bytes, part: str, content: bytes | None) -> io.BytesIO:
    """The workbook ``data`` with ``part`` replaced by ``content`` (None: its first half only)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            original = source.read(item.filename)
            if item.filename == part:
                original = original[: len(original) // 2] if content is None else content
            target.writestr(item.filename, original)
    buffer.seek(0)
    buffer.name = "责任分解表.xlsx"
    return buffer


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)
WORKBOOK_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
)


def zip_bomb(data: bytes) -> io.BytesIO:
    """The workbook ``data`` with its sheet replaced by 20 MB of rows that deflate to a few KB."""
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"0" * 1000 + b"</t></is></c></row>"
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + row * 20000 + b"</sheetData></worksheet>"
    )
    return replace_part(data, "xl/worksheets/sheet1.xml", sheet)
