"""Confirm a parsed plan: the officer's checked tree becomes the pairing's tasks.

The parser (reports/plan_parser) proposes; this module writes. ``import_plan`` takes the tree in
the plan tree's JSON (``to_json(parse_plan(text))``), the officer's edits keyed by node id, and
creates — in ONE transaction — the source document (or uses an existing one of the pairing),
the new units the officer confirmed (matching: ``tasks.importing.units``), areas, tasks (numbers as printed, parents, titles, bodies), their responsible
units (first = lead, the rest co-operating, through ``tasks.services.set_task_units``), targets
and periods (``tasks.services.sync_periods``). Everything is checked before the first write;
any error and nothing is written (``PlanImportRefused`` with every message in Chinese).

Node ids are the node's position in the original tree: "1" is the second top-level node, "1.0.2"
the third child of its first child. Dropping a node drops its subtree.

Duplicates are refused, not merged: a tree whose (number, title) pairs already exist as tasks of
the same document in the pairing, or a new document whose 文号 the pairing already has, is refused
with the names of what exists, so confirming twice never duplicates anything.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.models import Pairing, PolicyDocument, Region, Unit
from cooperation.scoping import is_liaison_of
from core.bulk import insert
from core.history import as_actor, insert_history
from core.importflow import ImportRefused
from core.money import parse_money
from core.text import hidden_character
from planparser import PLAN_JSON_SCHEMA
from tasks import fulfilment
from tasks import services as task_services
from tasks.importing.units import (  # noqa: F401 — the units' rules, re-exported for the import views
    UnitMatcher,
    canonical_unit_name,
    guess_unit_kind,
    normalise_unit_name,
    preview_unit_rows,
    region_stems,
    side_regions,
)
from tasks.models import Area, Target, Task, TaskPeriod, TaskUnit
from tasks.signals import tasks_imported

UNIT_SPLIT = re.compile(r"[、，,；;\n]")
OPEN_BRACKETS, CLOSE_BRACKETS = "（(〈<《[【〔", "）)〉>》]】〕"


class PlanImportRefused(ImportRefused):
    """Nothing was written; ``errors`` lists every reason, each a sentence in Chinese.

    The import flow's one refusal (``core.importflow.ImportRefused``), named for the plan import.
    """


@dataclass
class PlanNode:
    """One node of the tree after the officer's edits, ready to be written."""

    id: str
    number: str
    title: str
    body: str
    units: list[str]
    deadline_text: str
    deadline: dict[str, Any]
    targets: list[dict[str, Any]]
    children: list[PlanNode] = field(default_factory=list)
    area_name: str | None = None
    depth: int = 0
    leads: int = 1  # how many of ``units`` lead (the rest co-operate); a table's 牵头单位 may name several

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ImportResult:
    """What ``import_plan`` created."""

    document: PolicyDocument
    tasks: list[Task]
    units_created: list[Unit]
    areas_created: list[Area]


# --------------------------------------------------------------------------------------------
# Reading and checking the tree
# --------------------------------------------------------------------------------------------


def validate_plan_json(data: Any) -> dict:
    """The tree as the plan tree's schema allows it, or PlanImportRefused (never trusted blindly)."""
    if not isinstance(data, dict):
        raise PlanImportRefused([_("预览数据无效：不是方案树的 JSON 对象。请重新粘贴文本并预览。")])
    try:
        jsonschema.validate(data, PLAN_JSON_SCHEMA)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "—"
        raise PlanImportRefused(
            [
                _("预览数据无效（位置 %(where)s）：%(msg)s。请重新粘贴文本并预览。")
                % {"where": where, "msg": exc.message}
            ]
        ) from exc
    return data


def node_ids(nodes: list[dict], prefix: str = "") -> list[tuple[str, dict, int]]:
    """(id, node, depth) of every node of the JSON tree, depth first."""
    found = []
    for index, node in enumerate(nodes):
        nid = f"{prefix}{index}"
        found.append((nid, node, nid.count(".")))
        found.extend(node_ids(node["children"], nid + "."))
    return found


def split_units(text: str) -> list[str]:
    """ "尤溪县教育局、晋江市教育局" → two names, no duplicates.

    Separators are 、，,；; and new lines, but not inside brackets: "结对县〈市、区〉党委" is one name.
    """
    names: list[str] = []
    depth, current = 0, []
    for char in (text or "") + "、":
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        if depth == 0 and UNIT_SPLIT.fullmatch(char):
            name = "".join(current).strip()
            if name and name not in names:
                names.append(name)
            current = []
        else:
            current.append(char)
    return names


def default_deadline_text(node: dict) -> str:
    return node["deadlines"][0]["text"] if node["deadlines"] else ""


def _deadline_from_parser(entry: dict) -> dict[str, Any] | None:
    """The Task deadline fields of a parser deadline, when it is complete enough to use as is."""
    if entry["kind"] == "yearly" and entry["month"] and entry["day"]:
        return {
            "deadline_kind": Task.DeadlineKind.YEARLY,
            "deadline_date": None,
            "deadline_month": entry["month"],
            "deadline_day": entry["day"],
            "deadline_text": entry["text"],
        }
    if entry["kind"] == "once" and entry["date"]:
        return {
            "deadline_kind": Task.DeadlineKind.ONCE,
            "deadline_date": datetime.date.fromisoformat(entry["date"]),
            "deadline_month": None,
            "deadline_day": None,
            "deadline_text": entry["text"],
        }
    return None


def target_name(text: str) -> str:
    return (text or "").strip().rstrip("。；;，,")[:120]


def area_groups(nodes: list[dict], prefix: str = "") -> dict[str, str]:
    """Node id → area name, for the top-level groups of a plan.

    A top-level node whose children have children of their own (二、重点任务 → （一）产业协作…)
    gives one area per child; a top-level node whose children are all leaves (三、保障措施) is
    itself the area; a top-level node without children (一、总体要求) has none. Every node
    below a group takes its group's area.
    """
    groups: dict[str, str] = {}
    for index, node in enumerate(nodes):
        nid = f"{prefix}{index}"
        children = node["children"]
        if not children:
            continue
        if any(child["children"] for child in children):
            for cindex, child in enumerate(children):
                groups[f"{nid}.{cindex}"] = child["title"]
        else:
            groups[nid] = node["title"]
    return groups


def _edited_targets(node: dict, edit: dict | None, label: str, errors: list[str]) -> list[dict]:
    rows = edit.get("targets") if edit and edit.get("targets") is not None else node["targets"]
    targets = []
    for index, row in enumerate(rows, start=1):
        if row.get("drop"):
            continue
        where = _("%(node)s 第 %(n)s 个指标") % {"node": label, "n": index}
        name = target_name(row.get("name") or row.get("text") or "")
        comparator = row.get("comparator")
        unit = (row.get("unit") or "").strip()
        try:
            value = parse_money(row.get("value"), places=None)
        except (InvalidOperation, ValueError):
            errors.append(_("%(where)s，目标值：“%(v)s”不是数字。") % {"where": where, "v": row.get("value")})
            continue
        if not name:
            errors.append(_("%(where)s，名称：不能为空。") % {"where": where})
        if comparator not in Target.Comparator.values:
            errors.append(_("%(where)s，比较：只能是 ≥、≤、= 或 ≈。") % {"where": where})
        if not unit or len(unit) > 10:
            errors.append(_("%(where)s，单位：须填写，最多 10 个字。") % {"where": where})
        # A decrease is a negative change of a rate ("下降 3%" → ≤ −3 %); amounts are never negative.
        negative_ok = unit in ("%", "个百分点", "百分点")
        if (
            (value < 0 and not negative_ok)
            or abs(value) >= Decimal("1e16")
            or value != value.quantize(Decimal("0.01"))
        ):
            errors.append(
                _(
                    "%(where)s，目标值：须为不小于 0（百分比的降幅可为负数）、最多两位小数、小于 10¹⁶ 的数（%(v)s）。"
                )
                % {"where": where, "v": value}
            )
        year = row.get("year")
        if year not in (None, "") and not (str(year).isdigit() and 1900 < int(year) < 2200):
            errors.append(_("%(where)s，年度：“%(v)s”不是年份。") % {"where": where, "v": year})
            year = None
        targets.append(
            {
                "name": name,
                "comparator": comparator,
                "value": value,
                "unit": unit,
                "yearly": bool(row.get("yearly")),
                "year": int(year) if year not in (None, "") else None,
                "source_text": (row.get("text") or name)[:200],
            }
        )
    return targets


def build_nodes(plan: dict, edits: dict[str, dict] | None = None) -> tuple[list[PlanNode], list[str]]:
    """Apply the officer's edits to the JSON tree: (kept nodes, errors). Nothing is written.

    An edit may change ``title``, ``units`` (a string split on 、，; or a list), ``deadline``
    (text, normalised again by ``tasks.services.parse_deadline`` when it differs from the
    parser's), ``targets`` (rows with name, comparator, value, unit, yearly, drop) and ``drop``;
    ``leads`` (default 1) says how many of the first units lead (tasks/importing/table.py: a
    responsibility table's 牵头单位 column may name several); ``area`` renames the area a group
    node names; ``add_children`` (nodes in the plan's JSON shape) splits a node into sub-tasks,
    whose ids follow the parsed children's.
    """
    edits = edits or {}
    errors: list[str] = []
    groups = area_groups(plan["nodes"])

    def build(
        nodes: list[dict], prefix: str, depth: int, area: str | None, path: str, start: int = 0
    ) -> list[PlanNode]:
        built = []
        for index, node in enumerate(nodes, start=start):
            nid = f"{prefix}{index}"
            edit = edits.get(nid) or {}
            if edit.get("drop"):
                continue
            number = node["number"].strip()
            label = _("节点 %(path)s%(number)s") % {"path": path, "number": number or nid}
            title = (edit["title"] if edit.get("title") is not None else node["title"]).strip()
            if not title:
                errors.append(_("%(node)s，标题：不能为空。") % {"node": label})
            elif len(title) > 200:
                errors.append(
                    _("%(node)s，标题：最多 200 个字（现有 %(n)s 个）。") % {"node": label, "n": len(title)}
                )
            elif hidden_character(title):
                errors.append(
                    _("%(node)s，标题：含有看不见的字符（U+%(code)04X，零宽字符或文字方向控制符），请删除。")
                    % {"node": label, "code": ord(hidden_character(title))}
                )
            if len(number) > 20:
                errors.append(_("%(node)s，序号：最多 20 个字。") % {"node": label})
            raw_units = edit.get("units") if edit.get("units") is not None else node["units"]
            units = split_units(raw_units) if isinstance(raw_units, str) else list(dict.fromkeys(raw_units))
            for name in units:
                if len(name) > 120:
                    errors.append(
                        _("%(node)s，责任单位：“%(u)s”超过 120 个字。") % {"node": label, "u": name[:30]}
                    )
            parsed_text = default_deadline_text(node)
            text = (edit["deadline"] if edit.get("deadline") is not None else parsed_text).strip()
            deadline = None
            if text and text == parsed_text:
                deadline = _deadline_from_parser(node["deadlines"][0])
            if deadline is None:
                deadline = task_services.parse_deadline(text)
            if len(text) > 100:
                errors.append(_("%(node)s，期限：原文最多 100 个字。") % {"node": label})
            elif text and deadline["deadline_kind"] == Task.DeadlineKind.NONE:
                errors.append(
                    _("%(node)s，期限：无法识别“%(t)s”，请改写为“每年4月底前”“2018年7月底前”之类，或清空。")
                    % {"node": label, "t": text}
                )
            plan_node = PlanNode(
                id=nid,
                number=number,
                title=title,
                body=node["body"],
                units=units,
                deadline_text=text,
                deadline=deadline,
                targets=_edited_targets(node, edit, label, errors),
                # A group names the area of its subtree (its title as edited, max 40 characters,
                # or the name the officer gave the area).
                area_name=((edit.get("area") or title)[:40] or None) if nid in groups else area,
                depth=depth,
                leads=max(1, int(edit.get("leads") or node.get("leads") or 1)),
            )
            plan_node.children = build(
                node["children"], nid + ".", depth + 1, plan_node.area_name, path + number
            )
            added = edit.get("add_children") or []
            if added:
                # Sub-tasks the officer split the node into ("落实帮扶资金" and "制定资金使用项目清单"
                # under 三、（四）): nodes of the plan's own shape, ids after the parsed children.
                try:
                    validate_plan_json({"document": plan["document"], "nodes": added})
                except PlanImportRefused as refused:
                    errors.extend(refused.errors)
                else:
                    plan_node.children += build(
                        added,
                        nid + ".",
                        depth + 1,
                        plan_node.area_name,
                        path + number,
                        start=len(node["children"]),
                    )
            built.append(plan_node)
        return built

    return build(plan["nodes"], "", 0, None, ""), errors


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------


@dataclass
class ConfirmChoices:
    """What the officer chose on a preview's confirm form, beside the tree: the source document (an
    existing one of the pairing, or one made from the fields shown), the years, and the region of
    each unit to be created. `errors` are messages for the form; nothing is written with any."""

    document: PolicyDocument | None
    new_document: dict[str, str]
    years: dict[str, int]
    unit_regions: dict[str, int]
    errors: list[str]


def confirm_choices(pairing: Pairing, post, *, document_error: str) -> ConfirmChoices:
    """Read the confirm form's choices (shared by the plan-text and responsibility-table imports).

    `document_error` is the message for a document that is not the pairing's: each page names its
    own “new document” option.
    """
    errors: list[str] = []
    document = None
    choice = post.get("document", "new")
    if choice != "new":
        document = pairing.documents.filter(pk=choice if choice.isdigit() else 0).first()
        if document is None:
            errors.append(document_error)
    years = {}
    for name, label in (("start_year", _("起始年份")), ("end_year", _("截止年份"))):
        raw = post.get(name, "").strip()
        if raw:
            if raw.isdigit() and 1900 < int(raw) < 2200:
                years[name] = int(raw)
            else:
                errors.append(_("%(label)s：“%(v)s”不是年份。") % {"label": label, "v": raw})
    unit_regions = {}
    index = 0
    while f"u{index}-name" in post:
        if post.get(f"u{index}-region", "").isdigit():
            unit_regions[post[f"u{index}-name"]] = int(post[f"u{index}-region"])
        index += 1
    new_document = {
        "doc_number": post.get("doc_number", ""),
        "title": post.get("doc_title", ""),
        "issuers": post.get("doc_issuers", ""),
        "issued": post.get("doc_issued", ""),
    }
    return ConfirmChoices(document, new_document, years, unit_regions, errors)


# --------------------------------------------------------------------------------------------
# The confirm service
# --------------------------------------------------------------------------------------------


def _parse_date(value, label: str, errors: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors.append(_("%(label)s：“%(v)s”不是日期（格式 2024-06-12）。") % {"label": label, "v": value})
        return None


def import_plan(
    pairing: Pairing,
    plan: dict,
    user,
    *,
    document: PolicyDocument | None = None,
    new_document: dict | None = None,
    edits: dict[str, dict] | None = None,
    unit_regions: dict[str, int] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    full_text: str = "",
    create_units: bool = False,
    keep_notice_items: list[int] | None = None,
) -> ImportResult:
    """Create the pairing's tasks from a checked plan tree, all or nothing.

    ``document``: an existing PolicyDocument of the pairing; otherwise ``new_document`` (keys
    doc_number, title, issuers, issued; defaults from the tree's metadata) is created and linked.
    ``unit_regions`` maps a new unit's name to the id of the region (within the pairing's sides)
    it is created under: the user's confirmation in the preview. A unit found nowhere and not in
    ``unit_regions`` is refused — unless ``create_units`` (a management command run on a file,
    whose run is the confirmation), which creates it under the region its name starts with, else
    the coastal side. ``start_year``/``end_year`` default to the document's issue year (not
    before the pairing's start) and the pairing's end year. Only liaison staff of the pairing may
    confirm (PermissionDenied otherwise); every row's history names ``user``. ``user`` None is
    the system (a management command, as in ``tasks.services``): no permission check, history
    without a user.
    """
    if user is not None and not is_liaison_of(user, pairing.pk):
        raise PermissionDenied(_("只有本结对的联络员可以从方案生成任务。"))
    plan = validate_plan_json(plan)
    notices = plan.get("notice_items") or []
    kept = [notices[i] for i in sorted(set(keep_notice_items or [])) if 0 <= i < len(notices)]
    if kept:
        plan = {**plan, "nodes": [*plan["nodes"], *kept]}
    # Edits arrive straight from the preview's POST: a NUL byte would reach the database, where
    # PostgreSQL refuses it with an error page. Refused here, with the text that holds it.
    nul = [
        _("“%(text)s”中含有空字符（\\x00），请删除后重试。") % {"text": text[:30].replace("\x00", "␀")}
        for text in _strings((plan, edits, new_document, unit_regions, full_text))
        if "\x00" in text
    ]
    if nul:
        raise PlanImportRefused(nul[:10])
    nodes, errors = build_nodes(plan, edits)
    all_nodes = [n for top in nodes for n in top.walk()]
    if not all_nodes:
        errors.append(_("没有要创建的任务：所有节点都已删除，或文本中没有识别出编号标题。"))

    # The source document.
    meta = plan["document"]
    doc_fields: dict[str, Any] = {}
    if document is not None:
        if not pairing.documents.filter(pk=document.pk).exists():
            errors.append(_("来源文件：所选文件不属于本结对。"))
    else:
        new_document = new_document or {}
        issuers = new_document.get("issuers", meta["issuers"])
        if isinstance(issuers, str):
            issuers = split_units(issuers)
        doc_fields = {
            "doc_number": (new_document.get("doc_number", meta["doc_number"]) or "").strip(),
            "title": (new_document.get("title", meta["title"]) or "").strip(),
            "issuers": "、".join(issuers),
            "issued": _parse_date(
                new_document.get("issued", meta["issued"]), _("来源文件，发布日期"), errors
            ),
        }
        if not doc_fields["title"]:
            errors.append(_("来源文件，标题：不能为空（文本中没有识别出标题，请填写）。"))
        if (
            len(doc_fields["title"]) > 255
            or len(doc_fields["doc_number"]) > 60
            or len(doc_fields["issuers"]) > 255
        ):
            errors.append(_("来源文件：文号最多 60 个字，标题和发文机关最多 255 个字。"))
        if (
            doc_fields["doc_number"]
            and pairing.documents.filter(doc_number=doc_fields["doc_number"]).exists()
        ):
            errors.append(
                _("来源文件：本结对已有文号为 %(n)s 的文件，请在“来源文件”中选择它，不要重复创建。")
                % {"n": doc_fields["doc_number"]}
            )

    # Years.
    issued = document.issued if document is not None else doc_fields.get("issued")
    first = start_year or max(pairing.start_year, issued.year if issued else pairing.start_year)
    last = end_year if end_year is not None else pairing.end_year
    if last is not None and last < first:
        errors.append(_("年份：截止年份 %(e)s 不能早于起始年份 %(s)s。") % {"e": last, "s": first})

    # Duplicates: the same (number, title) already imported from this document.
    if document is not None and all_nodes:
        existing = set(Task.objects.filter(pairing=pairing, document=document).values_list("number", "title"))
        again = [f"{n.number}{n.title}" for n in all_nodes if (n.number, n.title) in existing]
        if again:
            errors.append(
                _("这些任务已从该文件导入过，未重复创建：%(tasks)s。如需重新导入，请先删除原任务。")
                % {"tasks": "、".join(again[:10]) + ("……" if len(again) > 10 else "")}
            )

    # Units: matched, or new — only those the user confirmed, under the region the preview showed
    # (within the pairing's sides). "两省区X" stands for one unit of each side.
    matcher = UnitMatcher(pairing)
    allowed_regions = {r.pk: r for r in matcher.regions}
    new_units: dict[str, Region] = {}
    unconfirmed: list[str] = []
    for node in all_nodes:
        for name in node.units:
            for full, unit, _region in matcher.resolve(name):
                if unit is not None or full in new_units or full in unconfirmed:
                    continue
                region_id = (unit_regions or {}).get(full)
                if not region_id and create_units:
                    region_id = (_region or pairing.coastal_region).pk
                if not region_id:
                    unconfirmed.append(full)
                    continue
                region = allowed_regions.get(int(region_id))
                if region is None:
                    errors.append(_("新单位“%(u)s”：所选地区不在本结对的两侧地区内。") % {"u": full})
                    continue
                new_units[full] = region
    if unconfirmed:
        errors.append(
            _("这些单位在本结对的地区中找不到，须在预览中确认新建并选择所在地区：%(units)s。")
            % {"units": "、".join(unconfirmed[:20]) + ("……" if len(unconfirmed) > 20 else "")}
        )

    if errors:
        raise PlanImportRefused(errors)

    try:
        with transaction.atomic():
            return _write(
                pairing, user, nodes, document, doc_fields, full_text, first, last, matcher, new_units
            )
    except ValidationError as exc:
        raise PlanImportRefused(list(exc.messages)) from exc


def _strings(value):
    """Every string (dictionary keys too) inside nested dicts, lists and tuples."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _insert(model, objs: list, user) -> list:
    """Insert `objs` in bulk with one history row each ("+", naming `user`, as a save would).

    A bulk insert sends no signals, so the history rows are written here explicitly, in the same
    transaction (``core.history.insert_history``); the ids come back from the insert (PostgreSQL,
    SQLite ≥ 3.35). One INSERT whatever the number of rows, split only past the database's
    parameter limit (SQLite's; PostgreSQL has none): ``core.bulk.insert``.
    """
    if not objs:
        return objs
    for obj in objs:
        as_actor(obj, user)
    insert(model, objs)
    insert_history(model, objs)
    return objs


def _write(
    pairing, user, nodes, document, doc_fields, full_text, first, last, matcher, new_units
) -> ImportResult:
    """Write the checked tree in bulk: a fixed number of queries whatever its size.

    Tasks are inserted one tree level at a time (a child needs its parent's id), then their units,
    targets and periods each in one insert, every row with its history row naming ``user``.
    Ledger-kept tasks (``fulfilment.link_from_plan``) are judged by their ledger once written.
    """
    if document is None:
        document = PolicyDocument(kind=PolicyDocument.Kind.PLAN, full_text=full_text, **doc_fields)
        as_actor(document, user)
        document.save()
        document.pairings.add(pairing)

    units_created = [
        Unit(name=name, region=region, kind=guess_unit_kind(name)) for name, region in new_units.items()
    ]
    if units_created:
        # A name the matcher did not find is new in its region; should one exist all the same
        # (written meanwhile), its full check says so in the model's own words.
        taken = set(
            Unit.objects.filter(name__in=[u.name for u in units_created]).values_list("region_id", "name")
        )
        for unit in units_created:
            conflict = (unit.region_id, unit.name) in taken
            # The region is one of the pairing's sides (``allowed_regions``): checked without a query.
            unit.full_clean(exclude=None if conflict else ["region"], validate_constraints=conflict)
        _insert(Unit, units_created, user)
        for unit in units_created:
            matcher.add(unit)

    areas = {a.name: a for a in Area.objects.filter(pairing=pairing)}
    order = max((a.order for a in areas.values()), default=-1)
    areas_created: list[Area] = []
    position = (
        Task.objects.filter(pairing=pairing).order_by("-position").values_list("position", flat=True).first()
        or 0
    )
    # The fund rules a task may be proved by, read once for every task (link_from_plan).
    fund_rules = list(pairing.fund_rules.all())

    def area_for(name: str | None) -> Area | None:
        nonlocal order
        if not name:
            return None
        if name not in areas:
            order += 1
            areas[name] = Area(pairing=pairing, name=name, order=order)
            areas_created.append(areas[name])
        return areas[name]

    # Build every row in memory, depth first (the order of positions and of the result).
    tasks: list[Task] = []
    levels: dict[int, list[Task]] = {}
    targets: list[Target] = []
    task_units: list[TaskUnit] = []
    built: list[tuple[Task, PlanNode]] = []

    def build(node: PlanNode, parent: Task | None, depth: int) -> None:
        nonlocal position
        position += 1
        task = Task(
            pairing=pairing,
            document=document,
            parent=parent,
            number=node.number,
            position=position,
            title=node.title,
            body=node.body,
            area=area_for(node.area_name),
            start_year=first,
            end_year=last,
            **node.deadline,
        )
        # Fields and clean() as before; the database's constraints (end ≥ start) are checked above.
        task.full_clean(
            exclude=["pairing", "parent", "document", "area"],
            validate_unique=False,
            validate_constraints=False,
        )
        once_year = task.deadline_date.year if task.deadline_kind == Task.DeadlineKind.ONCE else None
        own_targets = [
            Target(
                task=task,
                name=row["name"],
                comparator=row["comparator"],
                value=row["value"],
                unit=row["unit"],
                year=None if row["yearly"] else (row["year"] or once_year),
                source_text=row["source_text"],
            )
            for row in node.targets
        ]
        # Minimums by activities, the money by its ledger.
        fulfilment.link_from_plan(task, own_targets, fund_rules=fund_rules)
        targets.extend(own_targets)
        tasks.append(task)
        levels.setdefault(depth, []).append(task)
        built.append((task, node))
        for child in node.children:
            build(child, task, depth + 1)

    for node in nodes:
        build(node, None, 0)

    _insert(Area, areas_created, user)
    for depth in sorted(levels):
        for task in levels[depth]:
            # The parent and area got their ids when inserted: copy them onto the foreign keys.
            task.parent = task.parent
            task.area = task.area
        _insert(Task, levels[depth], user)

    for task, node in built:
        units: list[Unit] = []
        leads = 0
        for index, name in enumerate(node.units):
            for full, unit, _region in matcher.resolve(name):
                unit = unit or matcher.by_name[canonical_unit_name(full)]
                if unit not in units:
                    units.append(unit)
                    leads += index < node.leads
        # As ``tasks.services.set_task_units``: leads, then co-operating units, each in order.
        task_units += [
            TaskUnit(task=task, unit=unit, role=TaskUnit.Role.LEAD, order=order)
            for order, unit in enumerate(units[:leads])
        ]
        task_units += [
            TaskUnit(task=task, unit=unit, role=TaskUnit.Role.COOPERATING, order=order)
            for order, unit in enumerate(units[leads:])
        ]
    _insert(TaskUnit, task_units, user)
    for target in targets:
        target.task = target.task  # its id, now that the task is inserted
    _insert(Target, targets, user)
    _insert(TaskPeriod, [period for task in tasks for period in task_services.new_periods(task)], user)

    # A ledger-kept task's periods follow its ledger from the start. The activities' syncer judges
    # every activity-kept task of the pairing at once: once for the whole import.
    judged: set[str] = set()
    for task in tasks:
        if task.fulfilment and not (
            task.fulfilment == Task.Fulfilment.ACTIVITIES and task.fulfilment in judged
        ):
            fulfilment.sync_task(task)
            judged.add(task.fulfilment)
    tasks_imported.send(sender=Task, pairing=pairing, tasks=tasks, user=user)
    return ImportResult(
        document=document, tasks=tasks, units_created=units_created, areas_created=areas_created
    )
