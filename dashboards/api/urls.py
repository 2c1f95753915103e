from django.urls import path

from dashboards.api.views import DashboardView

urlpatterns = [path("dashboard/", DashboardView.as_view(), name="api-dashboard")]
