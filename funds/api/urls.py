from rest_framework.routers import SimpleRouter

from funds.api import views

router = SimpleRouter()
router.register("fund-commitments", views.FundCommitmentViewSet, basename="fund-commitment")
router.register("disbursements", views.DisbursementViewSet, basename="disbursement")
router.register("arrival-confirmations", views.ArrivalConfirmationViewSet, basename="arrival-confirmation")
router.register("fund-use-projects", views.FundUseProjectViewSet, basename="fund-use-project")

urlpatterns = router.urls
