"""A commitment's state and its chain in one line of the funds list, written in Python.

The funds page lists 50 commitments a page; including `funds/_state.html` and `funds/_chain.html`
once per row (two includes a row, ~5 steps each) was most of its template time. Same markup as
those templates (they stay the one form of the chain on the commitment page).

A state badge and a step of the mini chain depend on a few values that repeat from row to row
(state, days late, the language): each is written once and then reused.
"""

from __future__ import annotations

import functools

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.links import pk_url
from core.money import yuan
from funds.models import Step

register = template.Library()


@register.simple_tag
def commitment_state(commitment) -> str:
    """As funds/_state.html: the commitment's state as a badge."""
    badge = commitment.state_badge
    return format_html(
        '<span class="badge{}" data-state="{}">{}</span>\n',
        f" badge-{badge}" if badge else "",
        commitment.state,
        commitment.state_label,
    )


def _step_badge(step) -> str:
    if step.state == "done":
        return format_html(' <span class="badge badge-done">{}</span>', _("已完成"))
    if step.state == "late":
        return format_html(
            ' <span class="badge badge-late">{}</span>', _("逾期 %(n)s 天") % {"n": step.days_late}
        )
    if step.state == "overdue":
        text = _("已逾期 %(n)s 天") % {"n": step.days_late} if step.days_late else _("需关注")
        return format_html(' <span class="badge badge-overdue">{}</span>', text)
    if step.state == "soon":
        return format_html(' <span class="badge badge-soon">{}</span>', _("进行中"))
    return ""


@functools.lru_cache(maxsize=4096)
def _mini_step(language, key, label, state, days_late, after_late) -> str:
    """One step of the mini chain (`language` keys the cache: the badge's words are translated)."""
    step = Step(key, label, None, None, state, days_late, after_late=after_late)
    return (
        f'<li class="state-{escape(state)}{" after-late" if after_late else ""}" data-step="{escape(key)}">'
        f"\n  <b>{escape(label)}</b>{_step_badge(step)}\n  \n</li>"
    )


@register.simple_tag
def mini_chain(steps) -> str:
    """As funds/_chain.html with `mini=True`: each step's name and badge, without its dates."""
    language = get_language()
    items = "".join(_mini_step(language, s.key, s.label, s.state, s.days_late, s.after_late) for s in steps)
    label = escape(_("年度资金链条"))  # outside the f-string: xgettext does not read calls inside one
    return mark_safe(f'<ol class="chain mini" aria-label="{label}">\n{items}\n</ol>\n')


# `commitment_state`'s markup by (language, state, days late): the badge, state and label follow
# from those (the days are in the label of a late or overdue payment).
_state_badges: dict[tuple, str] = {}


def _state_badge(commitment, state: str) -> str:
    key = (get_language(), state, commitment.days_late())
    html = _state_badges.get(key)
    if html is None:
        if len(_state_badges) > 4096:
            _state_badges.clear()
        html = _state_badges[key] = commitment_state(commitment)
    return html


@register.simple_tag
def fund_rows(commitments) -> str:
    """The rows of one pairing's table on the funds list, each as `fund_row` writes it."""
    url, today = pk_url("funds:commitment_detail"), timezone.localdate()
    return mark_safe("".join(f"\n      {fund_row(c, url(c.pk), today)}\n    " for c in commitments))


@register.simple_tag
def fund_row(c, url=None, today=None) -> str:
    """One row of the funds list, as the template wrote it (same markup; the state judged once).

    50 rows a page of a dozen lookups and filters each were most of the page's template time.
    """
    state = c.state
    overdue = " overdue" if state == "overdue" else ""
    return format_html(
        '<tr data-year="{}">\n'
        '        <td><a href="{}">{}</a></td>\n'
        '        <td>{}<span class="due-text">{} → {}</span></td>\n'
        '        <td class="num promised">{}</td>\n'
        '        <td class="num paid">{}</td>\n'
        '        <td class="num outstanding{}">{}</td>\n'
        '        <td class="nowrap{}">{}<span class="due-text">{}</span></td>\n'
        "        <td>{}</td>\n"
        '        <td class="num">{}</td>\n'
        "        <td>{}</td>\n"
        "      </tr>",
        localize(c.year),
        url or c.get_absolute_url(),
        localize(c.year),
        c.purpose,
        getattr(c.payer_region, "name", ""),
        getattr(c.receiver_region, "name", ""),
        yuan(c.amount),
        yuan(c.paid),
        overdue,
        yuan(c.outstanding),
        overdue,
        date_format(c.due, "Y-m-d") if c.due else "",
        c.due_text,
        _state_badge(c, state),
        yuan(c.confirmed),
        mini_chain(c.chain(today)),
    )
