"""The bad-input corpus: files and values that have broken this kind of stack, built at test time.

Nothing here is a committed binary: every file is made by the functions below from a few bytes
or with openpyxl, so the corpus is readable and small in the repository. Each builder returns the
bytes of one file; `FILES` names the cases shared by every upload endpoint.

See /work/shared/RELIABILITY.md ("Excel in and out") for why each case is here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from openpyxl import Workbook

# The first bytes of an OLE2 compound file: what an Office file encrypted with an "open" password
# (or an old .xls/.doc) is. Real encrypted .xlsx files start exactly like this.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --------------------------------------------------------------------------------------------
# Well-formed files to start from
# --------------------------------------------------------------------------------------------


def xlsx(rows: list[list], *, title: str = "Sheet1", merges: tuple[str, ...] = (), tweak=None) -> bytes:
    """A real workbook whose first sheet holds `rows`; `merges` like "A1:C1"; `tweak(ws)` spoils cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    if tweak:
        tweak(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx(paragraphs: list[str]) -> bytes:
    """A minimal .docx (only what the plan reader needs: word/document.xml)."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return zip_of(
        {"[Content_Types].xml": b'<?xml version="1.0"?><Types/>', "word/document.xml": xml.encode()}
    )


def zip_of(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def entries_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def plain_xlsx() -> bytes:
    return xlsx([["地区", "指标", "年份", "实际值"], ["尤溪县", "地区生产总值", 2024, 420]])


# --------------------------------------------------------------------------------------------
# Hostile or broken files (the shared corpus)
# --------------------------------------------------------------------------------------------


def text_renamed() -> bytes:
    """A text file someone renamed to .xlsx / .docx."""
    return "这是一个改了扩展名的文本文件，不是 Excel。\n".encode()


def pdf_renamed() -> bytes:
    return PDF


def renamed_zip() -> bytes:
    """A real zip (it starts with PK) with no workbook inside: e.g. an archive of photos renamed."""
    return zip_of({"photos/现场照片.txt": b"not an office file", "readme.txt": b"x"})


def encrypted() -> bytes:
    """An Office file with an open password: an OLE2 container, not a zip."""
    return OLE_SIGNATURE + b"\x00" * 504 + b"EncryptionInfo" + b"\x00" * 512


def empty() -> bytes:
    return b""


def billion_laughs_xlsx(part: str = "xl/workbook.xml") -> bytes:
    """A workbook whose `part` declares nested entities (the "billion laughs" expansion)."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE lolz [" + "".join(levels) + "]>"
    entries = entries_of(plain_xlsx())
    xml = entries[part].decode()
    # The entity declarations go after the XML declaration (openpyxl writes none for some parts).
    head, rest = (
        (xml[: xml.index("?>") + 2], xml[xml.index("?>") + 2 :]) if xml.startswith("<?xml") else ("", xml)
    )
    if part == "xl/workbook.xml":
        rest = rest.replace(
            "</workbook>",
            "<definedNames><definedName name='x'>&lol9;</definedName></definedNames></workbook>",
        )
    else:
        rest = rest.replace(
            "<sheetData>",
            '<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
            1,
        )
    entries[part] = (head + doctype + rest).encode()
    return zip_of(entries)


def billion_laughs_docx() -> bytes:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE lolz [{"".join(levels)}]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": xml.encode()})


def zip_bomb(required: str = "xl/workbook.xml") -> bytes:
    """20 MB of zeros that compress to ~20 KB (ratio ≈ 1000:1) beside the part that names the kind."""
    return zip_of({required: b"<x/>", f"{required.split('/')[0]}/bomb.xml": b"\0" * (20 * 1024 * 1024)})


def zip_bomb_docx() -> bytes:
    return zip_bomb("word/document.xml")


def broken_sheet_xml() -> bytes:
    """A workbook whose sheet XML is cut off in the middle (a half-copied or damaged file)."""
    entries = entries_of(plain_xlsx())
    entries["xl/worksheets/sheet1.xml"] = (
        f'<worksheet xmlns="{S_NS}"><sheetData><row r="1"><c r="A1"'.encode()
    )
    return zip_of(entries)


def broken_sheet_late(header=("地区", "指标", "年份", "实际值"), row=("尤溪县", "常住人口", 2024)) -> bytes:
    """A long sheet cut off half-way: a read-only reader opens it and breaks on row ~1,500."""
    entries = entries_of(xlsx([list(header)] + [[*row, i] for i in range(3000)]))
    sheet = entries["xl/worksheets/sheet1.xml"]
    entries["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]
    return zip_of(entries)


def broken_docx_xml() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document><w:body><w:p>"})


def unsafe_names(required: str = "xl/workbook.xml") -> bytes:
    return zip_of({"../../etc/cron.d/evil": b"* * * * * root id", required: b"<x/>"})


@dataclass(frozen=True)
class Case:
    """One file of the corpus: how to build it, and what the user must be told (a Chinese phrase;
    "a|b" when the pages and the commands word it differently)."""

    name: str
    build: Callable[[], bytes]
    message: str


# Every spreadsheet upload (park plan, indicators, task import) must refuse each of these,
# with this phrase in its message, before or while parsing, and change nothing.
XLSX_FILES = [
    # Pages compare the first bytes with the extension first; commands find no zip.
    Case("text_renamed", text_renamed, "内容与扩展名|不是有效的 Excel"),
    Case("pdf_renamed", pdf_renamed, "内容与扩展名|不是有效的 Excel"),
    Case("renamed_zip", renamed_zip, "缺少 xl/workbook.xml"),
    Case("encrypted", encrypted, "已加密"),
    # Pages say "空文件" before looking inside; the commands find no zip: "不是有效的 Excel".
    Case("empty", empty, "空文件|文件是空的|不是有效的 Excel"),
    Case("billion_laughs_workbook", billion_laughs_xlsx, "不安全"),
    Case("billion_laughs_sheet", lambda: billion_laughs_xlsx("xl/worksheets/sheet1.xml"), "不安全"),
    Case("zip_bomb", zip_bomb, "压缩炸弹"),
    Case("broken_sheet_xml", broken_sheet_xml, "损坏"),
    Case("broken_sheet_late", broken_sheet_late, "损坏"),
    Case("unsafe_names", unsafe_names, "不安全的路径"),
]

# The plan upload (.docx) and its cases.
DOCX_FILES = [
    Case("text_renamed", text_renamed, "不是有效的 Word"),
    Case("renamed_zip", lambda: renamed_zip(), "缺少 word/document.xml"),
    Case("encrypted", encrypted, "已加密"),
    Case("workbook_renamed", plain_xlsx, "缺少 word/document.xml"),
    Case("billion_laughs", billion_laughs_docx, "不安全的实体"),
    Case("zip_bomb", zip_bomb_docx, "压缩炸弹"),
    Case("broken_xml", broken_docx_xml, "XML 损坏"),
    Case("unsafe_names", lambda: unsafe_names("word/document.xml"), "不安全的路径"),
]

# --------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
# How the payload must appear in the HTML: escaped, never as a tag.
SCRIPT_ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
NUL = "进展\x00说明"
