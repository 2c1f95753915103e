"""Template helpers shared by every app: money in yuan, verbose names."""

from __future__ import annotations

from django import template

from core import money

register = template.Library()


register.filter("yuan", money.yuan)


@register.filter
def verbose_name(obj) -> str:
    return str(obj._meta.verbose_name)


@register.filter
def verbose_name_plural(obj) -> str:
    return str(obj._meta.verbose_name_plural)


@register.filter
def workday_note(due) -> str:
    """“（非工作日，最后工作日 2025-05-30）” when a due date falls on a weekend or statutory holiday."""
    if not due:
        return ""
    from django.utils.translation import gettext as _

    from core.calendar import last_workday_on_or_before

    effective = last_workday_on_or_before(due)
    if effective == due:
        return ""
    return _("（非工作日，最后工作日 %(day)s）") % {"day": effective.isoformat()}


@register.simple_tag
def as_of_line() -> str:
    """“状态截至 2026-12-05” — every page that shows states says the day they are judged on."""
    from django.utils import timezone
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    return format_html(
        '<p class="small muted as-of" data-as-of="{}">{}</p>',
        timezone.localdate().isoformat(),
        _("状态截至 %(date)s（按自然日计）") % {"date": timezone.localdate().isoformat()},
    )


@register.simple_tag(takes_context=True)
def export_link(context) -> str:
    """“导出 Excel” with the page's own filters (every row, not only this page)."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return format_html(
        '<a class="button export-link" href="?{}" download>{}</a>', query.urlencode(), _("导出 Excel")
    )


@register.simple_tag
def colon() -> str:
    """The colon after a label in the reader's language: “审核人：” in Chinese, “Reviewed by: ” in English."""
    from django.utils.translation import get_language

    return "：" if (get_language() or "zh").lower().startswith("zh") else ": "


@register.filter
def first_n(rows, n) -> list:
    """The first `n` rows (`n` a template variable, which `slice` does not take)."""
    return list(rows)[: int(n)]


@register.filter
def after_n(rows, n) -> list:
    """The rows after the first `n`."""
    return list(rows)[int(n) :]


@register.simple_tag
def period_badge(period) -> str:
    """A task period's state as a badge (逾期 wins over the typed status while it applies).

    The markup of tasks/_badge.html, written in Python: lists of hundreds of periods (我的任务, the
    task list) spent most of their template time including that template once per row.
    """
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    if not period:
        return mark_safe('<span class="muted">—</span>\n')
    badge = period.badge
    return format_html(
        '<span class="badge{}" data-status="{}">{}</span>\n',
        f" badge-{badge}" if badge else "",
        period.status,
        period.display_status,
    )


@register.simple_tag
def task_units(task, units=None) -> str:
    """A task's units, the lead ones in bold (the markup of tasks/_units.html, written in Python:
    the task list included that template once per row, a fifth of the page's template time).
    `units`: the task's TaskUnit rows (with their unit), if already read as a list."""
    from html import escape

    from django.utils.safestring import mark_safe

    # Unit names are plain text: `html.escape` writes what Django's `escape` does, without its
    # lazy-string wrapper per name.
    names = [
        f"<b>{escape(tu.unit.short_name or tu.unit.name)}</b>"
        if tu.role == "lead"
        else escape(tu.unit.short_name or tu.unit.name)
        for tu in (task.task_units.all() if units is None else units)
    ]
    return mark_safe(("、".join(names) if names else '<span class="muted">—</span>') + "\n")


# Badge markup by (language, status, state) for the task list's rows: a handful of entries.
_row_badges: dict[tuple, str] = {}


def _row_badge(period, today, language) -> str:
    """`period_badge(period)`: its markup depends only on the status and the state on `today`."""
    from core.states import judge

    if not period:
        return period_badge(period)
    status = period.status
    state = judge(
        due=period.due_date,
        done=status == "done",
        done_on=period.completed_on,
        as_of=today,
        paused=status == "paused",
    ).state
    key = (language, status, state)
    markup = _row_badges.get(key)
    if markup is None:
        markup = _row_badges[key] = period_badge(period)
    return markup


@register.simple_tag(takes_context=True)
def task_list_row(context, task, matched_periods=False) -> str:
    """A row of the task list (tasks/task_list.html), written in Python: thirty rows of a dozen
    lookups, filters and tags each were half of the page's template time.

    `task.url` and `task.shown_period` are set by the view; `matched_periods`: the year of the
    period shown is written before its badge (the list is filtered by a period's state). The
    fields are plain text of the database: escaped with `html.escape`, as `escape` does.
    """
    from html import escape

    from django.utils import timezone
    from django.utils.formats import localize
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language, gettext

    # Today and the language, read once per render of the list.
    shared = context.render_context.get(task_list_row)
    if shared is None:
        shared = context.render_context[task_list_row] = (timezone.localdate(), get_language())
    today, language = shared

    def esc(value) -> str:
        return escape(str(value))

    parent = task.parent
    area = task.area
    period = task.shown_period
    year = ""
    if matched_periods and period:
        # The words of {% blocktranslate %}{{ y }} 年{% endblocktranslate %}.
        year = gettext("%(y)s 年") % {"y": esc(str(localize(period.year)))} + " "
    due = period.due_date if period else None
    return mark_safe(
        f'<tr><td class="small">{esc(task.pairing.name)}</td>'
        f'<td class="nowrap">{esc(task.number or "")}</td>\n'
        f'      <td><a href="{esc(task.url)}">{esc(task.title)}</a>'
        + (f'<div class="muted small">{esc(parent.number)}{esc(parent.title)}</div>' if parent else "")
        + "</td>\n"
        f"      <td>{esc((area.name if area else '') or '—')}</td>"
        f'<td class="small">{task_units(task, getattr(task, "unit_list", None))}</td>\n'
        f'      <td class="small">{esc(task.deadline_display)}</td>\n'
        f'      <td class="nowrap">{year}{_row_badge(period, today, language)}</td>\n'
        f'      <td class="nowrap">{due.isoformat() if due else "—"}</td></tr>'
    )
