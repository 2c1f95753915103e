"""Celery tasks of the reports app: thin wrappers around plain functions (tests call those)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone, translation

from .assessment.service import run_export


@shared_task(name="reports.export_assessment", acks_late=True)
def export_assessment(export_id: int) -> str:
    """Build the assessment workbook of one AssessmentExport row (primary key as keyword argument)."""
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        return run_export(export_id)
