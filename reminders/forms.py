from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reminders.models import Preference, ReminderPolicy


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["muted", "frequency"]


class PolicyForm(forms.ModelForm):
    days_before = forms.CharField(
        label=gettext_lazy("提前提醒天数"),
        help_text=gettext_lazy("用逗号分隔，如 30,7,1,0（0 表示到期当天）"),
    )

    class Meta:
        model = ReminderPolicy
        fields = [
            "days_before",
            "overdue_every",
            "working_days",
            "catch_up_days",
            "prompt_workdays",
            "urge_after_days",
            "sign_within_days",
            "reply_within_days",
            "escalate_after_days",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["days_before"] = ",".join(str(d) for d in self.instance.days_before)

    def clean_days_before(self) -> list[int]:
        raw = self.cleaned_data["days_before"].replace("，", ",")
        try:
            days = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
        except ValueError:
            raise forms.ValidationError(_("请填写用逗号分隔的整数，如 30,7,1,0。")) from None
        if not days or any(d < 0 or d > 365 for d in days):
            raise forms.ValidationError(_("天数应在 0 到 365 之间。"))
        return days

    def clean(self):
        data = super().clean()
        urge, escalate = data.get("urge_after_days"), data.get("escalate_after_days")
        if urge is not None and escalate is not None and escalate <= urge:
            self.add_error("escalate_after_days", _("督办的逾期天数应大于催办的逾期天数。"))
        return data
