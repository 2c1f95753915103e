"""Fixtures of the tasks tests: the demo's real tasks of 晋政文〔2024〕102号 and small evidence files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tasks.demo import PDF, PNG


@pytest.fixture
def fund(demo):
    """三、（四）: 晋江市每年4月底前安排山海协作专项资金1200万元 — a Jinjiang unit's task (晋江市财政局)."""
    from tasks.models import Task

    return Task.objects.get(pairing=demo["jy"], title__startswith="落实帮扶资金")


@pytest.fixture
def photo():
    def make(name: str = "交流活动现场照片.png"):
        return SimpleUploadedFile(name, PNG, content_type="image/png")

    return make


@pytest.fixture
def pdf():
    def make(name: str = "协议.pdf"):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return make
