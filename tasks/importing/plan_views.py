"""Pages of the plan-text import: paste or upload a plan → preview and edit the tree → confirm.

Between preview and confirm the parsed tree and the source text travel in the preview's signed
token (``core.importflow``: bound to the pairing and the user, valid for 12 hours). On confirm the
token is checked first (a changed, expired or foreign one is refused with a clear message), the
tree validated again against ``PLAN_JSON_SCHEMA`` by the service, and the officer's edits come from
ordinary form fields named after each node's id. Nothing is kept in the session or on disk, so an
abandoned preview leaves nothing behind.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from cooperation.models import Pairing
from cooperation.scoping import is_liaison_of
from core.importflow import PREVIEW_FIELD, ImportFlowMixin, ImportRefused, PreviewFlow
from core.uploads import max_upload_bytes
from planparser import PlanFileError, parse_plan, read_docx_text, to_json
from tasks.importing.plan import (
    PlanImportRefused,
    UnitMatcher,
    area_groups,
    confirm_choices,
    default_deadline_text,
    import_plan,
    node_ids,
    preview_unit_rows,
    side_regions,
    split_units,
    validate_plan_json,
)

COMPARATORS = [(">=", "≥"), ("<=", "≤"), ("=", "="), ("≈", "≈")]


class PlanTextForm(forms.Form):
    """The plan's text, pasted or as a .txt / .docx file."""

    text = forms.CharField(
        label=gettext_lazy("方案文本"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 14, "placeholder": gettext_lazy("粘贴实施方案、实施意见或规划的全文")}
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("或上传文件"),
        required=False,
        help_text=gettext_lazy(".txt（UTF-8 或 GB18030）或 .docx"),
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        limit = max_upload_bytes()
        if upload is not None:
            name = PurePath(upload.name or "").name
            ext = PurePath(name).suffix.lower()
            if ext not in (".txt", ".docx"):
                raise forms.ValidationError(
                    _("不支持的文件类型“%(ext)s”，只接受 txt、docx。") % {"ext": ext or name}
                )
            if upload.size > limit:
                raise forms.ValidationError(
                    _("文件“%(name)s”为 %(size).1f MB，超过 %(limit)d MB 的上限。")
                    % {"name": name, "size": upload.size / 1048576, "limit": limit // 1048576},
                    code="file_size",
                )
            raw = upload.read()
            if ext == ".docx":
                try:
                    text = read_docx_text(raw)
                except PlanFileError as exc:
                    raise forms.ValidationError(str(exc)) from exc
            else:
                # Notepad's "Unicode" is UTF-16 with a byte-order mark: read as UTF-8 it would
                # "decode" into text with a NUL byte between characters.
                utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
                for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "gb18030"):
                    try:
                        text = raw.decode(encoding)
                        break
                    except UnicodeDecodeError:
                        continue
                else:
                    raise forms.ValidationError(_("无法识别文件编码：请另存为 UTF-8 文本或 .docx。"))
                if "\x00" in text:
                    raise forms.ValidationError(
                        _("文件中含有空字符（\\x00），不是纯文本文件：请另存为 UTF-8 文本或 .docx。")
                    )
        elif len(text.encode("utf-8")) > limit:
            raise forms.ValidationError(
                _("粘贴的文本超过 %(limit)d MB 的上限。") % {"limit": limit // 1048576}, code="file_size"
            )
        if not text.strip():
            raise forms.ValidationError(_("请粘贴方案文本或上传文件。"))
        data["plan_text"] = text
        return data


def edits_from_post(plan: dict, post) -> dict[str, dict]:
    """The officer's edits of each node, read from the preview's fields (missing = unchanged)."""
    edits: dict[str, dict] = {}
    for nid, node, _depth in node_ids(plan["nodes"]):
        key = f"n-{nid}"
        edit: dict = {"drop": post.get(f"{key}-drop") == "1"}
        for name in ("title", "units", "deadline"):
            if f"{key}-{name}" in post:
                edit[name] = post[f"{key}-{name}"]
        if node["targets"] and f"{key}-t0-value" in post:
            edit["targets"] = [
                {
                    "name": post.get(f"{key}-t{i}-name", ""),
                    "comparator": post.get(f"{key}-t{i}-comparator", ""),
                    "value": post.get(f"{key}-t{i}-value", ""),
                    "unit": post.get(f"{key}-t{i}-unit", ""),
                    "yearly": post.get(f"{key}-t{i}-yearly") == "1",
                    "year": post.get(f"{key}-t{i}-year", target.get("year") or ""),
                    "drop": post.get(f"{key}-t{i}-drop") == "1",
                    "text": target["text"],
                }
                for i, target in enumerate(node["targets"])
            ]
        edits[nid] = edit
    return edits


def _deadline_display(entry: dict) -> str:
    if entry["kind"] == "yearly" and entry["month"]:
        return _("每年%(m)s月%(d)s日") % {"m": entry["month"], "d": entry["day"]}
    return entry["date"] or "—"


class PlanImportView(ImportFlowMixin, LoginRequiredMixin, View):
    """/pairings/<id>/plans/import/: paste/upload → preview (edit, drop, match units) → confirm.

    Liaison staff of the pairing only (403 for others who see it); a pairing the user cannot see
    is a 404.
    """

    template_name = "tasks/importing/plan_import.html"
    flow = PreviewFlow("tasks.plan")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.pairing = get_object_or_404(
            Pairing.objects.visible_to(request.user).select_related("coastal_region", "mountain_region"),
            pk=kwargs["pk"],
        )
        if not is_liaison_of(request.user, self.pairing.pk):
            raise PermissionDenied(_("只有本结对的联络员可以从方案文本生成任务。"))
        return super().dispatch(request, *args, **kwargs)

    def flow_scope(self) -> int:
        return self.pairing.pk

    def upload_context(self) -> dict:
        return {"pairing": self.pairing, "form": PlanTextForm(), "max_mb": max_upload_bytes() // 1048576}

    def get(self, request, pk):
        return render(request, self.template_name, self.upload_context())

    def post(self, request, pk):
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        limit = max_upload_bytes()
        try:
            too_big = int(request.META.get("CONTENT_LENGTH") or 0) > limit + 1048576
        except ValueError:
            too_big = False
        if too_big:
            return self.refuse(
                ImportRefused(
                    [_("上传内容超过 %(limit)d MB 的上限。") % {"limit": limit // 1048576}], status=413
                )
            )
        form = PlanTextForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.refuse_form(form)
        text = form.cleaned_data["plan_text"]
        plan = to_json(parse_plan(text))
        if not plan["nodes"]:
            refused = ImportRefused(
                [_("没有识别出任何编号标题（一、（一）1.（1）……），无法生成任务树。请检查文本。")]
            )
            return self.refuse(refused, form=form)
        try:
            token = self.sign_preview({"plan": plan, "text": text})
        except ImportRefused as refused:
            return self.refuse(refused, form=form)
        return self.render_preview(plan, text, token)

    def confirm(self, request):
        try:
            state = self.open_preview()
            if state is None:
                return self.no_preview()
            plan = validate_plan_json(state.get("plan"))
        except ImportRefused as refused:
            return self.refuse(refused)
        text = state.get("text") or ""
        token = request.POST[PREVIEW_FIELD]
        post = request.POST
        edits = edits_from_post(plan, post)
        choices = confirm_choices(
            self.pairing, post, document_error=_("来源文件：请选择本结对的文件，或选择“按解析出的信息新建”。")
        )
        errors, document, years, unit_regions = (
            choices.errors,
            choices.document,
            choices.years,
            choices.unit_regions,
        )
        if not errors:
            try:
                result = import_plan(
                    self.pairing,
                    plan,
                    request.user,
                    document=document,
                    new_document=choices.new_document,
                    edits=edits,
                    unit_regions=unit_regions,
                    start_year=years.get("start_year"),
                    end_year=years.get("end_year"),
                    full_text=text,
                    keep_notice_items=[
                        i
                        for i in range(len(plan.get("notice_items") or []))
                        if post.get(f"notice-{i}-keep") == "1"
                    ],
                )
            except PlanImportRefused as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _("已从“%(doc)s”创建 %(n)d 个任务，新增单位 %(u)d 个、领域 %(a)d 个。")
                    % {
                        "doc": result.document,
                        "n": len(result.tasks),
                        "u": len(result.units_created),
                        "a": len(result.areas_created),
                    },
                )
                return redirect("tasks:plan_tree", self.pairing.pk)
        return self.render_preview(plan, text, token, post=post, edits=edits, errors=errors, status=400)

    def render_preview(self, plan, text, token, *, post=None, edits=None, errors=None, status=200):
        pairing = self.pairing
        edits = edits or {}
        matcher = UnitMatcher(pairing)
        regions = side_regions(pairing)
        groups = area_groups(plan["nodes"])
        rows = []
        unit_names: list[str] = []
        for nid, node, depth in node_ids(plan["nodes"]):
            edit = edits.get(nid, {})
            units_text = edit.get("units", "、".join(node["units"]))
            names = split_units(units_text)
            for name in names:
                if name not in unit_names:
                    unit_names.append(name)
            targets = []
            edited_targets = edit.get("targets") or []
            for i, target in enumerate(node["targets"]):
                current = edited_targets[i] if i < len(edited_targets) else {}
                targets.append(
                    {
                        "i": i,
                        "text": target["text"],
                        "name": current.get("name", target["text"][:120]),
                        "comparator": current.get("comparator", target["comparator"]),
                        "value": current.get("value", target["value"]),
                        "unit": current.get("unit", target["unit"]),
                        "yearly": current.get("yearly", target["yearly"]),
                        "year": current.get("year", target.get("year") or ""),
                        "drop": current.get("drop", False),
                    }
                )
            rows.append(
                {
                    "id": nid,
                    "depth": depth,
                    "number": node["number"],
                    "title": edit.get("title", node["title"]),
                    "body": node["body"],
                    "units": units_text,
                    "unit_list": [(full, unit) for name in names for full, unit, _r in matcher.resolve(name)],
                    "deadline": edit.get("deadline", default_deadline_text(node)),
                    "deadlines": [dict(d, display=_deadline_display(d)) for d in node["deadlines"]],
                    "targets": targets,
                    "drop": edit.get("drop", False),
                    "area": groups.get(nid),
                    "roles": node.get("roles") or [],
                }
            )
        unit_rows = preview_unit_rows(matcher, unit_names, post)
        meta = plan["document"]
        post = post or {}
        documents = list(pairing.documents.order_by("-issued", "title"))
        default_doc = post.get("document") or next(
            (str(d.pk) for d in documents if meta["doc_number"] and d.doc_number == meta["doc_number"]), "new"
        )
        issued_year = int(meta["issued"][:4]) if meta["issued"] else pairing.start_year
        context = {
            "pairing": pairing,
            "preview": True,
            "rows": rows,
            "node_count": len(rows),
            "unit_rows": unit_rows,
            "new_unit_count": sum(1 for u in unit_rows if u["match"] is None),
            "regions": regions,
            "documents": documents,
            "document_choice": default_doc,
            "meta": {
                "doc_number": post.get("doc_number", meta["doc_number"] or ""),
                "title": post.get("doc_title", meta["title"] or ""),
                "issuers": post.get("doc_issuers", "、".join(meta["issuers"])),
                "issued": post.get("doc_issued", meta["issued"] or ""),
            },
            "start_year": post.get("start_year", max(pairing.start_year, issued_year)),
            "end_year": post.get("end_year", pairing.end_year or ""),
            "comparators": COMPARATORS,
            "conflicts": plan.get("conflicts") or [],
            "plan_attachment": plan.get("plan_attachment"),
            "notice_items": [
                {
                    "i": i,
                    "title": item["title"],
                    "deadline": default_deadline_text(item),
                    "keep": post.get(f"notice-{i}-keep") == "1",
                }
                for i, item in enumerate(plan.get("notice_items") or [])
            ],
            "preview_token": token,
            "errors": errors or [],
        }
        return render(self.request, self.template_name, context, status=status)
