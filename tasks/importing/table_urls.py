"""Pages of the responsibility-table import, included by shanhai/urls.py."""

from __future__ import annotations

from django.urls import path

from tasks.importing import table_views as views

app_name = "task_import"

urlpatterns = [
    path("pairings/<int:pk>/task-import/", views.TaskImportView.as_view(), name="upload"),
    path("pairings/<int:pk>/task-import/confirm/", views.TaskImportConfirmView.as_view(), name="confirm"),
    path("pairings/<int:pk>/task-import/template.xlsx", views.TaskTemplateView.as_view(), name="template"),
]
