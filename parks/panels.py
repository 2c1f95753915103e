"""The parks section of the pairing page: its parks with their plans, and its projects by stage."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _

from core.panels import Panel
from parks.models import Park, Project


def pairing_panels(request, pairing) -> list[Panel]:
    parks = list(
        Park.objects.visible_to(request.user)
        .filter(pairing=pairing)
        .select_related("region")
        .prefetch_related("plans")
        .order_by("name")
    )
    counts = dict(
        Project.objects.visible_to(request.user)
        .filter(pairing=pairing)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )
    # In the stages' own order (策划 → 竣工), not alphabetical.
    stage_counts = [(label, counts[stage]) for stage, label in Project.Stage.choices if counts.get(stage)]
    if not parks and not stage_counts:
        return []
    return [
        Panel(
            "parks/panel.html",
            {"parks": parks, "stage_counts": stage_counts, "pairing": pairing},
            order=40,
            title=_("园区与项目"),
        )
    ]
