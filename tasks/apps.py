import datetime

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("任务")

    def ready(self) -> None:
        from cooperation.models import Activity
        from tasks import fulfilment

        # (weak=False: the receivers below are local functions, held by nothing else.)
        # An activity added, moved or removed re-judges the pairing's activity-kept periods of the
        # years it touches (its old year too, read from the row before the save).
        def activity_changed(sender, instance, raw=False, **kwargs):
            if raw:
                return
            date = instance.date
            if isinstance(date, str):  # saved from raw input (a serializer's validated string)
                date = datetime.date.fromisoformat(date[:10])
            years = {date.year}
            before = getattr(instance, "_fulfilment_year_before", None)
            if before:
                years.add(before)
            fulfilment.sync_activity_tasks(instance.pairing_id, years)

        def remember_year(sender, instance, **kwargs):
            if instance.pk:
                instance._fulfilment_year_before = (
                    Activity.objects.filter(pk=instance.pk).values_list("date__year", flat=True).first()
                )

        from django.db.models.signals import pre_save

        pre_save.connect(
            remember_year, sender=Activity, weak=False, dispatch_uid="tasks.fulfilment.activity_before"
        )
        post_save.connect(
            activity_changed, sender=Activity, weak=False, dispatch_uid="tasks.fulfilment.activity"
        )
        post_delete.connect(
            activity_changed, sender=Activity, dispatch_uid="tasks.fulfilment.activity_deleted"
        )

        # The filter forms keep their area options in the cache under the scope token
        # (tasks/filtersets.py FastSelect; units and pairings change it in cooperation/apps.py).
        from core import freshness
        from tasks.models import Area

        def areas_changed(sender, **kwargs):
            freshness.changed(freshness.SCOPE)

        post_save.connect(areas_changed, sender=Area, weak=False, dispatch_uid="tasks.options.area_saved")
        post_delete.connect(areas_changed, sender=Area, weak=False, dispatch_uid="tasks.options.area_deleted")
