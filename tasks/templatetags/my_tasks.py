"""The lists of 我的任务, written in Python a list at a time.

Each list holds up to 100 rows (dicts of the columns shown, `tasks.views.MyTasksView`): the task
page's URL is reversed once a list, a period's badge is written once per status and state (and
language), a due date's working-day note once per date. Same markup as the row tags they replace.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.links import pk_url
from core.states import judge
from core.templatetags.shanhai import colon, period_badge, workday_note
from tasks.models import TaskPeriod

register = template.Library()

# Badge markup by (language, status, state): a handful of entries.
_badges: dict[tuple, str] = {}


def _task_url():
    """The task page's URL for a task id (`core.links.pk_url`)."""
    return pk_url("tasks:task_detail")


def _number(value) -> str:
    """`localize` of an integer (a year, a pk): its digits unless thousands are separated."""
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


def _badge(row, today, language) -> str:
    """As `period_badge` of the row's period: its markup depends only on the status and the state."""
    status = row["status"]
    due, done_on = row["due_date"], row["completed_on"]
    state = judge(
        due=due, done=status == "done", done_on=done_on, as_of=today, paused=status == "paused"
    ).state
    key = (language, status, state)
    html = _badges.get(key)
    if html is None:
        html = _badges[key] = period_badge(TaskPeriod(due_date=due, status=status, completed_on=done_on))
    return html


def _task_cell(url, row, prefix="") -> str:
    esc = conditional_escape
    return f'<a href="{url}">{esc(row[prefix + "task__number"])} {esc(row[prefix + "task__title"])}</a>'


@register.simple_tag
def period_rows(rows) -> str:
    """The overdue or due-soon list: task, pairing, year, due date (and its working-day note), badge."""
    task_url, today, language, notes = _task_url(), timezone.localdate(), get_language(), {}
    out = []
    for row in rows:
        due = row["due_date"]
        if due not in notes:
            notes[due] = conditional_escape(workday_note(due))
        url = f"{task_url(row['task_id'])}#period-{row['pk']}"
        out.append(
            f"<tr><td>{_task_cell(url, row)}</td>"
            f'<td class="small">{conditional_escape(row["task__pairing__name"])}</td>'
            f"<td>{_number(row['year'])}</td>"
            f'<td class="nowrap">{due.isoformat() if due else ""}<span class="small muted">{notes[due]}</span></td>'
            f"<td>{_badge(row, today, language)}</td></tr>\n  "
        )
    return mark_safe("".join(out))


def _report_url(task_url, row) -> str:
    return f"{task_url(row['period__task_id'])}#report-{row['pk']}"


@register.simple_tag
def review_rows(rows, user) -> str:
    """The reports to review: a checkbox (unless the user wrote the report), task, year, unit, submitted."""
    task_url, zone = _task_url(), timezone.get_current_timezone()
    esc = conditional_escape
    choose = esc(_("选择"))
    # The marked strings outside the f-string: xgettext does not read calls inside one.
    not_own, written_by_me = esc(_("不能审核自己填写的报告")), esc(_("本人填写"))
    own = f'<span class="small muted" title="{not_own}">{written_by_me}</span>'
    out = []
    for row in rows:
        if row["created_by_id"] != user.pk:
            pick = (
                f'<input type="checkbox" name="report" value="{_number(row["pk"])}" '
                f'aria-label="{choose} {esc(row["period__task__title"])}">'
            )
        else:
            pick = own
        submitted = row["submitted_at"]
        when = timezone.localtime(submitted, zone).strftime("%Y-%m-%d %H:%M") if submitted else ""
        out.append(
            f"<tr><td>{pick}</td><td>{_task_cell(_report_url(task_url, row), row, 'period__')}</td>"
            f"<td>{_number(row['period__year'])}</td><td>{esc(row['unit__name'])}</td>"
            f'<td class="nowrap">{when}</td></tr>'
        )
    return mark_safe("".join(out))


@register.simple_tag
def returned_rows(rows) -> str:
    """The returned reports: task, year, the reason and who returned it."""
    task_url, esc = _task_url(), conditional_escape
    reason = f"{esc(_('退回原因'))}{esc(colon())}"
    out = []
    for row in rows:
        reviewer = ""
        if row["reviewed_by_id"] is not None:
            reviewer = row["reviewed_by__full_name"] or row["reviewed_by__username"]  # User.__str__
        out.append(
            f"<tr><td>{_task_cell(_report_url(task_url, row), row, 'period__')}</td>"
            f"<td>{_number(row['period__year'])}</td>"
            f'<td class="error">{reason}{esc(row["return_reason"])}</td>'
            f'<td class="small">{esc(reviewer)}</td></tr>\n  '
        )
    return mark_safe("".join(out))


@register.simple_tag
def draft_rows(rows) -> str:
    """The drafts not yet submitted: task, year, unit."""
    task_url, esc = _task_url(), conditional_escape
    return mark_safe(
        "".join(
            f"<tr><td>{_task_cell(_report_url(task_url, row), row, 'period__')}</td>"
            f"<td>{_number(row['period__year'])}</td><td>{esc(row['unit__name'])}</td></tr>"
            for row in rows
        )
    )
