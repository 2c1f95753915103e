from django.urls import path
from rest_framework.routers import SimpleRouter

from cooperation.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("units", views.UnitViewSet, basename="unit")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("documents", views.PolicyDocumentViewSet, basename="document")
router.register("activities", views.ActivityViewSet, basename="activity")

urlpatterns = [path("me/", views.MeView.as_view(), name="api-me"), *router.urls]
