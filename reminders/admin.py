from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reminders.models import (
    Notification,
    OutboxMessage,
    Preference,
    ReminderLedger,
    ReminderPolicy,
    ReportingRound,
    RoundEntry,
    UrgingNotice,
)


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "days_before", "overdue_every", "working_days", "catch_up_days"]
    search_fields = ["pairing__name"]
    autocomplete_fields = ["pairing"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "muted", "frequency"]
    list_filter = ["muted", "frequency"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(ReminderLedger)
class ReminderLedgerAdmin(admin.ModelAdmin):
    list_display = ["created", "recipient", "summary", "due", "offset", "pairing"]
    list_filter = ["pairing"]
    search_fields = ["summary", "recipient__username", "item_key"]
    date_hierarchy = "created"


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "user", "title", "read_at"]
    search_fields = ["title", "user__username"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["digest_date", "channel", "user", "unit", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["channel", "status"]
    search_fields = ["user__username", "unit__name", "last_error"]
    date_hierarchy = "digest_date"


@admin.register(UrgingNotice)
class UrgingNoticeAdmin(SimpleHistoryAdmin):
    list_display = ["issued_on", "level", "unit", "summary", "status", "escalated_on", "pairing"]
    list_filter = ["level", "status", "pairing"]
    search_fields = ["summary", "unit__name", "item_key"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "pairing", "year", "opened_on", "due_date"]
    list_filter = ["pairing", "year"]
    search_fields = ["name"]


@admin.register(RoundEntry)
class RoundEntryAdmin(SimpleHistoryAdmin):
    list_display = ["round", "unit", "declared_by", "at"]
    search_fields = ["round__name", "unit__name"]
