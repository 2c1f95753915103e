from django.urls import path

from . import views

app_name = "reports"

# `dashboard` belongs to the reports issue that follows; it is deliberately not defined here.
urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/entry/", views.IndicatorEntryView.as_view(), name="indicator_entry"),
    path("indicators/import/", views.IndicatorImportView.as_view(), name="indicator_import"),
]
