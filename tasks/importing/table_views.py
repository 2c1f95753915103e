"""Pages of the responsibility-table import: upload → preview → confirm.

Mirrors the policy-text import (tasks/importing/plan_views.py) through the import flow of
``core.importflow``: the upload is read at once and nothing is kept on the server; the preview
page carries the parsed tree in one signed, compressed token (bound to the pairing and the user,
valid for 12 hours), so an abandoned preview leaves nothing behind. On confirm the token is
checked, the tree validated again against the plan tree's schema by the confirm service, and the
officer's choices (source document, years, regions of new units) come from ordinary form fields.

Only liaison staff of the pairing reach these pages (403 for others who can see the pairing); a
pairing the user cannot see is a 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from cooperation.models import Pairing
from cooperation.scoping import is_liaison_of
from core.importflow import PREVIEW_FIELD, ImportFlowMixin, ImportRefused, PreviewFlow
from core.uploads import max_upload_bytes
from tasks.importing.plan import (
    PlanImportRefused,
    UnitMatcher,
    confirm_choices,
    node_ids,
    preview_unit_rows,
    side_regions,
    validate_plan_json,
)
from tasks.importing.table import import_table, read_task_table, template_workbook
from tasks.importing.table_forms import TaskTableForm

FLOW = PreviewFlow("tasks.table", command="import_tasks")
SIGNS = {">=": "≥", "<=": "≤", "=": "=", "≈": "≈"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PairingLiaisonMixin(LoginRequiredMixin):
    """The pairing of the URL, visible to the user (else 404), managed by him (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.pairing = get_object_or_404(
            Pairing.objects.visible_to(request.user).select_related("coastal_region", "mountain_region"),
            pk=kwargs["pk"],
        )
        if not is_liaison_of(request.user, self.pairing.pk):
            raise PermissionDenied(_("只有本结对的联络员可以导入责任分解表。"))
        return super().dispatch(request, *args, **kwargs)


class TaskTemplateView(PairingLiaisonMixin, View):
    """The template workbook: title, header and one example row of seed 001's 附件2."""

    def get(self, request, pk):
        response = HttpResponse(template_workbook(), content_type=XLSX)
        name = _("责任分解表模板.xlsx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        response["Cache-Control"] = "private, no-store"
        return response


class TaskImportFlowMixin(ImportFlowMixin, PairingLiaisonMixin):
    """The import flow of the table: tokens bound to the pairing; refusals on the upload page."""

    template_name = "tasks/importing/task_import.html"
    flow = FLOW

    def flow_scope(self) -> int:
        return self.pairing.pk

    def upload_context(self) -> dict:
        return {"pairing": self.pairing, "form": TaskTableForm(), "max_mb": max_upload_bytes() // 1048576}

    def upload_url(self) -> str:
        return reverse("task_import:upload", args=[self.pairing.pk])


class TaskImportView(TaskImportFlowMixin, View):
    """/pairings/<id>/task-import/: upload an .xlsx (GET shows the form, POST shows the preview)."""

    def get(self, request, pk):
        return render(request, self.template_name, self.upload_context())

    def post(self, request, pk):
        form = TaskTableForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse_form(form)
        upload = form.cleaned_data["file"]
        table = read_task_table(upload, filename=upload.name)
        if not table.ok:
            return self.refuse(ImportRefused(table.errors), table=table)
        too_large = _(
            "表格较大（%(tasks)d 个任务、%(items)d 个事项），预览数据超过浏览器确认的上限 %(limit).1f MB。"
            "请分成几个文件上传，或请管理员用命令 import_tasks 导入。"
        ) % {
            "tasks": table.task_count,
            "items": table.item_count,
            "limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1048576,
        }
        try:
            token = self.sign_preview(
                {
                    "file": upload.name,
                    "plan": table.plan,
                    "leads": table.leads,
                    "lines": table.lines,
                    "warnings": table.warnings,
                    "summary": summary_of(table),
                },
                too_large=too_large,
            )
        except ImportRefused as refused:
            return self.refuse(refused, table=table)
        # What the preview shows is what the confirm will read: the tree after its trip through JSON.
        return render_preview(request, self.pairing, self.open_preview(token), token)


class TaskImportConfirmView(TaskImportFlowMixin, View):
    """POST only: create the previewed tree, all or nothing, through the plan import's service."""

    def get(self, request, pk):
        return redirect(self.upload_url())

    def post(self, request, pk):
        try:
            data = self.open_preview()
            if data is None:
                return self.no_preview()
            plan = validate_plan_json(data.get("plan"))
        except ImportRefused as refused:
            return self.refuse(refused)
        token = request.POST[PREVIEW_FIELD]

        post = request.POST
        choices = confirm_choices(
            self.pairing, post, document_error=_("来源文件：请选择本结对的文件，或选择“按表格标题新建”。")
        )
        errors, document, years, unit_regions = (
            choices.errors,
            choices.document,
            choices.years,
            choices.unit_regions,
        )
        if not errors:
            try:
                result = import_table(
                    self.pairing,
                    plan,
                    request.user,
                    leads=data.get("leads") or {},
                    document=document,
                    new_document=choices.new_document,
                    unit_regions=unit_regions,
                    start_year=years.get("start_year"),
                    end_year=years.get("end_year"),
                )
            except PlanImportRefused as refused:
                errors = refused.errors
            else:
                messages.success(
                    request,
                    _(
                        "已从“%(doc)s”导入 %(n)d 个任务（%(top)d 个任务、%(items)d 个事项），新增单位 %(u)d 个。"
                    )
                    % {
                        "doc": result.document,
                        "n": len(result.tasks),
                        "top": data["summary"]["tasks"],
                        "items": data["summary"]["items"],
                        "u": len(result.units_created),
                    },
                )
                return redirect("tasks:plan_tree", self.pairing.pk)
        return render_preview(request, self.pairing, data, token, post=post, errors=errors, status=400)


# --------------------------------------------------------------------------------------------
# The preview
# --------------------------------------------------------------------------------------------


def summary_of(table) -> dict:
    return {
        "sheet": table.sheet,
        "header_line": table.header_line,
        "columns": list(table.columns.values()),
        "tasks": table.task_count,
        "items": table.item_count,
        "rows": table.rows_read,
    }


def deadline_display(entry: dict) -> str:
    if entry["kind"] == "yearly":
        return _("每年%(m)s月%(d)s日") % {"m": entry["month"], "d": entry["day"]}
    return entry["date"] or "—"


def target_display(target: dict) -> str:
    value = target["value"]
    shown = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    text = f"{SIGNS[target['comparator']]} {shown} {target['unit']}"
    return text + (_("（每年）") if target["yearly"] else "")


def render_preview(request, pairing, data: dict, token: str, *, post=None, errors=None, status=200):
    """The tree that will be created, its units (matched or new, with the region of the new ones)."""
    plan, leads, lines = data["plan"], data.get("leads") or {}, data.get("lines") or {}
    matcher = UnitMatcher(pairing)
    post = post or {}
    rows = []
    unit_names: list[str] = []
    for nid, node, depth in node_ids(plan["nodes"]):
        lead_count = int(leads.get(nid, 1))
        units = []
        for position, name in enumerate(node["units"]):
            if name not in unit_names:
                unit_names.append(name)
            units.append({"name": name, "match": matcher.match(name), "lead": position < lead_count})
        rows.append(
            {
                "id": nid,
                "depth": depth,
                "line": lines.get(nid),
                "number": node["number"],
                "title": node["title"],
                "body": node["body"],
                "units": units,
                "deadlines": [dict(d, display=deadline_display(d)) for d in node["deadlines"][:1]],
                "targets": [dict(t, display=target_display(t)) for t in node["targets"]],
                "children": len(node["children"]),
            }
        )
    unit_rows = preview_unit_rows(matcher, unit_names, post)
    meta = plan["document"]
    documents = list(pairing.documents.order_by("-issued", "title"))
    context = {
        "pairing": pairing,
        "preview": True,
        "file": data.get("file", ""),
        "summary": data.get("summary") or {},
        "warnings": data.get("warnings") or [],
        "rows": rows,
        "unit_rows": unit_rows,
        "new_unit_count": sum(1 for u in unit_rows if u["match"] is None),
        "regions": side_regions(pairing),
        "documents": documents,
        "document_choice": post.get("document", "new"),
        "meta": {
            "doc_number": post.get("doc_number", meta["doc_number"] or ""),
            "title": post.get("doc_title", meta["title"] or ""),
            "issuers": post.get("doc_issuers", "、".join(meta["issuers"])),
            "issued": post.get("doc_issued", meta["issued"] or ""),
        },
        # As the plan import without an issue date: the pairing's first year (the officer may change it).
        "start_year": post.get("start_year", pairing.start_year),
        "end_year": post.get("end_year", pairing.end_year or ""),
        "preview_token": token,
        "errors": errors or [],
    }
    return render(request, "tasks/importing/task_import.html", context, status=status)
