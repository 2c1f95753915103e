"""A commitment's state and its chain in one line of the funds list, written in Python.

The funds page lists 50 commitments a page; including `funds/_state.html` and `funds/_chain.html`
once per row (two includes a row, ~5 steps each) was most of its template time. Same markup as
those templates (they stay the one form of the chain on the commitment page).
"""

from __future__ import annotations

from django import template
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.money import yuan

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


@register.simple_tag
def mini_chain(steps) -> str:
    """As funds/_chain.html with `mini=True`: each step's name and badge, without its dates.

    Written with `escape` and joins rather than `format_html_join` (a funds page writes ~200 steps).
    """
    items = "".join(
        f'<li class="state-{escape(s.state)}{" after-late" if s.after_late else ""}" data-step="{escape(s.key)}">'
        f"\n  <b>{escape(s.label)}</b>{_step_badge(s)}\n  \n</li>"
        for s in steps
    )
    return mark_safe(f'<ol class="chain mini" aria-label="{escape(_("年度资金链条"))}">\n{items}\n</ol>\n')


@register.simple_tag
def fund_row(c) -> str:
    """One row of the funds list, as the template wrote it (same markup; the state judged once).

    50 rows a page of a dozen lookups and filters each were most of the page's template time.
    """
    overdue = " overdue" if c.state == "overdue" else ""
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
        c.get_absolute_url(),
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
        commitment_state(c),
        yuan(c.confirmed),
        mini_chain(c.chain()),
    )
