from django.urls import path

from tasks import views

app_name = "tasks"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/mine/", views.MyTasksView.as_view(), name="my_tasks"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path("tasks/<int:pk>/edit/", views.TaskUpdateView.as_view(), name="task_edit"),
    path("tasks/plan/<int:pk>/", views.PlanTreeView.as_view(), name="plan_tree"),
    path("tasks/plan/<int:pairing_pk>/new/", views.TaskCreateView.as_view(), name="task_create"),
    path("tasks/plan/<int:pk>/lock/", views.year_lock, name="year_lock"),
    path("tasks/periods/<int:pk>/status/", views.period_status, name="period_status"),
    path("tasks/periods/<int:period_pk>/reports/new/", views.report_save, name="report_create"),
    path("tasks/periods/<int:period_pk>/reports/<int:pk>/", views.report_save, name="report_update"),
    path("tasks/reports/bulk-review/", views.report_bulk_review, name="report_bulk_review"),
    path("tasks/reports/<int:pk>/<str:action>/", views.report_action, name="report_action"),
    path("tasks/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
