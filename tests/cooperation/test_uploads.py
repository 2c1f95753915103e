"""Upload checks shared by every app that takes evidence files."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import validate_upload

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_real_pdf_is_accepted():
    validate_upload(SimpleUploadedFile("协议文本.pdf", PDF))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("脚本.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("改名.pdf", b"<html><script>alert(1)</script>", "内容与扩展名"),
        ("照片.png", b"\xff\xd8\xff\xe0 jpeg pretending", "内容与扩展名"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(name, content, message):
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile(name, content))
    assert message in info.value.messages[0]


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile("大.pdf", PDF + b"0" * 2048))
    assert "上限" in info.value.messages[0] and "大.pdf" in info.value.messages[0]


@pytest.mark.django_db
def test_an_oversized_request_gets_413_before_it_is_read(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    body = b"x" * (3 * 1024 * 1024)
    response = client.generic("POST", "/api/v1/activities/", body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "上限" in response.json()["detail"]
    page = client.generic("POST", "/accounts/login/", body, content_type="application/octet-stream")
    assert page.status_code == 413 and "上限" in page.content.decode()
