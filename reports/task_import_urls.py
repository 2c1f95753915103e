"""Pages of the responsibility-table import (issue 6), included by shanhai/urls.py when present."""

from __future__ import annotations

from django.urls import path

from . import task_import_views as views

app_name = "task_import"

urlpatterns = [
    path("pairings/<int:pk>/task-import/", views.TaskImportView.as_view(), name="upload"),
    path("pairings/<int:pk>/task-import/confirm/", views.TaskImportConfirmView.as_view(), name="confirm"),
    path("pairings/<int:pk>/task-import/template.xlsx", views.TaskTemplateView.as_view(), name="template"),
]
