"""Pages of the annual assessment export: the form, the progress page, its JSON status, the download.

Liaison staff and viewers (leaders) export the pairings they see; reporters may not (403). A
pairing outside the user's scope in the form is refused with a 403 and nothing is queued. A job
and its file are seen only by the user who asked for it (or a superuser); anyone else gets a 404.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from assessment.models import AssessmentExport
from cooperation.models import Pairing, Role

logger = logging.getLogger(__name__)

EXPORT_ROLES = (Role.LIAISON, Role.VIEWER)


def check_may_export(user) -> None:
    """Liaison staff, viewers and superusers export; everyone else gets a 403 with the reason."""
    if not (user.is_superuser or (user.unit_id and user.role in EXPORT_ROLES)):
        raise PermissionDenied(_("您没有权限导出考核表：只有联络员和领导（只读）可以导出。"))


def year_choices() -> list[tuple[int, int]]:
    this_year = timezone.localdate().year
    return [(y, f"{y}") for y in range(this_year, this_year - 8, -1)]


class ExportForm(forms.Form):
    """The year and the pairings (or all the user sees)."""

    year = forms.TypedChoiceField(label=gettext_lazy("考核年度"), coerce=int, choices=year_choices)
    pairings = forms.ModelMultipleChoiceField(
        label=gettext_lazy("结对"),
        queryset=Pairing.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    all_pairings = forms.BooleanField(label=gettext_lazy("全部可见结对"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pairings"].queryset = Pairing.objects.visible_to(user).order_by("pk")
        self.initial.setdefault("year", timezone.localdate().year - 1)

    def clean(self):
        data = super().clean()
        if not data.get("all_pairings") and not data.get("pairings"):
            raise forms.ValidationError(_("请选择至少一个结对，或勾选“全部可见结对”。"))
        return data


@login_required
def export_form(request):
    """GET: the form and the user's earlier exports. POST: queue a job and go to its progress page."""
    check_may_export(request.user)
    if request.method == "POST":
        submitted = {v for v in request.POST.getlist("pairings") if v}
        visible = {str(pk) for pk in Pairing.objects.visible_to(request.user).values_list("pk", flat=True)}
        if submitted - visible:
            # Never drop a pairing silently: the user asked for something outside his scope.
            raise PermissionDenied(_("不能导出您无权查看的结对。"))
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            export = create_export(
                request.user,
                form.cleaned_data["year"],
                list(form.cleaned_data["pairings"]),
                all_pairings=form.cleaned_data["all_pairings"],
            )
            return redirect("assessment:export_detail", pk=export.pk)
        status = 400
    else:
        form = ExportForm(user=request.user)
        status = 200
    exports = AssessmentExport.objects.filter(requested_by=request.user).prefetch_related("pairings")[:20]
    return render(
        request, "assessment/assessment_form.html", {"form": form, "exports": exports}, status=status
    )


def create_export(
    user, year: int, pairings: list[Pairing], *, all_pairings: bool = False
) -> AssessmentExport:
    """Record the request and queue the job once the row is committed (the worker must find it)."""
    from assessment.tasks import BROKER_DOWN_NOTE, export_assessment

    export = AssessmentExport.objects.create(requested_by=user, year=year, all_pairings=all_pairings)
    export.pairings.set(pairings)

    def enqueue() -> None:
        try:
            export_assessment.delay(export_id=export.pk)
        except Exception:  # broker down: the request is kept and queued again once it is back
            logger.warning(
                "assessment export %s not queued (broker down); kept for later", export.pk, exc_info=True
            )
            # assessment.requeue_exports queues it once the broker is back.
            AssessmentExport.objects.filter(pk=export.pk, status=AssessmentExport.Status.QUEUED).update(
                dispatch=AssessmentExport.Dispatch.BROKER_DOWN, message=BROKER_DOWN_NOTE
            )

    transaction.on_commit(enqueue)
    return export


def _own_export(request, pk: int) -> AssessmentExport:
    export = get_object_or_404(AssessmentExport, pk=pk)
    if not export.is_visible_to(request.user):
        raise Http404
    return export


def status_payload(export: AssessmentExport) -> dict:
    done = export.status == AssessmentExport.Status.DONE and bool(export.file_path)
    return {
        "id": export.pk,
        "status": export.status,
        "status_display": export.get_status_display(),
        "percent": export.percent,
        "message": export.message,
        "download_url": reverse("assessment:export_download", args=[export.pk]) if done else None,
    }


@login_required
def export_detail(request, pk: int):
    """The progress page: a bar that polls the status endpoint, then the download link."""
    export = _own_export(request, pk)
    context = {
        "export": export,
        "pairings": list(export.pairings.all()),
        "status": status_payload(export),
        "status_url": reverse("assessment:export_status", args=[export.pk]),
    }
    return render(request, "assessment/assessment_progress.html", context)


@require_GET
@login_required
def export_status(request, pk: int):
    response = JsonResponse(status_payload(_own_export(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def export_download(request, pk: int):
    export = _own_export(request, pk)
    if export.status != AssessmentExport.Status.DONE or not export.file_path:
        raise Http404
    from django.core.files.storage import default_storage

    try:
        handle = default_storage.open(export.file_path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=export.file_name or "assessment.xlsx")
    response["Content-Type"] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
