"""Deadlines (完成时限): one-off and yearly, always kept with their source text.

Yearly (kind "yearly", month and day, no date):

* "每年4月底前" → 4/30; "每年3月底前" → 3/31; "当年5月底前" → 5/31; "每年10月15日前" → 10/15;
  "每年6月中旬前" → 6/20 (上旬 10, 中旬 20, 下旬 and 底/末 the last day); "每年年底前",
  "每年底前", "每年年末" → 12/31; "每年上半年" → 6/30; "每年一季度前" → 3/31.
  February's last day is 28: a yearly rule cannot know leap years.

One-off (kind "once", a date):

* "2018年7月底前" → 2018-07-31; "2018年7月15日前" → 2018-07-15; "2018年上半年" → 2018-06-30.
* A bare year counts only with a deadline word before or after it: "到2020年", "力争2030年",
  "争取2025年", "至2020年", "2020年前", "2020年底前", "2020年内" → 12-31 of that year.
  "2018年全市…" without such a word is a date in passing, not a deadline.
* The ambiguous "季度前" and "年前" follow ONE rule, **by the end of the named period**:
  "2018年三季度前" → 2018-09-30, "2018年四季度前" → 2018-12-31, "2020年前" → 2020-12-31.
  Plans of this genre count their horizon year in ("2020年前全市每年完成…" runs through 2020),
  so "before the period ends" is the reading that matches them; the source text is always kept
  beside the date so a liaison officer can correct it.
* A month without a year ("6月底前", "年底前") takes the year of the document's issue date, or
  the next year when that day has already passed at issue; without an issue date ``date`` stays
  None and ``month``/``day`` are filled.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from planparser.nodes import Deadline
from planparser.text import cn_to_int

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_YEAR = r"(?:19|20)\d{2}"
_PART = rf"(?:(?P<month>{_NUM})\s*月\s*(?:(?P<day>{_NUM})\s*日|(?P<mpart>底|末|份|上旬|中旬|下旬))?|(?:第)?(?P<quarter>[一二三四1-4])\s*季度(?:末)?|(?P<half>上半年|下半年)|(?P<yend>年底|年末|底|末))"
_BEFORE = r"(?P<before>之前|以前|前|内|止)?"

_YEARLY = re.compile(rf"(?P<lead>每年度|每年|当年|年度)\s*(?:的\s*)?(?:{_PART})\s*{_BEFORE}")
_ONCE = re.compile(
    rf"(?P<prefix>力争到|力争在|力争于|争取到|争取在|争取|力争|截至|截止到|截止|到|至|于|在)?\s*"
    rf"(?P<year>{_YEAR})\s*年\s*(?:{_PART})?\s*{_BEFORE}"
)
_BARE = re.compile(
    rf"(?<![年\d])(?P<month>{_NUM})\s*月\s*(?:(?P<day>{_NUM})\s*日|(?P<mpart>底|末))\s*(?P<before>之前|以前|前)"
)
_BARE_YEAR_END = re.compile(r"(?<![年每当\d])(?P<yend>年底|年末)\s*(?P<before>之前|以前|前)")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_day(m: re.Match, year: int) -> tuple[int, int] | None:
    """Month and day named by the period part of a match (year used for month lengths)."""
    g = m.groupdict()
    if g.get("month"):
        month = cn_to_int(g["month"])
        if not month or not 1 <= month <= 12:
            return None
        if g.get("day"):
            day = cn_to_int(g["day"])
            if not day or day > _last_day(year, month):
                return None
            return month, day
        part = g.get("mpart")
        if part == "上旬":
            return month, 10
        if part == "中旬":
            return month, 20
        return month, _last_day(year, month)
    if g.get("quarter"):
        q = cn_to_int(g["quarter"])
        if not q or not 1 <= q <= 4:
            return None
        return q * 3, _last_day(year, q * 3)
    if g.get("half"):
        return (6, 30) if g["half"] == "上半年" else (12, 31)
    if g.get("yend"):
        return 12, 31
    return None


def find_deadlines(text: str, issued: date | None = None) -> list[Deadline]:
    """All deadlines in ``text`` in order of appearance, without duplicates.

    >>> [(d.kind, d.date, d.month, d.day) for d in find_deadlines("每年4月底前安排资金，2018年7月底前完成")]
    [('yearly', None, 4, 30), ('once', datetime.date(2018, 7, 31), None, None)]
    """
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for m in _YEARLY.finditer(text):
        lead = m.group("lead")
        has_part = any(m.group(k) for k in ("month", "quarter", "half", "yend"))
        # "年度" alone is too common ("年度计划"); it counts only with an explicit 前/内.
        if not has_part or (lead == "年度" and not m.group("before")):
            continue
        md = _month_day(m, 2023)  # any non-leap year: 2/28 for a yearly rule
        if md:
            found.append((m.start(), Deadline(text=m.group().strip(), kind="yearly", month=md[0], day=md[1])))
            taken.append(m.span())

    for m in _ONCE.finditer(text):
        if not free(*m.span()):
            continue
        has_part = any(m.group(k) for k in ("month", "quarter", "half", "yend"))
        # A period end ("7月底", "三季度", "上半年", "年底") is a deadline on its own; a bare year
        # needs a deadline word before or after it.
        period = (
            m.group("quarter")
            or m.group("half")
            or m.group("yend")
            or (m.group("month") and m.group("mpart"))
        )
        if not (m.group("prefix") or m.group("before") or period):
            continue
        if not has_part and not m.group("prefix") and m.group("before") not in ("前", "之前", "以前", "内"):
            continue
        if m.group("prefix") in ("于", "在") and not has_part and not m.group("before"):
            continue  # "在2018年的基础上" is not a deadline
        year = int(m.group("year"))
        md = _month_day(m, year) if has_part else (12, 31)
        if not md:
            continue
        # "于"/"在" only introduce the date; the source text starts at the year
        source = m.group()[m.start("year") - m.start() :] if m.group("prefix") in ("于", "在") else m.group()
        found.append((m.start(), Deadline(text=source.strip(), kind="once", date=date(year, *md))))
        taken.append(m.span())

    for pattern in (_BARE, _BARE_YEAR_END):
        for m in pattern.finditer(text):
            if not free(*m.span()):
                continue
            md = _month_day(m, issued.year if issued else 2023)
            if not md:
                continue
            deadline = Deadline(text=m.group().strip(), kind="once", month=md[0], day=md[1])
            if issued:
                year = issued.year if (md[0], md[1]) >= (issued.month, issued.day) else issued.year + 1
                deadline = Deadline(text=deadline.text, kind="once", date=date(year, *_month_day(m, year)))
            found.append((m.start(), deadline))
            taken.append(m.span())

    result: list[Deadline] = []
    for _, d in sorted(found, key=lambda x: x[0]):
        if d not in result:
            result.append(d)
    return result
