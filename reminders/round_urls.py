"""Routes of reporting rounds (报送轮次); included by shanhai/urls.py under the namespace "rounds"."""

from __future__ import annotations

from django.urls import path

from reminders import round_views as views

app_name = "rounds"

urlpatterns = [
    path("pairings/<int:pairing_id>/rounds/", views.round_list, name="round_list"),
    path("pairings/<int:pairing_id>/rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/remind/", views.round_remind, name="round_remind"),
    path("rounds/<int:pk>/declare/", views.round_declare, name="round_declare"),
]
