"""Who may see and who may manage what: the pairing scope, decided in one place.

A user sees the pairings of his unit (`PairingQuerySet.visible_to`); every other model reaches its
pairing through `scope_field` and is scoped by `ScopedQuerySet`, so lists, filters, exports and
dashboards can only return rows of the user's pairings. `core.permissions.restrict` is the entry
point pages and the API use; this module holds the rule it applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from core.roles import is_liaison

if TYPE_CHECKING:
    from django.db.models import QuerySet


def _models():
    # The querysets are defined before the models that use them (cooperation/models.py imports
    # this module), so the models are looked up when a query is built.
    from cooperation import models as cooperation_models

    return cooperation_models


def _crosses_to_many(model, path: str) -> bool:
    """Whether a lookup path passes a many-to-many or reverse foreign key (rows could repeat)."""
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


class ScopedQuerySet(models.QuerySet):
    """Rows a user may see or manage, decided by the pairing each row belongs to.

    A model names the path from itself to its pairing in `scope_field` ("pairing",
    "task__pairing", "pairings" for a many-to-many). Lists, filters, exports and dashboards
    all start from `visible_to(user)`, so nothing of another pairing can leak through them.
    """

    def _scope_field(self) -> str:
        return self.model.scope_field

    def _for_pairings(self, pairings: QuerySet | list[int]) -> QuerySet:
        """Rows of these pairings: a queryset of pairings, or their ids (see `request_scope`)."""
        ids = pairings if isinstance(pairings, list) else pairings.values("pk")
        field = self._scope_field()
        if field == "":
            return self.filter(pk__in=ids)
        if not _crosses_to_many(self.model, field):
            # A chain of foreign keys reaches one pairing per row: filter in place (a subquery over
            # the same table hashed whole tables per request: 440 ms → 1 ms, docs/performance.md).
            return self.filter(**{f"{field}__in": ids})
        # A subquery instead of a join: no duplicates for many-to-many paths, one SQL query.
        inner = self.model._default_manager.filter(**{f"{field}__in": ids})
        return self.filter(pk__in=inner.values("pk"))

    def freeze_scope(self, user) -> None:
        freeze_scope(user)

    def visible_to(self, user) -> QuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        cached = _cached_pairing_ids(user)
        return self._for_pairings(
            cached if cached is not None else _models().Pairing.objects.visible_to(user)
        )

    def manageable_by(self, user) -> QuerySet:
        """Rows the user may create, change or delete: liaison staff of the row's pairing."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not is_liaison(user):
            return self.none()
        visible = _models().Pairing.objects.visible_to(user)
        rows = self._for_pairings(visible)
        field = self._scope_field()
        if field and "__" not in field and self.model._meta.get_field(field).many_to_many:
            # A row shared by several pairings (a policy document of ten park pairings) is managed
            # only by someone who manages all of them: the liaison of one pairing must not delete
            # or re-link what the others rely on.
            outside = self.model._default_manager.filter(
                **{
                    f"{field}__in": _models()
                    .Pairing.objects.exclude(pk__in=visible.values("pk"))
                    .values("pk")
                }
            )
            rows = rows.exclude(pk__in=outside.values("pk"))
        return rows


def freeze_scope(user) -> None:
    """Read the user's pairings now and keep them for the rest of this request.

    Called before a write (core.api.viewsets): every check of the write, the one after the save
    included, then sees the scope as it was before it, so no change can approve itself.
    """
    request_scope(user)
    _cached_pairing_ids(user)


def request_scope(user) -> None:
    """Let `visible_to(user)` work from the ids of the user's pairings, read once for this request.

    The rule deciding which pairings a unit takes part in is a subquery of three EXISTS over
    regions and memberships; built into every query of a page (a list runs four or five scoped
    queries) it cost more Python than the page itself. Called by the middleware for read-only
    requests only (GET, HEAD): a request that changes pairings keeps the live subquery. `user` is
    that request's own user object, so the ids live as long as the request.
    """
    if user.is_authenticated and not user.is_superuser:
        user._scope_pairing_ids = None  # read on first use


def request_scope_ids(user) -> list[int] | None:
    """The ids of the user's pairings as read once for this request (`request_scope`), or None when
    the scope is read live (a write, a token-authenticated API call): what a cache of things built
    from the scope may be keyed by."""
    return _cached_pairing_ids(user)


def _cached_pairing_ids(user) -> list[int] | None:
    if not hasattr(user, "_scope_pairing_ids"):
        return None
    if user._scope_pairing_ids is None:
        user._scope_pairing_ids = _pairing_ids_of_unit(user)
    return user._scope_pairing_ids


def _pairing_ids_of_unit(user) -> list[int]:
    """The ids of `_visible_subquery(user)`: the rule depends on the user's unit alone.

    Kept in the cache per unit until the next write of a pairing, unit, region or a pairing's
    listed units (the token `SCOPE` of core/freshness.py, changed by cooperation/apps.py): building
    the rule's three EXISTS was a fifth of a list page's time for a province liaison.
    """
    from core import freshness

    def read() -> list[int]:
        return list(
            _models().Pairing.objects.all()._visible_subquery(user).order_by().values_list("pk", flat=True)
        )

    if user.unit_id is None:
        return []
    return freshness.cached(f"unit:{user.unit_id}", read, name=freshness.SCOPE)


class PairingQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> QuerySet:
        """The pairings of a user's unit (see `_visible_subquery`)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        cached = _cached_pairing_ids(user)
        if cached is not None:
            return self.filter(pk__in=cached)
        return self._visible_subquery(user)

    def _visible_subquery(self, user) -> QuerySet:
        """The pairings of a user's unit.

        A unit takes part in a pairing when it is a side's liaison unit, is listed among the
        pairing's units, or sits in a region that contains one of the sides (晋江市农业农村局
        sits in 晋江市; 温州市招商局 contains all five Wenzhou pairings). Sub-pairings of a
        visible pairing are visible too.
        """
        unit_id = user.unit_id
        if unit_id is None:
            return self.none()
        region_path = _models().Unit.objects.filter(pk=unit_id).values("region__path")[:1]
        base = _models().Pairing.objects.filter(
            Q(coastal_liaison_id=unit_id)
            | Q(mountain_liaison_id=unit_id)
            | Exists(
                _models().Pairing.units.through.objects.filter(pairing_id=OuterRef("pk"), unit_id=unit_id)
            )
            | Exists(
                _models().Region.objects.filter(
                    pk=OuterRef("coastal_region_id"),
                    path__startswith=models.Subquery(region_path),
                )
            )
            | Exists(
                _models().Region.objects.filter(
                    pk=OuterRef("mountain_region_id"),
                    path__startswith=models.Subquery(region_path),
                )
            )
        )
        return self.filter(
            Q(pk__in=base.values("pk"))
            | Q(parent_id__in=base.values("pk"))
            | Q(parent__parent_id__in=base.values("pk"))
        )


class ReferenceQuerySet(models.QuerySet):
    """Regions: reference data every signed-in user reads; only superusers change it."""

    def freeze_scope(self, user) -> None:
        freeze_scope(user)

    def visible_to(self, user) -> QuerySet:
        return self if user.is_authenticated else self.none()

    def manageable_by(self, user) -> QuerySet:
        return self if user.is_authenticated and user.is_superuser else self.none()


class UnitQuerySet(ReferenceQuerySet):
    def manageable_by(self, user) -> QuerySet:
        """Liaison staff add and edit the units of the regions their pairings join."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        if not is_liaison(user):
            return self.none()
        sides = (
            _models()
            .Pairing.objects.visible_to(user)
            .values_list("coastal_region__path", "mountain_region__path")
        )
        paths = {path for pair in sides for path in pair}
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(region__path__startswith=path)
        return self.filter(condition)


def pairing_audience(pairing_ids, roles) -> dict[int, set[int]]:
    """For each pairing, the ids of the active users of the given roles who can see it.

    The same rule as `PairingQuerySet.visible_to`, evaluated for many pairings and users at once in
    four queries, for jobs that address people (reminders, digests). A test holds the two equal.
    """
    pairing_ids = set(pairing_ids)
    if not pairing_ids:
        return {}
    fields = (
        "pk",
        "parent_id",
        "parent__parent_id",
        "coastal_region__path",
        "mountain_region__path",
        "coastal_liaison_id",
        "mountain_liaison_id",
    )
    rows = list(_models().Pairing.objects.filter(pk__in=pairing_ids).values_list(*fields))
    ancestors = {pid for row in rows for pid in row[1:3] if pid}
    if ancestors - pairing_ids:
        rows += list(_models().Pairing.objects.filter(pk__in=ancestors - pairing_ids).values_list(*fields))
    members: dict[int, set[int]] = {}
    for pairing_id, unit_id in (
        _models()
        .Pairing.units.through.objects.filter(pairing_id__in=[row[0] for row in rows])
        .values_list("pairing_id", "unit_id")
    ):
        members.setdefault(pairing_id, set()).add(unit_id)
    users_by_unit: dict[int, set[int]] = {}
    path_units: dict[str, set[int]] = {}
    for user_id, unit_id, path in (
        _models()
        .User.objects.filter(is_active=True, role__in=list(roles), unit__isnull=False)
        .values_list("pk", "unit_id", "unit__region__path")
    ):
        users_by_unit.setdefault(unit_id, set()).add(user_id)
        path_units.setdefault(path, set()).add(unit_id)

    def prefixes(path: str):
        parts = [p for p in path.split("/") if p]
        for i in range(1, len(parts) + 1):
            yield "/" + "/".join(parts[:i]) + "/"

    direct: dict[int, set[int]] = {}
    for pk, _parent, _grand, coastal, mountain, c_liaison, m_liaison in rows:
        units = set(members.get(pk, ())) | {u for u in (c_liaison, m_liaison) if u}
        for path in (coastal, mountain):
            for prefix in prefixes(path):
                units |= path_units.get(prefix, set())
        direct[pk] = units
    audience = {}
    for pk, parent, grand, *_rest in rows:
        if pk not in pairing_ids:
            continue
        units = direct[pk] | direct.get(parent, set()) | direct.get(grand, set())
        audience[pk] = {user for unit in units for user in users_by_unit.get(unit, ())}
    return audience


def is_liaison_of(user, pairing_id: int) -> bool:
    """Liaison staff of the pairing (or a superuser): who may manage its tasks, rounds and imports."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not is_liaison(user):
        return False
    cached = _cached_pairing_ids(user)
    if cached is not None:
        # A read-only request has read the user's pairings once (`request_scope`): no query.
        try:
            return int(pairing_id) in cached
        except (TypeError, ValueError):
            return False
    return _models().Pairing.objects.visible_to(user).filter(pk=pairing_id).exists()


def document_problem(document, pairing) -> str | None:
    """A row of a pairing may cite only a document of that pairing: anyone who sees the row must be
    able to open its source (a document of another pairing would show its title to them)."""
    if document is None or pairing is None:
        return None
    if document.pairings.filter(pk=getattr(pairing, "pk", pairing)).exists():
        return None
    return _("来源文件须为本结对的政策文件。")
