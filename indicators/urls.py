from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/entry/", views.IndicatorEntryView.as_view(), name="indicator_entry"),
    path("indicators/import/", views.IndicatorImportView.as_view(), name="indicator_import"),
]
