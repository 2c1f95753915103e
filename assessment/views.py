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
from django.views.decorators.http import require_GET, require_POST

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
    # The pairings whose self-assessment report (自评报告) the user may draft: those he manages.
    drafts = Pairing.objects.manageable_by(request.user).order_by("pk")
    context = {"form": form, "exports": exports, "selfreport_pairings": drafts}
    return render(request, "assessment/assessment_form.html", context, status=status)


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


# --- The self-assessment report (自评报告) ---------------------------------------------------------
#
# The liaison staff of a pairing draft the year's report from its records, edit it in the preview
# and download it as a .docx; nothing is stored. A pairing the user cannot see is a 404 (the same
# as one that does not exist); one he sees but does not manage (reporters, leaders) is a 403, as on
# the assessment export for reporters.

SELFREPORT_MAX_SECTIONS = 12
# About the characters a line of a body box holds on a desktop screen (for its height).
SELFREPORT_LINE_CHARS = 80


def _selfreport_pairing(request, pk: int) -> Pairing:
    from core.permissions import can_manage, restrict

    pairing = get_object_or_404(restrict(Pairing.objects.all(), request.user), pk=pk)
    if not can_manage(request.user, pairing):
        raise PermissionDenied(_("只有本结对的联络员可以起草自评报告。"))
    return pairing


def _selfreport_year(value) -> int:
    default = timezone.localdate().year - 1
    try:
        year = int(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


class SelfReportForm(forms.Form):
    """The report's parts as the liaison edited them (the body sections come as a formset)."""

    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    addressee = forms.CharField(label=gettext_lazy("主送机关"), max_length=200, required=False)
    opening = forms.CharField(
        label=gettext_lazy("开头"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closing = forms.CharField(label=gettext_lazy("结束语"), max_length=200, required=False)
    attachments = forms.CharField(
        label=gettext_lazy("附件（每行一个）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    issuer = forms.CharField(label=gettext_lazy("发文机关署名（落款）"), max_length=120, required=False)
    date = forms.CharField(label=gettext_lazy("成文日期"), max_length=40, required=False)


class SelfReportSectionForm(forms.Form):
    heading = forms.CharField(label=gettext_lazy("一级标题"), max_length=200, required=False)
    body = forms.CharField(
        label=gettext_lazy("正文（每行一段；以“（一）”开头的行为二级标题）"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "selfreport-body"}),
    )


SelfReportSections = forms.formset_factory(
    SelfReportSectionForm,
    extra=0,
    max_num=SELFREPORT_MAX_SECTIONS,
    absolute_max=SELFREPORT_MAX_SECTIONS,
    validate_max=True,
)


def _selfreport_initial(report) -> tuple[dict, list[dict]]:
    return (
        {
            "title": report.title,
            "addressee": report.addressee,
            "opening": report.opening,
            "closing": report.closing,
            "attachments": "\n".join(report.attachments),
            "issuer": report.issuer,
            "date": report.date,
        },
        [{"heading": s.heading, "body": s.text} for s in report.sections],
    )


def _selfreport_download(report, year: int, pairing: Pairing):
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from assessment.reportdocx import build_docx, filename

    response = HttpResponse(
        build_docx(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = content_disposition_header(True, filename(report, year, pairing.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def selfreport(request, pk: int):
    """GET: the draft of the pairing's year in text boxes (?year=, ?download=1 for the draft as it
    is). POST: the .docx built from the edited text."""
    from assessment.selfreport import Draft, Section, draft

    pairing = _selfreport_pairing(request, pk)
    year = _selfreport_year(request.POST.get("year") if request.method == "POST" else request.GET.get("year"))
    if request.method == "POST":
        form = SelfReportForm(request.POST)
        sections = SelfReportSections(request.POST, prefix="sections")
        if form.is_valid() and sections.is_valid():
            data = form.cleaned_data
            report = Draft(
                title=data["title"],
                addressee=data["addressee"],
                opening=data["opening"],
                sections=[Section(s["heading"], s["body"].splitlines()) for s in sections.cleaned_data if s],
                closing=data["closing"],
                attachments=[line for line in data["attachments"].splitlines() if line.strip()],
                issuer=data["issuer"],
                date=data["date"],
            )
            return _selfreport_download(report, year, pairing)
        status = 400
    else:
        report = draft(pairing, year, request.user)
        if request.GET.get("download"):
            return _selfreport_download(report, year, pairing)
        initial, section_rows = _selfreport_initial(report)
        form = SelfReportForm(initial=initial)
        sections = SelfReportSections(initial=section_rows, prefix="sections")
        status = 200
    for section_form in sections.forms:
        # Each body box as tall as its text (within reason), so the liaison reads it without scrolling.
        text = str(section_form["body"].value() or "")
        lines = sum(1 + len(line) // SELFREPORT_LINE_CHARS for line in text.splitlines()) + 1
        section_form.fields["body"].widget.attrs["rows"] = min(40, max(6, lines))
    context = {
        "pairing": pairing,
        "year": year,
        "years": [y for y, _label in year_choices()],
        "form": form,
        "head_fields": [form["title"], form["addressee"], form["opening"]],
        "tail_fields": [form["closing"], form["attachments"], form["issuer"], form["date"]],
        "sections": sections,
    }
    return render(request, "assessment/selfreport.html", context, status=status)


# --- The scheme page (考核方案): superusers only -----------------------------------------------------
#
# The assessing office (superusers) keeps the schemes here outside the admin: the schemes of each
# year, a scheme's items, points, rules, bonus and deduction items with their caps and grade bands,
# edited together (all or nothing), and a new year's version copied from the last. Anyone else
# signed in gets a 403, as for the other pages of a role they do not hold.


def check_may_edit_schemes(user) -> None:
    if not user.is_superuser:
        raise PermissionDenied(_("只有考核单位（系统管理员）可以管理考核方案。"))


@login_required
def scheme_list(request):
    from assessment.forms import CopySchemeForm
    from assessment.models import AssessmentScheme
    from assessment.scoring import ensure_default_scheme, scheme_for

    check_may_edit_schemes(request.user)
    ensure_default_scheme()
    this_year = timezone.localdate().year
    years = [(year, scheme_for(year)) for year in range(this_year + 1, this_year - 7, -1)]
    schemes = AssessmentScheme.objects.prefetch_related("sections", "adjustments", "grades")
    last = max(schemes, key=lambda s: (s.year_from or 0, not s.is_default, s.pk))
    copy_form = CopySchemeForm(initial={"year": max(this_year, (last.year_to or this_year - 1) + 1)})
    context = {"years": years, "schemes": schemes, "last": last, "copy_form": copy_form}
    return render(request, "assessment/scheme_list.html", context)


def _scheme_forms(scheme, data=None):
    from assessment.forms import AdjustmentFormSet, GradeFormSet, SchemeForm, SectionFormSet

    return SchemeForm(data, instance=scheme, prefix="scheme"), [
        SectionFormSet(data, instance=scheme, prefix="sections"),
        AdjustmentFormSet(data, instance=scheme, prefix="adjustments"),
        GradeFormSet(data, instance=scheme, prefix="grades"),
    ]


@login_required
def scheme_detail(request, pk: int):
    """GET: the scheme and its edit form. POST: save everything or, on any error, nothing (400)."""
    from assessment.models import AssessmentScheme
    from assessment.official import DEFAULT_GRADES, adjustment_criterion, criterion
    from assessment.services import save_scheme

    check_may_edit_schemes(request.user)
    scheme = get_object_or_404(AssessmentScheme, pk=pk)
    status = 200
    if request.method == "POST":
        scheme_form, formsets = _scheme_forms(scheme, request.POST)
        if save_scheme(scheme_form, formsets):
            from django.contrib import messages

            messages.success(request, _("考核方案已保存。"))
            return redirect("assessment:scheme_detail", pk=scheme.pk)
        status = 400
        scheme.refresh_from_db()
    else:
        scheme_form, formsets = _scheme_forms(scheme)
    sections = list(scheme.sections.all())
    context = {
        "scheme": scheme,
        "scheme_form": scheme_form,
        "formsets": formsets,
        "sections": [(s, criterion(s)) for s in sections],
        "full": sum((s.weight for s in sections), 0),
        "adjustments": [(a, adjustment_criterion(a)) for a in scheme.adjustments.all()],
        "grades": list(scheme.grades.all()),
        "default_grades": [(t, str(n)) for t, n in DEFAULT_GRADES],
        "invalid": status == 400,
    }
    return render(request, "assessment/scheme_detail.html", context, status=status)


@login_required
@require_POST
def scheme_copy(request, pk: int):
    """A new year's version of the scheme (its items, caps and bands copied); back to the list on error."""
    from assessment.forms import CopySchemeForm
    from assessment.models import AssessmentScheme
    from assessment.services import copy_scheme

    check_may_edit_schemes(request.user)
    scheme = get_object_or_404(AssessmentScheme, pk=pk)
    form = CopySchemeForm(request.POST)
    if not form.is_valid():
        from django.contrib import messages

        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return redirect("assessment:scheme_list")
    copy = copy_scheme(scheme, year=form.cleaned_data["year"], name=form.cleaned_data["name"])
    return redirect("assessment:scheme_detail", pk=copy.pk)
