"""Bad files for the responsibility-table import: each gets a clear message and nothing is written.

Every case goes through the reader (tasks/importing/table.read_task_table) and through the upload
page as wz_liaison would send it; the page must answer with the message and leave every table as
it was.
"""

from __future__ import annotations

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.importing.table import read_task_table

from .data.task_tables import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    WORKBOOK_ENTITY,
    encrypted_workbook,
    named,
    replace_part,
    table,
    zip_bomb,
)
from .test_plan_import import counts

HEADER = ["序号", "任务", "事项", "责任单位"]
GOOD_ROW = ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委"]


def good_bytes() -> bytes:
    return table([HEADER, GOOD_ROW]).getvalue()


def empty_workbook() -> io.BytesIO:
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    buffer.seek(0)
    buffer.name = "空白.xlsx"
    return buffer


CASES = {
    "renamed_text": (
        lambda: named("序号,任务,事项,责任单位\n1,推进产业项目合作,…,市经信委\n".encode(), "责任分解表.xlsx"),
        "文件不是有效的 Excel（.xlsx） 文件，请另存为 Excel（.xlsx） 后再上传。",
    ),
    "encrypted": (
        lambda: named(encrypted_workbook(), "加密.xlsx"),
        "文件已加密（设置了打开密码）或是旧版 Office 格式，请取消密码并另存为 Excel（.xlsx） 后再上传。",
    ),
    "empty_workbook": (empty_workbook, "工作簿是空的：没有任何填写了内容的单元格。"),
    "no_header": (
        lambda: table([["会议纪要"], ["一、推进产业项目合作", "市经信委"]]),
        "在前 10 行中没有找到表头：需要“任务”（或“重点任务”“工作任务”）或“事项”",
    ),
    "header_only": (lambda: table([["附件2"], HEADER]), "第 2 行是表头，但下面没有任务或事项"),
    "formula_cells": (
        lambda: table([HEADER, ["1", "推进产业项目合作", None, "市经信委"]], formulas={"C2": "=LEN(B2)"}),
        "第 2 行，事项：单元格是公式（=LEN(B2)）。导入不计算公式，也不读取其缓存结果，请把它改为文字后重新上传",
    ),
    "billion_laughs_in_sheet": (
        lambda: replace_part(good_bytes(), "xl/worksheets/sheet1.xml", BILLION_LAUGHS),
        "文件包含不安全的实体或文档类型声明（XML），已拒绝。",
    ),
    "external_entity_in_sheet": (
        lambda: replace_part(good_bytes(), "xl/worksheets/sheet1.xml", EXTERNAL_ENTITY),
        "文件包含不安全的实体或文档类型声明（XML），已拒绝。",
    ),
    "entities_in_workbook_part": (
        lambda: replace_part(good_bytes(), "xl/workbook.xml", WORKBOOK_ENTITY),
        "文件包含不安全的实体或文档类型声明（XML），已拒绝。",
    ),
    "zip_bomb": (lambda: zip_bomb(good_bytes()), "压缩比超过 100:1，可能是压缩炸弹"),
    "damaged_half_way": (
        # A long table cut off in the middle of its sheet XML: it opens, and breaks on row ~1,500.
        lambda: replace_part(
            table([HEADER] + [[str(i), f"任务{i}", "1. 事项。", "市经信委"] for i in range(3000)]).getvalue(),
            "xl/worksheets/sheet1.xml",
            None,
        ),
        "无法读取该 Excel 文件，文件可能已损坏或包含不安全的内容。",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_reader_refuses_with_a_clear_message(case):
    make, message = CASES[case]
    result = read_task_table(make())
    assert not result.ok
    assert any(message in e for e in result.errors), result.errors


def test_the_hostile_parts_replace_real_parts_of_the_workbook():
    names = zipfile.ZipFile(io.BytesIO(good_bytes())).namelist()
    assert {"xl/worksheets/sheet1.xml", "xl/workbook.xml"} <= set(names)


def test_a_file_over_the_configured_limit_is_refused_by_the_reader(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = named(good_bytes() + os.urandom(1300 * 1024), "大.xlsx")
    result = read_task_table(big)
    assert result.errors == ["文件为 1.3 MB，超过 1 MB 的上限，未做任何修改。"]


def test_the_default_limit_is_ten_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 10 * 1024 * 1024


# --- through the page -----------------------------------------------------------------------------


def upload_url(pairing) -> str:
    return reverse("task_import:upload", args=[pairing.pk])


def post_file(client, pairing, buffer, name=None):
    data = buffer.getvalue() if hasattr(buffer, "getvalue") else buffer.read()
    upload = SimpleUploadedFile(name or getattr(buffer, "name", "表.xlsx"), data)
    return client.post(upload_url(pairing), {"file": upload})


@pytest.mark.parametrize("case", list(CASES))
def test_the_page_shows_the_message_and_writes_nothing(client_for, demo, case):
    make, message = CASES[case]
    before = counts()
    response = post_file(client_for("wz_liaison"), demo["wz"], make())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_a_text_file_named_xls_or_csv_is_refused_by_type(client_for, demo):
    response = post_file(client_for("wz_liaison"), demo["wz"], named(b"1,2,3", "table.csv"))
    assert response.status_code == 400
    assert "不支持的文件类型“.csv”：请上传 Excel 工作簿（.xlsx）" in response.content.decode()


def test_an_empty_file_is_refused(client_for, demo):
    response = post_file(client_for("wz_liaison"), demo["wz"], named(b"", "空.xlsx"))
    assert response.status_code == 400
    assert "提交的文件为空" in response.content.decode() or "是空文件" in response.content.decode()


def test_a_file_over_the_limit_gets_413_from_the_form_and_from_the_middleware(client_for, demo, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    before = counts()
    client = client_for("wz_liaison")
    # Over the limit but within the multipart allowance: the form answers.
    response = post_file(client, demo["wz"], named(good_bytes() + os.urandom(1300 * 1024), "大.xlsx"))
    assert response.status_code == 413
    assert "MB，超过 1 MB 的上限" in response.content.decode()
    # Far over: the middleware answers before the body is read.
    response = post_file(client, demo["wz"], named(os.urandom(2600 * 1024), "很大.xlsx"))
    assert response.status_code == 413 and "超过 1 MB 的上限，未做任何修改" in response.content.decode()
    assert counts() == before
