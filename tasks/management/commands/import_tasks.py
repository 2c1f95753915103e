"""``python manage.py import_tasks FILE --pairing ID [--dry-run] [--json] [--actor USERNAME]``.

A thin wrapper around ``tasks.importing.table`` (the functions the upload page calls): read a
responsibility table (.xlsx), then create the pairing's tasks in one transaction through the
policy-text import's confirm service. Every error is printed as “第 N 行，列名：…” and the command
exits non-zero with nothing written.

* ``--json`` prints the tree in the plan tree's JSON schema (checked against it) and writes nothing.
* ``--dry-run`` does the whole import inside a transaction that is rolled back: every check runs,
  the counts are printed, nothing stays.
* ``--actor USERNAME`` names the liaison officer the history records (checked like the page);
  without it the rows are written by the system (no user in the history), as other commands do.
* ``--document ID`` adds the tasks to an existing document of the pairing instead of creating one
  from the table's title row.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cooperation.models import Pairing, User
from tasks.importing.plan import PlanImportRefused, validate_plan_json
from tasks.importing.table import import_table, read_task_table


class Command(BaseCommand):
    help = _("从 Excel 责任分解表（.xlsx）为结对创建任务：全部通过才写入，逐行列出错误。")

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help=_("责任分解表：.xlsx 文件路径"))
        parser.add_argument("--pairing", type=int, required=True, help=_("结对 ID"))
        parser.add_argument("--dry-run", action="store_true", help=_("完整检查一遍，不写入"))
        parser.add_argument("--json", action="store_true", help=_("按议题 7 的 JSON 格式输出任务树，不写入"))
        parser.add_argument("--actor", help=_("以该联络员的名义写入历史记录；默认为系统"))
        parser.add_argument(
            "--document", type=int, help=_("归入本结对已有的来源文件（ID）；默认按表格标题新建")
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(file)s") % {"file": options["file"]})
        pairing = (
            Pairing.objects.select_related("coastal_region", "mountain_region")
            .filter(pk=options["pairing"])
            .first()
        )
        if pairing is None:
            raise CommandError(_("结对不存在：%(id)s") % {"id": options["pairing"]})
        actor = None
        if options["actor"]:
            actor = User.objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(_("找不到用户：%(name)s") % {"name": options["actor"]})
        document = None
        if options["document"]:
            document = pairing.documents.filter(pk=options["document"]).first()
            if document is None:
                raise CommandError(_("来源文件 %(id)s 不属于该结对。") % {"id": options["document"]})

        started = time.monotonic()
        with path.open("rb") as handle:
            table = read_task_table(handle, filename=path.name)
        parsed = time.monotonic() - started
        for warning in table.warnings:
            self.stderr.write(_("提示：%(w)s") % {"w": warning})
        if not table.ok:
            for error in table.errors:
                self.stderr.write(error)
            raise CommandError(_("导入失败，未做任何修改（%(n)d 处错误）。") % {"n": len(table.errors)})

        if options["json"]:
            try:
                validate_plan_json(table.plan)
            except PlanImportRefused as refused:
                raise CommandError("；".join(refused.errors)) from refused
            self.stdout.write(json.dumps(table.plan, ensure_ascii=False, indent=2))
            return

        try:
            result = import_table(
                pairing,
                table.plan,
                actor,
                leads=table.leads,
                document=document,
                dry_run=options["dry_run"],
                # Running the command on a file is the confirmation the preview asks for: units
                # found nowhere are created under the region their name starts with.
                create_units=True,
            )
        except PermissionDenied as denied:
            raise CommandError(str(denied)) from denied
        except PlanImportRefused as refused:
            for error in refused.errors:
                self.stderr.write(error)
            raise CommandError(
                _("导入失败，未做任何修改（%(n)d 处错误）。") % {"n": len(refused.errors)}
            ) from refused
        summary = _(
            "%(verb)s“%(pairing)s”创建任务 %(tasks)d 个（其中任务 %(top)d 个、事项 %(items)d 个），"
            "新增单位 %(units)d 个；读取 %(parse).1f 秒，共 %(total).1f 秒。"
        ) % {
            "verb": _("检查通过（未写入），将为") if options["dry_run"] else _("已为"),
            "pairing": pairing.name,
            "tasks": len(result.tasks),
            "top": table.task_count,
            "items": table.item_count,
            "units": len(result.units_created),
            "parse": parsed,
            "total": time.monotonic() - started,
        }
        self.stdout.write(self.style.SUCCESS(summary))
