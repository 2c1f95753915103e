"""The shared checks every importer runs before parsing an uploaded Office file."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from core.officefiles import DOCX, OLE_SIGNATURE, UnsafeFile, check_ooxml, open_xlsx


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["地区", "指标", "年份"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_a_real_workbook_opens_with_formulas_unevaluated():
    workbook = Workbook()
    workbook.active["A1"] = "=1+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = open_xlsx(io.BytesIO(buffer.getvalue()), read_only=False).active
    assert sheet["A1"].data_type == "f" and sheet["A1"].value == "=1+1"


@pytest.mark.parametrize(
    "data, message",
    [
        (io.BytesIO(b"just text renamed to .xlsx"), "不是有效的 Excel"),
        (io.BytesIO(OLE_SIGNATURE + b"\x00" * 512), "已加密"),
        (zip_of({"hello.txt": b"x"}), "缺少 xl/workbook.xml"),
        (zip_of({"../../etc/passwd": b"x", "xl/workbook.xml": b"<x/>"}), "不安全的路径"),
        (zip_of({"xl/workbook.xml": b"<x/>", "xl/bomb.xml": b"\0" * (20 * 1024 * 1024)}), "压缩炸弹"),
        (zip_of({f"xl/{i}.xml": b"" for i in range(600)} | {"xl/workbook.xml": b"<x/>"}), "条目"),
    ],
)
def test_bad_files_are_refused_before_parsing(data, message):
    with pytest.raises(UnsafeFile) as info:
        open_xlsx(data)
    assert message in str(info.value)


def test_an_entity_bomb_is_refused_by_defusedxml():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    entries = {name: good.read(name) for name in good.namelist()}
    entries["xl/workbook.xml"] = bomb
    with pytest.raises(UnsafeFile) as info:
        open_xlsx(zip_of(entries))
    assert "不安全" in str(info.value)


def test_a_workbook_is_not_a_word_document():
    with pytest.raises(UnsafeFile) as info:
        check_ooxml(io.BytesIO(xlsx_bytes()), DOCX)
    assert "Word" in str(info.value)
