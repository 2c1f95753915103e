from django.urls import path

from funds import views

app_name = "funds"

urlpatterns = [
    path("funds/", views.FundListView.as_view(), name="fund_list"),
    path("funds/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path("funds/<int:pk>/edit/", views.CommitmentUpdateView.as_view(), name="commitment_edit"),
    path("funds/<int:pk>/pay/", views.DisbursementCreateView.as_view(), name="disbursement_create"),
    path("funds/<int:pk>/confirm/", views.ArrivalConfirmView.as_view(), name="arrival_confirm"),
    path("funds/<int:pk>/submit-list/", views.SubmitListView.as_view(), name="use_list_submit"),
    path("funds/<int:pk>/use-projects/new/", views.UseProjectCreateView.as_view(), name="use_project_create"),
    path("funds/use-projects/", views.FundUseProjectListView.as_view(), name="use_project_list"),
    path("funds/use-projects/<int:pk>/edit/", views.UseProjectUpdateView.as_view(), name="use_project_edit"),
    path(
        "funds/disbursements/<int:pk>/reverse/",
        views.ReverseDisbursementView.as_view(),
        name="disbursement_reverse",
    ),
    path("funds/disbursements/<int:pk>/evidence/", views.evidence_download, name="evidence_download"),
]
