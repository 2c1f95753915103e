from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("数据看板")

    def ready(self) -> None:
        from dashboards.figures import FIGURE_SOURCES

        # The dashboards' cached figures are keyed by a version token that every write of a row
        # they read changes (core/freshness.py): a figure is never older than the last save.
        for model in FIGURE_SOURCES:
            label = model._meta.label_lower
            post_save.connect(figures_changed, sender=model, dispatch_uid=f"dashboards.saved.{label}")
            post_delete.connect(figures_changed, sender=model, dispatch_uid=f"dashboards.deleted.{label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    figures_changed,
                    sender=field.remote_field.through,
                    dispatch_uid=f"dashboards.m2m.{label}.{field.name}",
                )
        # The imports write tasks, areas and periods in bulk (no post_save): they say so once.
        from tasks.signals import tasks_imported

        tasks_imported.connect(imported, dispatch_uid="dashboards.tasks_imported")


def figures_changed(sender, **kwargs) -> None:
    from core.freshness import changed

    changed()


def imported(sender, **kwargs) -> None:
    """An import's bulk rows: the figures, and the filter options of areas, are out of date."""
    from core.freshness import SCOPE, changed

    changed()
    changed(SCOPE)
