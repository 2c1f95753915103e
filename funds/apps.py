from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("资金")

    def ready(self) -> None:
        from funds import fulfilment
        from funds.models import FundCommitment
        from tasks import fulfilment as task_fulfilment

        # Tasks proved by the funds ledger are re-judged by this app (tasks sits below funds).
        for kind in task_fulfilment.FUND_KINDS:
            task_fulfilment.SYNCERS[kind] = fulfilment.sync_task

        def commitment_saved(sender, instance, raw=False, **kwargs):
            if not raw:
                fulfilment.sync_commitment(instance.pk)

        # weak=False: a local function, which a weak reference would let die with ready().
        post_save.connect(
            commitment_saved, sender=FundCommitment, weak=False, dispatch_uid="funds.fulfilment.commitment"
        )
