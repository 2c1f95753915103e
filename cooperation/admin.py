from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit, User


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "region"]
    list_filter = ["kind", "region__level"]
    search_fields = ["name", "short_name", "region__name"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active", "is_superuser", "last_login"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("单位与角色"), {"fields": ["full_name", "unit", "role", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("单位与角色"), {"fields": ["full_name", "unit", "role"]}),
    ]


class ChildPairingInline(admin.TabularInline):
    model = Pairing
    fk_name = "parent"
    fields = ["name", "kind", "coastal_region", "mountain_region", "status"]
    extra = 0
    show_change_link = True
    autocomplete_fields = ["coastal_region", "mountain_region"]


@admin.register(Pairing)
class PairingAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "kind",
        "coastal_region",
        "mountain_region",
        "start_year",
        "end_year",
        "status",
        "parent",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["name", "coastal_region__name", "mountain_region__name"]
    autocomplete_fields = [
        "coastal_region",
        "mountain_region",
        "coastal_liaison",
        "mountain_liaison",
        "parent",
        "units",
    ]
    list_select_related = ["coastal_region", "mountain_region", "parent"]
    inlines = [ChildPairingInline]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["doc_number", "title", "kind", "issuers", "issued"]
    list_filter = ["kind", "issued"]
    search_fields = ["doc_number", "title", "issuers", "full_text"]
    autocomplete_fields = ["pairings"]
    date_hierarchy = "issued"


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["date", "title", "kind", "pairing", "headcount"]
    list_filter = ["kind", "pairing"]
    search_fields = ["title", "place", "participants", "notes"]
    autocomplete_fields = ["pairing", "units"]
    date_hierarchy = "date"
    list_select_related = ["pairing"]
