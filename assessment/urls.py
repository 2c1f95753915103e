"""Pages of the annual assessment export (app_name "assessment"; included by shanhai/urls.py)."""

from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("assessment/", views.export_form, name="export_form"),
    path("assessment/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("assessment/exports/<int:pk>/status/", views.export_status, name="export_status"),
    path("assessment/exports/<int:pk>/download/", views.export_download, name="export_download"),
    path("assessment/selfreport/<int:pk>/", views.selfreport, name="selfreport"),
    path("assessment/schemes/", views.scheme_list, name="scheme_list"),
    path("assessment/schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("assessment/schemes/<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
]
