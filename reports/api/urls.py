from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .dashboard import DashboardView

router = SimpleRouter()
router.register("indicator-definitions", views.IndicatorDefinitionViewSet, basename="indicator-definition")
router.register("region-indicators", views.RegionIndicatorViewSet, basename="region-indicator")

urlpatterns = [path("dashboard/", DashboardView.as_view(), name="api-dashboard"), *router.urls]
