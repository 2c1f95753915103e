"""Pages of the plan-text import's preview and confirm step (included by shanhai/urls.py under the "plans" namespace)."""

from __future__ import annotations

from django.urls import path

from tasks.importing import plan_views

app_name = "plans"

urlpatterns = [
    path("pairings/<int:pk>/plans/import/", plan_views.PlanImportView.as_view(), name="plan_import"),
]
