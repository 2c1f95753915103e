from rest_framework.routers import SimpleRouter

from indicators.api import views

router = SimpleRouter()
router.register("indicator-definitions", views.IndicatorDefinitionViewSet, basename="indicator-definition")
router.register("region-indicators", views.RegionIndicatorViewSet, basename="region-indicator")

urlpatterns = router.urls
