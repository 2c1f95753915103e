from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("协作关系")

    def ready(self) -> None:
        from cooperation.models import Pairing, Region, Unit

        # The pairings a unit sees are kept in the cache under a version token that every write of
        # the rows the rule reads changes (cooperation/scoping.py `_cached_pairing_ids`,
        # core/freshness.py): sides, liaison units, parents, listed units, regions and their paths.
        for model in (Pairing, Unit, Region):
            label = model._meta.label_lower
            post_save.connect(scope_changed, sender=model, dispatch_uid=f"cooperation.scope.saved.{label}")
            post_delete.connect(
                scope_changed, sender=model, dispatch_uid=f"cooperation.scope.deleted.{label}"
            )
        m2m_changed.connect(
            scope_changed, sender=Pairing.units.through, dispatch_uid="cooperation.scope.pairing_units"
        )


def scope_changed(sender, **kwargs) -> None:
    from core.freshness import SCOPE, changed

    changed(SCOPE)
