"""``python manage.py parse_plan FILE [--json]``: show the task tree the parser proposes for a plan.

A thin wrapper around ``planparser.parse_plan``; it writes nothing to the database.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from planparser import Node, PlanFileError, PlanTree, parse_plan, read_plan_file, to_json

_COMPARATORS = {">=": "≥", "<=": "≤", "=": "=", "≈": "≈"}


class Command(BaseCommand):
    help = _("读取实施方案（.txt 或 .docx），显示解析出的任务树；--json 输出 JSON。不写入数据库。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("方案文件：.txt（UTF-8 或 GB18030）或 .docx"))
        parser.add_argument("--json", action="store_true", help=_("按议题 7 的 JSON 格式输出"))
        parser.add_argument(
            "--attachments", action="store_true", help=_("同时输出附件（JSON 中为顶层 attachments 列表）")
        )

    def handle(self, *args, **options) -> None:
        try:
            text = read_plan_file(options["file"])
        except PlanFileError as exc:
            raise CommandError(str(exc)) from exc
        tree = parse_plan(text)
        if options["json"]:
            data = to_json(tree, attachments=options["attachments"])
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(render_tree(tree, attachments=options["attachments"]))


def render_tree(tree: PlanTree, *, attachments: bool = False) -> str:
    """The readable, indented form of a parsed plan (what the command prints without --json)."""
    doc = tree.document
    lines = [
        " ".join(part for part in (doc.doc_number, doc.title) if part) or _("（未识别出文号和标题）"),
        _("发文机关：%(issuers)s　发布日期：%(issued)s")
        % {"issuers": "、".join(doc.issuers) or "—", "issued": doc.issued.isoformat() if doc.issued else "—"},
    ]
    for att in doc.attachments:
        lines.append(_("附件%(number)s：%(title)s") % {"number": att.number, "title": att.title or "—"})
        if attachments and att.text:
            lines.extend("    " + row for row in att.text.splitlines())
    if tree.plan_attachment:
        lines.append(_("方案在附件%(number)s中：任务树读自该附件。") % {"number": tree.plan_attachment})
    lines.append("")
    for node in tree.nodes:
        _render_node(node, lines)
    if tree.notice_items:
        lines.append("")
        lines.append(_("来文本身的要求（不是方案的任务，可另建为一次性任务）："))
        for item in tree.notice_items:
            lines.append("    " + " ".join(p for p in (item.number, item.title) if p))
            for d in item.deadlines:
                lines.append(
                    "          " + _("期限：%(when)s　〔%(text)s〕") % {"when": _when(d), "text": d.text}
                )
    for conflict in tree.conflicts:
        lines.append("")
        lines.append(
            _("文件前后不一致（%(kind)s）：%(a)s ↔ %(b)s")
            % {
                "kind": _("期限") if conflict.kind == "deadline" else _("数字"),
                "a": conflict.first_value,
                "b": conflict.second_value,
            }
        )
        lines.append("    ① " + conflict.first)
        lines.append("    ② " + conflict.second)
    counts = tree.level_counts()
    lines.append("")
    lines.append(
        _("共 %(total)d 个节点（%(levels)s）")
        % {
            "total": sum(counts),
            "levels": "，".join(
                _("第%(level)d层 %(count)d") % {"level": i + 1, "count": c} for i, c in enumerate(counts)
            ),
        }
    )
    nodes = list(tree.walk())
    lines.append(
        _(
            "编号任务 %(tasks)d 个；责任单位 %(units)d 个（%(links)d 处），角色 %(roles)d 处；期限 %(deadlines)d 个；指标 %(targets)d 个；往年实绩 %(facts)d 个；前后不一致 %(conflicts)d 处"
        )
        % {
            "tasks": len(nodes),
            "units": len({u for n in nodes for u in n.units}),
            "links": sum(len(n.units) for n in nodes),
            "roles": sum(len(n.roles) for n in nodes),
            "deadlines": sum(len(n.deadlines) for n in nodes),
            "targets": sum(len(n.targets) for n in nodes),
            "facts": sum(len(n.facts) for n in nodes),
            "conflicts": len(tree.conflicts),
        }
    )
    return "\n".join(lines)


def _when(d) -> str:
    if d.kind == "yearly":
        return _("每年 %(month)d月%(day)d日") % {"month": d.month, "day": d.day}
    if d.date:
        return d.date.isoformat()
    return _("%(month)d月%(day)d日（年份待定）") % {"month": d.month, "day": d.day}


def _render_node(node: Node, lines: list[str]) -> None:
    pad = "    " * node.level
    gap = " " if node.number.endswith(".") or node.style in ("chapter", "section", "article", "box") else ""
    lines.append(f"{pad}{node.number}{gap}{node.title}")
    if node.units:
        if node.leads > 1 or any(n.role.startswith(("牵头", "主责")) for n in node.unit_notes):
            lines.append(
                pad + "      " + _("牵头单位：%(units)s") % {"units": "、".join(node.units[: node.leads])}
            )
            if node.units[node.leads :]:
                lines.append(
                    pad + "      " + _("配合单位：%(units)s") % {"units": "、".join(node.units[node.leads :])}
                )
        else:
            lines.append(pad + "      " + _("责任单位：%(units)s") % {"units": "、".join(node.units)})
    if node.roles:
        lines.append(pad + "      " + _("角色（非单位）：%(roles)s") % {"roles": "、".join(node.roles)})
    for d in node.deadlines:
        lines.append(pad + "      " + _("期限：%(when)s　〔%(text)s〕") % {"when": _when(d), "text": d.text})
    for t in node.targets:
        lines.append(
            pad
            + "      "
            + _("指标：%(cmp)s %(value)s %(unit)s%(yearly)s　〔%(text)s〕")
            % {
                "cmp": _COMPARATORS[t.comparator],
                "value": f"{t.value:,}",
                "unit": t.unit,
                "yearly": _("（每年）")
                if t.yearly
                else (_("（%(year)d年）") % {"year": t.year} if t.year else ""),
                "text": t.text,
            }
        )
    for child in node.children:
        _render_node(child, lines)
