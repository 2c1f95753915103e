from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("提醒与督办")

    def ready(self) -> None:
        from reminders import workflow
        from tasks.signals import report_event

        # The report workflow tells the people concerned (tasks sits below reminders).
        report_event.connect(workflow.report_event, dispatch_uid="reminders.workflow.report")
