from rest_framework.routers import SimpleRouter

from parks.api import views

router = SimpleRouter()
router.register("parks", views.ParkViewSet, basename="park")
router.register("park-plans", views.ParkInvestmentPlanViewSet, basename="park-plan")
router.register("projects", views.ProjectViewSet, basename="project")

urlpatterns = router.urls
