from django.urls import path

from . import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/pairings/<int:pk>/", dashboard_views.pairing_dashboard, name="pairing_dashboard"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/entry/", views.IndicatorEntryView.as_view(), name="indicator_entry"),
    path("indicators/import/", views.IndicatorImportView.as_view(), name="indicator_import"),
]
