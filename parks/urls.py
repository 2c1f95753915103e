from django.urls import path

from parks import views

app_name = "parks"

urlpatterns = [
    path("parks/", views.ParkListView.as_view(), name="park_list"),
    path("parks/import/", views.PlanImportView.as_view(), name="plan_import"),
    path("parks/<int:pk>/", views.ParkDetailView.as_view(), name="park_detail"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project_edit"),
    path("projects/<int:pk>/investments/", views.InvestmentRecordView.as_view(), name="investment_record"),
    path("park-plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_edit"),
]
