"""Uploaded files (report evidence, payment vouchers) are reached only through views that check who
asks, never through a raw /media/ URL: no answer names one, and /media/ serves nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.discovery import app_modules

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


@pytest.fixture
def voucher(demo, users):
    from funds import services
    from funds.models import FundCommitment
    from tasks.demo import PDF

    return services.record_disbursement(
        FundCommitment.objects.get(pairing=demo["jy"], year=2026),
        user=users["admin"],
        date=date(2026, 4, 21),
        amount=Decimal("500000"),
        voucher_no="PZ-2026-002",
        evidence=SimpleUploadedFile("拨付凭证.pdf", PDF, content_type="application/pdf"),
    )


def signed_in(users, username: str) -> Client:
    client = Client()
    client.force_login(users[username])
    return client


def test_a_payment_answer_names_the_checked_download_not_the_file(users, voucher):
    response = signed_in(users, "yx_liaison").get(f"/api/v1/disbursements/{voucher.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert "/media/" not in response.content.decode()
    assert body["evidence_url"] == f"/api/v1/disbursements/{voucher.pk}/evidence/"
    assert body["evidence_name"] == "拨付凭证.pdf"


def test_the_voucher_downloads_for_who_may_see_the_payment_and_no_one_else(users, voucher):
    url = f"/api/v1/disbursements/{voucher.pk}/evidence/"
    allowed = signed_in(users, "yx_liaison").get(url)
    assert allowed.status_code == 200
    assert "attachment" in allowed["Content-Disposition"]
    assert b"".join(allowed.streaming_content).startswith(b"%PDF")
    assert signed_in(users, "wz_liaison").get(url).status_code == 404
    assert Client().get(url).status_code in (401, 403)


def test_the_media_folder_serves_nothing_even_to_the_administrator(users, voucher):
    stored = f"/media/{voucher.evidence.name}"
    assert signed_in(users, "admin").get(stored).status_code == 404
    assert Client().get(stored).status_code == 404


def test_no_api_list_names_a_media_url(users, voucher):
    """Every list endpoint of every app, as the administrator who sees everything."""
    client = signed_in(users, "admin")
    lists = [
        reverse(f"{basename}-list")
        for module in app_modules("api.urls")
        if hasattr(module, "router")
        for _prefix, _viewset, basename in module.router.registry
    ]
    assert "/api/v1/disbursements/" in lists
    offenders = [url for url in lists if "/media/" in client.get(url).content.decode()]
    assert offenders == []


def test_no_template_links_a_file_by_its_storage_url():
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        for marker in ("MEDIA_URL", ".file.url", "evidence.url", "/media/")
        if marker in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
