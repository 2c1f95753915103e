from django.urls import path

from dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/pairings/<int:pk>/", views.pairing_dashboard, name="pairing_dashboard"),
]
