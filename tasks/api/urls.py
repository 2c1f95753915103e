from rest_framework.routers import SimpleRouter

from tasks.api import views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("task-periods", views.TaskPeriodViewSet, basename="task-period")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")

urlpatterns = router.urls
