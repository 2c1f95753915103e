"""Pages of the cooperation backbone: pairing list and page, documents, activities."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView
from django_filters.views import FilterView

from cooperation.filtersets import PairingFilterSet
from cooperation.forms import ActivityForm, PairingForm
from cooperation.models import Activity, Pairing, PolicyDocument, Region
from cooperation.scoping import is_liaison_of
from core.history import history_rows
from core.links import pk_url
from core.panels import pairing_annotations, pairing_panels
from core.permissions import ScopedPageMixin, can_manage, denied_message


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect("dashboards:workbench")  # each role lands on its own 工作台


def healthz(request):
    """Liveness for the reverse proxy: the database answers (and the broker, when there is one)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class PairingListView(ScopedPageMixin, FilterView):
    model = Pairing
    filterset_class = PairingFilterSet
    paginate_by = 30
    template_name = "cooperation/pairing_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "coastal_region", "mountain_region", "coastal_liaison", "mountain_liaison", "parent"
            )
            .annotate(activity_count=Count("activities", distinct=True))
            .order_by("kind", "parent_id", "name")
        )


def _region_name(region_id) -> Subquery:
    return Subquery(Region.objects.filter(pk=region_id).values("name")[:1])


class PairingDetailView(ScopedPageMixin, DetailView):
    model = Pairing
    template_name = "cooperation/pairing_detail.html"

    def get_object(self, queryset=None):
        """The pairing and its sub-pairings in one query; out of the user's scope, a 404 as before.

        The sub-pairings are listed as the `children` prefetch listed them (all of them, by kind and
        name); the panels' counts come with the pairing (core.panels.pairing_annotations), and so do
        the names of the sides' parent regions (`coastal_parent_name`, `mountain_parent_name`): two
        more joins took PostgreSQL's planner past its join-order limit, 1.7 → 0.8 ms to plan.
        """
        pk = self.kwargs[self.pk_url_kwarg]
        visible = super().get_queryset().filter(pk=pk).values("pk")  # the user's scope (ScopedPageMixin)
        rows = list(
            Pairing.objects.filter(Q(pk__in=visible) | Q(parent_id=pk))
            .select_related(
                "coastal_region",
                "mountain_region",
                "coastal_liaison",
                "mountain_liaison",
                "parent",
            )
            .annotate(
                **pairing_annotations(self.request),
                coastal_parent_name=_region_name(OuterRef("coastal_region__parent_id")),
                mountain_parent_name=_region_name(OuterRef("mountain_region__parent_id")),
            )
            .order_by("kind", "name")
        )
        pairing = next((row for row in rows if row.pk == pk), None)
        if pairing is None:
            raise Http404("No Pairing matches the given query.")  # as get_object_or_404 says it
        prefetch_related_objects(
            [pairing], "units", Prefetch("documents", queryset=PolicyDocument.objects.order_by("-issued"))
        )
        children = pairing.children.all()  # filled from the rows read above: no query
        children._result_cache = [row for row in rows if row.parent_id == pk]
        children._prefetch_done = True
        pairing.__dict__.setdefault("_prefetched_objects_cache", {})["children"] = children
        return pairing

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pairing = self.object
        # Who may change a pairing: its liaison staff (`manageable_by`), the rule of `is_liaison_of`,
        # which answers from the ids the request has already read.
        context["can_manage"] = is_liaison_of(self.request.user, pairing.pk)
        # One query: the activities are read once, the latest 50 are listed and all are counted
        # by year and kind (a pairing logs some tens a year).
        activities = list(pairing.activities.all())
        context["activities"] = activities[:50]
        kinds = dict(Activity.Kind.choices)
        for activity in context["activities"]:  # get_kind_display, without rebuilding the choices each row
            activity.kind_label = kinds.get(activity.kind, activity.kind)
        if context["can_manage"]:
            # Each row's edit and delete links, from one reversed URL per kind (as {% url %} writes them).
            edit_url, delete_url = (
                pk_url("cooperation:activity_edit"),
                pk_url("cooperation:activity_delete"),
            )
            for activity in context["activities"]:
                activity.edit_url, activity.delete_url = edit_url(activity.pk), delete_url(activity.pk)
        counts = Counter((activity.date.year, activity.kind) for activity in activities)
        context["activity_counts"] = [
            {"year": year, "kind": kinds.get(kind, kind), "n": n}
            for (year, kind), n in sorted(counts.items(), key=lambda item: (-item[0][0], item[0][1]))
        ]
        context["history"] = history_rows(pairing, limit=20)
        context["panels"] = pairing_panels(self.request, pairing)
        return context


class PairingUpdateView(ScopedPageMixin, UpdateView):
    model = Pairing
    form_class = PairingForm
    manage = True
    template_name = "cooperation/form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        messages.success(self.request, _("结对信息已保存。"))
        return super().form_valid(form)


class DocumentDetailView(ScopedPageMixin, DetailView):
    model = PolicyDocument
    template_name = "cooperation/document_detail.html"

    def get_queryset(self):
        # A shared document names only the pairings this user may see.
        visible = Pairing.objects.visible_to(self.request.user)
        return super().get_queryset().prefetch_related(Prefetch("pairings", queryset=visible))


class ActivityCreateView(LoginRequiredMixin, CreateView):
    model = Activity
    form_class = ActivityForm
    template_name = "cooperation/form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.pairing = get_object_or_404(Pairing.objects.visible_to(request.user), pk=kwargs["pairing_pk"])
        if not can_manage(request.user, self.pairing):
            raise PermissionDenied(denied_message())
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.pairing = self.pairing
        messages.success(self.request, _("交流活动已登记。"))
        return super().form_valid(form)

    def get_success_url(self):
        return reverse("cooperation:pairing_detail", args=[self.pairing.pk]) + "#activities"

    def get_context_data(self, **kwargs):
        return super().get_context_data(pairing=self.pairing, **kwargs)


class ActivityUpdateView(ScopedPageMixin, UpdateView):
    model = Activity
    form_class = ActivityForm
    manage = True
    template_name = "cooperation/form.html"

    def get_success_url(self):
        return reverse("cooperation:pairing_detail", args=[self.object.pairing_id]) + "#activities"

    def form_valid(self, form):
        messages.success(self.request, _("交流活动已保存。"))
        return super().form_valid(form)


class ActivityDeleteView(ScopedPageMixin, DeleteView):
    model = Activity
    manage = True
    template_name = "cooperation/confirm_delete.html"

    def get_success_url(self):
        return reverse("cooperation:pairing_detail", args=[self.object.pairing_id]) + "#activities"

    def form_valid(self, form):
        messages.success(self.request, _("交流活动已删除。"))
        return super().form_valid(form)


class DocumentListView(ScopedPageMixin, ListView):
    model = PolicyDocument
    paginate_by = 30
    template_name = "cooperation/document_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "pairings", queryset=Pairing.objects.visible_to(self.request.user).only("id", "name")
                )
            )
        )
