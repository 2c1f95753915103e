from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from funds.models import ArrivalConfirmation, Disbursement, FundCommitment, FundRule, FundUseProject


@admin.register(FundRule)
class FundRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "pairing",
        "purpose",
        "amount",
        "due_text",
        "use_list_due_text",
        "first_year",
        "last_year",
    ]
    list_select_related = ["pairing"]
    autocomplete_fields = ["pairing", "payer_region", "receiver_region", "payer_unit", "receiver_unit"]


class UseProjectInline(admin.TabularInline):
    model = FundUseProject
    extra = 0


@admin.register(FundCommitment)
class FundCommitmentAdmin(SimpleHistoryAdmin):
    list_display = [
        "pairing",
        "year",
        "purpose",
        "amount",
        "paid_total",
        "confirmed_total",
        "due",
        "due_text",
    ]
    list_filter = ["year"]
    search_fields = ["purpose", "pairing__name"]
    list_select_related = ["pairing"]
    readonly_fields = ["paid_total", "confirmed_total"]
    autocomplete_fields = ["pairing", "payer_region", "receiver_region", "payer_unit", "receiver_unit"]
    inlines = [UseProjectInline]


class LedgerAdmin(SimpleHistoryAdmin):
    """Ledger rows are written by funds.services only: the admin shows them read-only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Disbursement)
class DisbursementAdmin(LedgerAdmin):
    list_display = ["commitment", "kind", "date", "amount", "voucher_no", "recorded_by"]
    list_select_related = ["commitment__pairing", "recorded_by"]


@admin.register(ArrivalConfirmation)
class ArrivalConfirmationAdmin(LedgerAdmin):
    list_display = ["commitment", "date", "amount", "confirmed_by", "unit"]
    list_select_related = ["commitment__pairing", "confirmed_by", "unit"]


@admin.register(FundUseProject)
class FundUseProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "commitment", "kind", "planned_amount", "spent_amount", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    list_select_related = ["commitment__pairing"]
