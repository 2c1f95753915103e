"""The parks section of the pairing page: its parks with their plans, and its projects by stage."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, F, IntegerField
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from cooperation.models import Pairing
from core.panels import Panel
from parks.models import Park, Project


def pairing_annotations(request) -> dict:
    """The pairing's projects counted by stage in the pairing page's own query.

    Every row of that query is a pairing the user may see (the page checks the pairing's scope, and
    its sub-pairings are in scope with it), and a project is visible exactly when its pairing is
    (`Project.scope_field == "pairing"`): so the projects the user may see of a row's pairing are
    all of them, counted by one plain correlated count per stage. (Five ORM subqueries, each around
    the user's scope, cost more to compile than the page's query takes to run.)
    """
    if Project.scope_field != "pairing":  # another rule of visibility: the panel's own query
        return {}
    quote = connection.ops.quote_name
    project, pairing = quote(Project._meta.db_table), quote(Pairing._meta.db_table)
    sql = (
        f"SELECT COUNT(*) FROM {project} WHERE {project}.{quote('pairing_id')} = {pairing}.{quote('id')} "
        f"AND {project}.{quote('stage')} = %s"
    )
    return {
        f"parks_stage_{stage}": RawSQL(sql, (stage,), output_field=IntegerField())
        for stage in Project.Stage.values
    }


def _stage_counts(request, pairing) -> dict:
    return dict(
        Project.objects.visible_to(request.user)
        .filter(pairing=pairing)
        .values("stage")
        .annotate(n=Count("pk"))
        .values_list("stage", "n")
    )


def pairing_panels(request, pairing) -> list[Panel]:
    # One query for the parks and their plans' years: a row per (park, plan), or one without a
    # plan, folded here into each park's years in order (the years `plans` would list).
    parks: list[Park] = []
    for row in (
        Park.objects.visible_to(request.user)
        .filter(pairing=pairing)
        .select_related("region")
        .annotate(plan_year=F("plans__year"))
        .order_by("name", "pk", "plan_year")
    ):
        if not parks or parks[-1].pk != row.pk:
            row.panel_plan_years = []
            parks.append(row)
        if row.plan_year is not None and row.plan_year not in parks[-1].panel_plan_years:
            parks[-1].panel_plan_years.append(row.plan_year)
    if any(hasattr(pairing, f"parks_stage_{stage}") for stage in Project.Stage.values):
        counts = {stage: getattr(pairing, f"parks_stage_{stage}", 0) for stage in Project.Stage.values}
    else:
        counts = _stage_counts(request, pairing)
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
