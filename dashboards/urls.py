from django.urls import path

from dashboards import views, workbench

app_name = "dashboards"

urlpatterns = [
    path("workbench/", workbench.workbench, name="workbench"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/pairings/<int:pk>/", views.pairing_dashboard, name="pairing_dashboard"),
]
