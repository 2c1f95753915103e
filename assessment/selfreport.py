"""The self-assessment report (自评报告) of a pairing's year, drafted from its records.

`draft(pairing, year, user)` returns a `Draft`: the title, the addressee (主送), an opening
paragraph, the body sections (一、… each with its paragraphs, where “（一）” lines are sub-headings
and “1.” lines are items), the closing sentence, the attachments (附件), the issuer (落款) and the
date. The preview page shows every part in a text box; the liaison edits it and downloads the
.docx that `assessment.reportdocx` builds from the edited text. Nothing is stored.

Every state is judged by `TaskPeriod.standing(as_of)` (core.states), the funds by the commitment's
own ledger rules, and the day the year is judged on is the workbook's (`as_of_date`): a finished
year as it stood when it ended.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.scoring import as_of_date
from cooperation.models import Activity, Pairing
from core.states import State
from funds.models import FundCommitment
from parks.models import Park, ParkInvestmentPlan, Project
from reminders.models import UrgingNotice
from tasks.models import ProgressReport, Target, TargetActual, Task, TaskPeriod, TaskUnit, period_key

CN_NUMBERS = "一二三四五六七八九十"
FUND_FULFILMENTS = (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED, Task.Fulfilment.FUND_USE_LIST)
# A quoted reason is cut here, so one unit's long report does not fill the page.
QUOTE_LIMIT = 160


@dataclass
class Section:
    """One body section: its heading without the number (一、 is added when printed) and paragraphs."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Draft:
    """The report as text, part by part (what the preview page edits)."""

    title: str
    addressee: str
    opening: str
    sections: list[Section]
    closing: str
    attachments: list[str]
    issuer: str
    date: str

    @property
    def body_text(self) -> str:
        return "\n".join([self.opening, *(f"{s.heading}\n{s.text}" for s in self.sections), self.closing])


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (enough for headings)."""
    if n <= 10:
        return CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{CN_NUMBERS[tens - 1] if tens > 1 else ''}十{CN_NUMBERS[ones - 1] if ones else ''}"


def cn_date(value: datetime.date | None) -> str:
    """2025-05-20 → 2025年5月20日 (dates in official documents: Arabic numerals, no leading zeros)."""
    if value is None:
        return "—"
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def wan_text(amount: Decimal | None) -> str:
    """12000000 → 1200万元; 12345 → 1.2345万元; 4000000000 → 40亿元 (documents of this kind speak in
    万元, and in 亿元 from one 亿 up)."""
    if amount is None:
        return "—"
    amount = Decimal(amount)
    if abs(amount) >= Decimal(100_000_000):
        return _("%(n)s亿元") % {"n": _plain(amount / Decimal(100_000_000))}
    return _("%(n)s万元") % {"n": _plain(amount / Decimal(10000))}


def quantity(value: Decimal | None, unit: str) -> str:
    """A target's figure with its unit; money (元) in 万元."""
    if value is None:
        return "—"
    if unit == "元":
        return wan_text(value)
    number = value.normalize() if value == value.to_integral() else value
    return f"{number:f}{unit}"


def actual_text(value: Decimal | None, unit: str) -> str:
    """完成1次 / 无完成记录."""
    if value is None:
        return _("无完成记录")
    return _("完成%(value)s") % {"value": quantity(value, unit)}


def state_text(standing) -> str:
    """The state's label as running Chinese text: “逾期 20 天完成” → “逾期20天完成”."""
    return standing.label.replace(" ", "")


def sentences(reasons: list[str]) -> str:
    """Reasons as sentences: a full stop after each, unless the quotation already ends one."""
    return "".join(r if r.endswith(("。”", "！”", "？”", "。")) else r + "。" for r in reasons)


def quote(text: str) -> str:
    text = " ".join((text or "").split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1] + "…"
    return f"“{text}”"


def strip_number(title: str) -> str:
    """“1. 推进…” → “推进…”: the draft numbers items itself."""
    return re.sub(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．、])\s*", "", title)


def side_liaison(pairing: Pairing, user) -> tuple[str, str]:
    """(issuer, the region whose office writes): the user's own liaison unit, else the coastal side's."""
    if user is not None and user.unit_id and user.unit_id == pairing.mountain_liaison_id:
        return pairing.mountain_liaison.name, "mountain"
    if user is not None and user.unit_id and user.unit_id == pairing.coastal_liaison_id:
        return pairing.coastal_liaison.name, "coastal"
    unit = pairing.coastal_liaison or pairing.mountain_liaison
    return (unit.name if unit else pairing.coastal_region.name), "coastal"


def default_addressee(pairing: Pairing, side: str) -> str:
    """The office one level up from the writing side (the liaison corrects it where it differs)."""
    region = pairing.mountain_region if side == "mountain" else pairing.coastal_region
    parent = region.parent
    if parent is None:
        return _("山海协作工作领导小组办公室")
    return _("%(region)s山海协作工作领导小组办公室") % {"region": parent.name}


# --- what the records say -----------------------------------------------------------------------


@dataclass
class PeriodFacts:
    period: TaskPeriod
    number: str
    leads: list[str]
    standing: object
    reasons: list[str]


def _periods(pairing: Pairing, year: int, as_of: datetime.date) -> list[PeriodFacts]:
    """The year's periods of the pairing's leaf tasks (headings are not work), with the reasons given."""
    parents = set(
        Task.objects.filter(pairing=pairing, parent__isnull=False).values_list("parent_id", flat=True)
    )
    periods = list(
        TaskPeriod.objects.filter(task__pairing=pairing)
        .filter(Q(year=year, due_date__isnull=True) | Q(due_date__year=year))
        .exclude(task_id__in=parents)
        .select_related("task", "task__area")
        .prefetch_related(
            Prefetch(
                "task__task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order", "pk")
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.exclude(status=ProgressReport.Status.DRAFT).order_by(
                    "-submitted_at", "-pk"
                ),
            ),
        )
        .order_by("task__area__order", "task__position", "task_id")
    )
    replies: dict[str, list[str]] = defaultdict(list)
    keys = [period_key(p.pk) for p in periods]
    for key, reply, unit in (
        UrgingNotice.objects.filter(pairing=pairing, item_key__in=keys)
        .exclude(reply="")
        .order_by("issued_on", "pk")
        .values_list("item_key", "reply", "unit__name")
    ):
        replies[key].append(_("%(unit)s在催办单反馈中说明：%(text)s") % {"unit": unit, "text": quote(reply)})
    result = []
    for period in periods:
        task = period.task
        units = list(task.task_units.all())
        leads = [u.unit.name for u in units if u.role == TaskUnit.Role.LEAD] or [u.unit.name for u in units]
        reasons = []
        if period.note.strip():
            reasons.append(_("进展说明：%(text)s") % {"text": quote(period.note)})
        reports = list(period.reports.all())
        if reports:
            report = reports[0]
            said = _("%(unit)s报告：%(text)s") % {
                "unit": report.unit.name if report.unit_id else "",
                "text": quote(report.text),
            }
            if report.status == ProgressReport.Status.RETURNED and report.return_reason.strip():
                said += _("（报告已退回，意见：%(reason)s）") % {"reason": quote(report.return_reason)}
            reasons.append(said)
        reasons.extend(replies.get(period_key(period.pk), []))
        result.append(PeriodFacts(period, task.number, leads, period.standing(as_of), reasons))
    return result


def _commitments(pairing: Pairing, year: int) -> list[FundCommitment]:
    return list(
        FundCommitment.objects.filter(pairing=pairing, year=year)
        .select_related("payer_region", "receiver_region", "payer_unit", "receiver_unit")
        .prefetch_related("disbursements", "confirmations", "use_projects")
        .order_by("due", "pk")
    )


# --- the sections ---------------------------------------------------------------------------------


def _work_section(facts: list[PeriodFacts], year: int, as_of: datetime.date) -> Section:
    section = Section(_("%(year)d年度重点工作推进情况") % {"year": year})
    assessed = [f for f in facts if f.period.due_date is not None]
    counts = Counter(f.standing.state for f in assessed)
    continuing = [f for f in facts if f.period.due_date is None]
    section.paragraphs.append(
        _(
            "%(year)d年列入年度考核的任务%(n)d项（截至%(as_of)s），其中按时完成%(done)d项、逾期完成%(late)d项、"
            "已逾期未完成%(overdue)d项、尚未到期%(open)d项；另有持续推进的工作%(cont)d项。"
        )
        % {
            "year": year,
            "n": len(assessed),
            "as_of": cn_date(as_of),
            "done": counts[State.DONE],
            "late": counts[State.DONE_LATE],
            "overdue": counts[State.OVERDUE],
            "open": counts[State.ON_TRACK] + counts[State.SOON],
            "cont": len(continuing),
        }
    )
    by_area: dict[str, list[PeriodFacts]] = defaultdict(list)
    for f in facts:
        by_area[f.period.task.area.name if f.period.task.area_id else _("其他")].append(f)
    for index, (area, rows) in enumerate(by_area.items(), start=1):
        section.paragraphs.append(f"（{cn_number(index)}）{area}")
        item = 0
        for f in rows:
            if f.period.due_date is None:
                continue
            item += 1
            task = f.period.task
            done = f.standing.state in (State.DONE, State.DONE_LATE)
            line = _("%(n)d. %(title)s（%(leads)s）：%(deadline)s，%(state)s") % {
                "n": item,
                "title": strip_number(task.title),
                "leads": "、".join(f.leads) or _("未指定责任单位"),
                "deadline": _("时限%(date)s") % {"date": cn_date(f.period.due_date)},
                "state": state_text(f.standing),
            }
            if done and f.period.completed_on:
                line += _("（%(date)s完成）") % {"date": cn_date(f.period.completed_on)}
            line += "。"
            approved = [r for r in f.period.reports.all() if r.status == ProgressReport.Status.APPROVED]
            if approved:
                line += " ".join(approved[0].text.split())
            section.paragraphs.append(line)
        ongoing = [strip_number(f.period.task.title) for f in rows if f.period.due_date is None]
        if ongoing:
            section.paragraphs.append(_("持续推进%(titles)s等工作。") % {"titles": "、".join(ongoing)})
    return section


def _targets_section(pairing: Pairing, year: int) -> tuple[Section, list[str]]:
    section = Section(_("量化指标完成情况"))
    unmet: list[str] = []
    actuals = {
        target_id: value
        for target_id, value in TargetActual.objects.filter(
            period__task__pairing=pairing, period__year=year
        ).values_list("target_id", "value")
    }
    has_period = set(
        TaskPeriod.objects.filter(task__pairing=pairing, year=year).values_list("task_id", flat=True)
    )
    targets = [
        t
        for t in Target.objects.filter(task__pairing=pairing)
        .filter(Q(year__isnull=True) | Q(year=year))
        .select_related("task")
        .order_by("task__position", "task_id", "pk")
        if t.task_id in has_period
    ]
    met = 0
    for index, target in enumerate(targets, start=1):
        actual = actuals.get(target.pk)
        ok = target.is_met(actual)
        met += int(ok)
        rate = target.completion_rate(actual)
        line = _("%(n)d. %(name)s：目标%(cmp)s%(target)s，%(actual)s，%(verdict)s") % {
            "n": index,
            "name": target.name,
            "cmp": target.get_comparator_display(),
            "target": quantity(target.value, target.unit),
            "actual": actual_text(actual, target.unit),
            "verdict": _("已达标") if ok else _("未达标"),
        }
        if rate is not None:
            line += _("（完成率%(rate)s%%）") % {"rate": f"{rate.normalize():f}"}
        section.paragraphs.append(line + "。")
        if not ok:
            unmet.append(
                _("%(name)s（目标%(target)s，%(actual)s）")
                % {
                    "name": target.name,
                    "target": quantity(target.value, target.unit),
                    "actual": actual_text(actual, target.unit),
                }
            )
    section.paragraphs.insert(
        0,
        _("%(year)d年度量化指标%(n)d项，已达标%(met)d项、未达标%(unmet)d项。")
        % {"year": year, "n": len(targets), "met": met, "unmet": len(targets) - met},
    )
    return section, unmet


def _payments_text(commitment: FundCommitment) -> str:
    rows = sorted(commitment.disbursements.all(), key=lambda d: (d.date, d.pk))
    parts = []
    for row in rows:
        if row.amount >= 0:
            parts.append(
                _("%(date)s拨付%(amount)s") % {"date": cn_date(row.date), "amount": wan_text(row.amount)}
            )
        else:
            parts.append(
                _("%(date)s冲销%(amount)s") % {"date": cn_date(row.date), "amount": wan_text(-row.amount)}
            )
    return "、".join(parts)


def payment_verdict(c: FundCommitment, as_of: datetime.date) -> str:
    """按时足额拨付 / 于…足额拨付，逾期N天 / 截至…尚有…未拨付，已逾期N天 / 尚未到期 (the ledger's rule)."""
    state = c.payment_state(as_of)
    if state == "on_time":
        return _("于%(date)s按时足额拨付") % {"date": cn_date(c.paid_in_full_on)}
    if state == "late":
        return _("于%(date)s足额拨付，逾期%(days)d天") % {
            "date": cn_date(c.paid_in_full_on),
            "days": c.days_late(as_of),
        }
    if state == "overdue":
        return _("截至%(date)s尚有%(left)s未拨付，已逾期%(days)d天") % {
            "date": cn_date(as_of),
            "left": wan_text(c.outstanding),
            "days": c.days_late(as_of),
        }
    return _("截至%(date)s尚有%(left)s未拨付，尚未到期") % {
        "date": cn_date(as_of),
        "left": wan_text(c.outstanding),
    }


def _funds_section(commitments: list[FundCommitment], year: int, as_of: datetime.date) -> Section:
    section = Section(_("协作资金保障情况"))
    if not commitments:
        section.paragraphs.append(_("%(year)d年度无协作资金安排记录。") % {"year": year})
        return section
    for index, c in enumerate(commitments, start=1):
        payer = c.payer_unit.name if c.payer_unit_id else c.payer_region.name
        receiver = c.receiver_unit.name if c.receiver_unit_id else c.receiver_region.name
        section.paragraphs.append(f"（{cn_number(index)}）{c.purpose}")
        line = _("%(payer)s安排%(purpose)s%(amount)s，应于%(due)s前拨付到位%(due_text)s。") % {
            "payer": payer,
            "purpose": c.purpose,
            "amount": wan_text(c.amount),
            "due": cn_date(c.due),
            "due_text": f"（{c.due_text}）" if c.due_text else "",
        }
        payments = _payments_text(c)
        if payments:
            line += _("实际%(payments)s，累计拨付%(paid)s") % {
                "payments": payments,
                "paid": wan_text(c.paid_total),
            }
            line += "，"
        line += payment_verdict(c, as_of) + "。"
        section.paragraphs.append("1. " + _("资金拨付：") + line)
        confirmations = sorted(c.confirmations.all(), key=lambda x: (x.date, x.pk))
        if confirmations:
            arrived = "、".join(
                _("%(date)s确认到账%(amount)s") % {"date": cn_date(x.date), "amount": wan_text(x.amount)}
                for x in confirmations
            )
            text = _("%(receiver)s%(arrived)s，累计到位%(total)s") % {
                "receiver": receiver,
                "arrived": arrived,
                "total": wan_text(c.confirmed_total),
            }
            if c.confirmed_in_full_on:
                text += _("，%(date)s全部到位") % {"date": cn_date(c.confirmed_in_full_on)}
            section.paragraphs.append("2. " + _("资金到位：") + text + "。")
        else:
            section.paragraphs.append(
                "2. " + _("资金到位：%(receiver)s尚未确认到账。") % {"receiver": receiver}
            )
        if c.use_list_submitted:
            listed = _("资金使用项目清单于%(date)s报送") % {"date": cn_date(c.use_list_submitted)}
            state = c.use_list_state(as_of)
            if c.use_list_due:
                late = (c.use_list_submitted - c.use_list_due).days
                listed += (
                    _("（时限%(due)s，逾期%(days)d天）") % {"due": cn_date(c.use_list_due), "days": late}
                    if state == "late"
                    else _("（时限%(due)s，按时报送）") % {"due": cn_date(c.use_list_due)}
                )
        elif c.use_list_due:
            listed = _("资金使用项目清单应于%(due)s前报送，截至%(date)s尚未报送") % {
                "due": cn_date(c.use_list_due),
                "date": cn_date(as_of),
            }
        else:
            listed = _("资金使用项目清单未报送")
        projects = [p for p in c.use_projects.all() if p.status != p.Status.CANCELLED]
        if projects:
            share = c.hematopoietic_share
            listed += _("，清单共%(n)d个项目，计划安排%(planned)s") % {
                "n": len(projects),
                "planned": wan_text(c.planned_use),
            }
            if share is not None:
                listed += _("，其中造血式产业类项目占%(share)s%%") % {"share": f"{share * 100:.0f}"}
            listed += _("；已支出%(spent)s") % {"spent": wan_text(c.spent)}
            if c.use_rate is not None:
                listed += _("，占到位资金的%(rate)s%%") % {"rate": f"{c.use_rate * 100:.0f}"}
        section.paragraphs.append("3. " + _("资金使用：") + listed + "。")
        for p in projects:
            section.paragraphs.append(
                _("（%(n)d）%(name)s（%(kind)s）：计划安排%(planned)s，已支出%(spent)s，%(status)s。")
                % {
                    "n": projects.index(p) + 1,
                    "name": p.name,
                    "kind": p.get_kind_display(),
                    "planned": wan_text(p.planned_amount),
                    "spent": wan_text(p.spent_amount),
                    "status": p.get_status_display(),
                }
            )
    return section


def _parks_section(pairing: Pairing, year: int) -> Section:
    section = Section(_("园区共建和项目推进情况"))
    parks = list(
        Park.objects.filter(pairing=pairing)
        .prefetch_related(Prefetch("plans", queryset=ParkInvestmentPlan.objects.filter(year=year)))
        .order_by("pk")
    )
    section.paragraphs.append(_("（一）园区共建"))
    if not parks:
        section.paragraphs.append(_("本结对暂无共建园区记录。"))
    for index, park in enumerate(parks, start=1):
        line = _("%(n)d. %(name)s（%(kind)s）") % {
            "n": index,
            "name": park.name,
            "kind": park.get_kind_display(),
        }
        plans = list(park.plans.all())
        if plans:
            line += _("：%(year)d年计划") % {"year": year} + "；".join(
                _("%(kind)s项目%(count)d个、计划完成%(planned)s万元%(actual)s")
                % {
                    "kind": plan.get_kind_display(),
                    "count": plan.project_count,
                    "planned": f"{plan.planned_completion.normalize():f}",
                    "actual": (
                        _("、实际完成%(a)s万元") % {"a": f"{plan.actual_completion.normalize():f}"}
                        if plan.actual_completion is not None
                        else ""
                    ),
                }
                for plan in plans
            )
        section.paragraphs.append(line + "。")
    projects = list(
        Project.objects.filter(pairing=pairing)
        .select_related("park")
        .prefetch_related("investments")
        .order_by("pk")
    )
    section.paragraphs.append(_("（二）协作项目"))
    if not projects:
        section.paragraphs.append(_("本结对暂无协作项目记录。"))
        return section
    stages = dict(Project.Stage.choices)
    counts = Counter(p.stage for p in projects)
    in_year = sum((i.amount for p in projects for i in p.investments.all() if i.year == year), Decimal(0))
    section.paragraphs.append(
        _("共有协作项目%(n)d个，其中%(stages)s；%(year)d年项目到位资金%(amount)s。")
        % {
            "n": len(projects),
            "stages": "、".join(
                f"{stages[s]}{counts[s]}个" for s, _label in Project.Stage.choices if counts[s]
            ),
            "year": year,
            "amount": wan_text(in_year),
        }
    )
    for index, p in enumerate(projects, start=1):
        year_amount = sum((i.amount for i in p.investments.all() if i.year == year), Decimal(0))
        line = _("%(n)d. %(name)s：%(stage)s阶段") % {
            "n": index,
            "name": p.name,
            "stage": p.get_stage_display(),
        }
        if p.park_id:
            line += _("，位于%(park)s") % {"park": p.park.name}
        if p.total_investment is not None:
            line += _("，总投资%(total)s") % {"total": wan_text(p.total_investment)}
        if year_amount:
            line += _("，%(year)d年到位资金%(amount)s") % {"year": year, "amount": wan_text(year_amount)}
        section.paragraphs.append(line + "。")
    return section


def _exchanges_section(pairing: Pairing, year: int) -> Section:
    section = Section(_("交流互访情况"))
    activities = list(Activity.objects.filter(pairing=pairing, date__year=year).order_by("date", "pk"))
    if not activities:
        section.paragraphs.append(_("%(year)d年度无交流活动记录。") % {"year": year})
        return section
    kinds = Counter(a.get_kind_display() for a in activities)
    people = sum(a.headcount or 0 for a in activities)
    section.paragraphs.append(
        _("%(year)d年两地共开展交流活动%(n)d次，其中%(kinds)s，参与%(people)d人次。")
        % {
            "year": year,
            "n": len(activities),
            "kinds": "、".join(f"{k}{n}次" for k, n in kinds.items()),
            "people": people,
        }
    )
    for index, a in enumerate(activities, start=1):
        line = _("%(n)d. %(date)s，%(title)s（%(kind)s") % {
            "n": index,
            "date": cn_date(a.date),
            "title": a.title,
            "kind": a.get_kind_display(),
        }
        if a.place:
            line += _("，%(place)s") % {"place": a.place}
        if a.headcount:
            line += _("，%(n)d人") % {"n": a.headcount}
        section.paragraphs.append(line + "）。")
    return section


def _problems_section(
    facts: list[PeriodFacts],
    commitments: list[FundCommitment],
    unmet: list[str],
    pairing: Pairing,
    as_of: datetime.date,
) -> Section:
    section = Section(_("存在的问题"))
    items: list[str] = []
    # The periods the funds ledger keeps: what their units reported is the reason for the money.
    fund_periods = {
        (f.period.task.fund_rule_id, f.period.year, f.period.task.fulfilment): f
        for f in facts
        if f.period.task.fulfilment in FUND_FULFILMENTS and f.period.task.fund_rule_id
    }
    notices = defaultdict(list)
    keys = [f"funds.commitment:{c.pk}" for c in commitments] + [f"funds.use_list:{c.pk}" for c in commitments]
    for key, reply, unit in (
        UrgingNotice.objects.filter(pairing=pairing, item_key__in=keys)
        .exclude(reply="")
        .order_by("issued_on", "pk")
        .values_list("item_key", "reply", "unit__name")
    ):
        notices[key].append(_("%(unit)s在催办单反馈中说明：%(text)s") % {"unit": unit, "text": quote(reply)})
    for c in commitments:
        state = c.payment_state(as_of)
        reasons = list(notices[f"funds.commitment:{c.pk}"])
        for kind in (Task.Fulfilment.FUND_PAID, Task.Fulfilment.FUND_CONFIRMED):
            linked = fund_periods.get((c.rule_id, c.year, kind))
            if linked is not None:
                reasons = linked.reasons + reasons
        if c.notes.strip():
            reasons.append(_("备注：%(text)s") % {"text": quote(c.notes)})
        if state == "late":
            text = _(
                "%(purpose)s%(amount)s应于%(due)s前拨付到位，实际%(payments)s，%(full)s足额拨付，逾期%(days)d天。"
            ) % {
                "purpose": c.purpose,
                "amount": wan_text(c.amount),
                "due": cn_date(c.due),
                "payments": _payments_text(c),
                "full": cn_date(c.paid_in_full_on),
                "days": c.days_late(as_of),
            }
        elif state == "overdue":
            text = _(
                "%(purpose)s%(amount)s应于%(due)s前拨付到位，截至%(as_of)s已拨付%(paid)s，尚有%(left)s未拨付，已逾期%(days)d天。"
            ) % {
                "purpose": c.purpose,
                "amount": wan_text(c.amount),
                "due": cn_date(c.due),
                "as_of": cn_date(as_of),
                "paid": wan_text(c.paid_total),
                "left": wan_text(c.outstanding),
                "days": c.days_late(as_of),
            }
        else:
            text = ""
        if text:
            items.append(text + sentences(reasons))
        list_state = c.use_list_state(as_of)
        if list_state in ("late", "overdue") and c.use_list_due:
            end = c.use_list_submitted or as_of
            days = (end - c.use_list_due).days
            text = (
                _("资金使用项目清单应于%(due)s前报送，实际%(date)s报送，逾期%(days)d天。")
                if list_state == "late"
                else _("资金使用项目清单应于%(due)s前报送，截至%(date)s尚未报送，已逾期%(days)d天。")
            ) % {"due": cn_date(c.use_list_due), "date": cn_date(end), "days": days}
            list_reasons = list(notices[f"funds.use_list:{c.pk}"])
            linked = fund_periods.get((c.rule_id, c.year, Task.Fulfilment.FUND_USE_LIST))
            if linked is not None:
                list_reasons = linked.reasons + list_reasons
            items.append(text + sentences(list_reasons))
    for f in facts:
        if f.period.task.fulfilment in FUND_FULFILMENTS:
            continue  # told with its commitment above, from the ledger
        if f.standing.state not in (State.OVERDUE, State.DONE_LATE):
            continue
        text = _("%(title)s（%(leads)s）时限%(due)s，%(state)s。") % {
            "title": strip_number(f.period.task.title),
            "leads": "、".join(f.leads) or _("未指定责任单位"),
            "due": cn_date(f.period.due_date),
            "state": (
                _("截至%(date)s%(label)s") % {"date": cn_date(as_of), "label": state_text(f.standing)}
                if f.standing.state == State.OVERDUE
                else state_text(f.standing)
            ),
        }
        if f.reasons:
            text += sentences(f.reasons)
        else:
            text += _("责任单位未说明原因。")
        items.append(text)
    if unmet:
        items.append(_("量化指标未达标：%(items)s。") % {"items": "；".join(unmet)})
    if not items:
        section.paragraphs.append(_("本年度各项任务均按时完成，资金按时足额拨付，未发现逾期事项。"))
    for index, text in enumerate(items, start=1):
        section.paragraphs.append(f"{index}. {text}")
    return section


def _next_year_section(pairing: Pairing, year: int) -> Section:
    nxt = year + 1
    section = Section(_("%(year)d年工作打算") % {"year": nxt})
    parents = set(
        Task.objects.filter(pairing=pairing, parent__isnull=False).values_list("parent_id", flat=True)
    )
    periods = list(
        TaskPeriod.objects.filter(task__pairing=pairing, due_date__year=nxt)
        .exclude(task_id__in=parents)
        .select_related("task")
        .prefetch_related(
            Prefetch(
                "task__task_units", queryset=TaskUnit.objects.select_related("unit").order_by("order", "pk")
            )
        )
        .order_by("due_date", "task__position", "task_id")
    )
    section.paragraphs.append(_("（一）按期完成年度任务"))
    if periods:
        section.paragraphs.append(
            _("%(year)d年列入考核的任务%(n)d项，逐项明确责任单位和完成时限，按月跟踪、按期办结。")
            % {"year": nxt, "n": len(periods)}
        )
    else:
        section.paragraphs.append(
            _("%(year)d年度任务尚未分解，将按实施方案及时制定年度计划。") % {"year": nxt}
        )
    for index, period in enumerate(periods, start=1):
        units = list(period.task.task_units.all())
        leads = [u.unit.name for u in units if u.role == TaskUnit.Role.LEAD] or [u.unit.name for u in units]
        section.paragraphs.append(
            _("%(n)d. %(title)s（%(leads)s），%(due)s前完成。")
            % {
                "n": index,
                "title": strip_number(period.task.title),
                "leads": "、".join(leads) or _("未指定责任单位"),
                "due": cn_date(period.due_date),
            }
        )
    commitments = list(FundCommitment.objects.filter(pairing=pairing, year=nxt).order_by("due", "pk"))
    if commitments:
        section.paragraphs.append(_("（二）落实协作资金"))
        for index, c in enumerate(commitments, start=1):
            section.paragraphs.append(
                _("%(n)d. %(purpose)s%(amount)s于%(due)s前足额拨付到位，加快资金使用进度。")
                % {"n": index, "purpose": c.purpose, "amount": wan_text(c.amount), "due": cn_date(c.due)}
            )
    section.paragraphs.append(_("（%(n)s）抓好问题整改") % {"n": cn_number(3 if commitments else 2)})
    section.paragraphs.append(
        _("针对本年度逾期事项和未达标指标，逐项分析原因、明确整改措施和时限，确保按时办结。")
    )
    return section


def draft(pairing: Pairing, year: int, user=None, today: datetime.date | None = None) -> Draft:
    """The report of `pairing` for `year` as text, drafted from its records (see the module docstring)."""
    today = today or timezone.localdate()
    as_of = as_of_date(year, today)
    pairing = Pairing.objects.select_related(
        "coastal_region__parent", "mountain_region__parent", "coastal_liaison", "mountain_liaison"
    ).get(pk=pairing.pk)
    issuer, side = side_liaison(pairing, user)
    facts = _periods(pairing, year, as_of)
    commitments = _commitments(pairing, year)
    targets, unmet = _targets_section(pairing, year)
    sections = [
        _work_section(facts, year, as_of),
        targets,
        _funds_section(commitments, year, as_of),
        _parks_section(pairing, year),
        _exchanges_section(pairing, year),
        _problems_section(facts, commitments, unmet, pairing, as_of),
        _next_year_section(pairing, year),
    ]
    document = pairing.documents.exclude(doc_number="").order_by("issued", "pk").first()
    basis = (
        _("根据《%(title)s》（%(number)s）和年度考核工作要求，")
        % {"title": document.title, "number": document.doc_number}
        if document
        else _("根据年度考核工作要求，")
    )
    opening = basis + _("现将%(year)d年度%(pairing)s工作自评情况报告如下。") % {
        "year": year,
        "pairing": pairing.name,
    }
    return Draft(
        title=_("%(issuer)s关于%(year)d年度%(pairing)s工作的自评报告")
        % {"issuer": issuer, "year": year, "pairing": pairing.name},
        addressee=default_addressee(pairing, side) + "：",
        opening=opening,
        sections=sections,
        closing=_("特此报告。"),
        attachments=[
            _("%(year)d年度%(pairing)s工作考核情况表") % {"year": year, "pairing": pairing.name},
            _("%(year)d年度协作资金使用项目清单") % {"year": year},
        ],
        issuer=issuer,
        date=cn_date(today),
    )
