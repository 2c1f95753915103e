"""Conflicts inside one document: the same deliverable given two deadlines or two figures.

Real documents disagree with themselves: 温政发〔2018〕26号 wants the park plans "于 2018 年四季度前"
in its body and "2018 年三季度前" in its responsibility table (附件2), and puts their total
investment at 237.7 亿元 in one place and 100 亿元 in the other. The parser does not choose: it
shows both sentences in the preview for a person to decide.

Rules:

* Sentences are taken from the whole document — the task tree's titles and bodies and every
  attachment's text (a table row is one sentence per cell).
* A sentence "is about" the longest run of at least ten characters it shares with another
  sentence, after dates, numbers and common words are taken out ("生态旅游文化产业园总体发展规划").
* Two deadlines conflict when two sentences about the same subject name different one-off
  dates; two figures conflict when they give different amounts in the same unit after the
  same measure word (计划总投资, 总投资) for the same subject.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from planparser.deadlines import find_deadlines
from planparser.nodes import Conflict, PlanTree
from planparser.targets import find_targets

_SPLIT = re.compile(r"[。；\n\t]")
_NOISE = re.compile(r"[\d０-９.%％]+|[年月日前后底季度一二三四五六七八九十]+|\s+|[，、“”（）()〈〉]")
_MEASURE = re.compile(r"(计划总投资|总投资|投资总额|到位资金)")
_MIN_SUBJECT = 10


def _sentences(tree: PlanTree) -> list[str]:
    found: list[str] = []
    for node in tree.walk():
        for text in (node.title, node.body):
            found.extend(p.strip() for p in _SPLIT.split(text or "") if len(p.strip()) >= 8)
    for attachment in tree.document.attachments:
        found.extend(p.strip() for p in _SPLIT.split(attachment.text or "") if len(p.strip()) >= 8)
    return list(dict.fromkeys(found))


def _subject(a: str, b: str) -> str:
    ka, kb = _NOISE.sub("", a), _NOISE.sub("", b)
    match = SequenceMatcher(None, ka, kb, autojunk=False).find_longest_match(0, len(ka), 0, len(kb))
    return ka[match.a : match.a + match.size] if match.size >= _MIN_SUBJECT else ""


def find_conflicts(tree: PlanTree) -> list[Conflict]:
    """Every pair of sentences that give one subject two deadlines or two figures."""
    sentences = _sentences(tree)
    dated = []
    for s in sentences:
        once = [d for d in find_deadlines(s, tree.document.issued) if d.kind == "once" and d.date]
        if once:
            dated.append((s, once[0]))
    figures = []
    for s in sentences:
        measure = _MEASURE.search(s)
        if not measure:
            continue
        after = [t for t in find_targets(s[measure.start() :]) if t.unit == "元"]
        if after:
            figures.append((s, after[0]))
    conflicts: list[Conflict] = []
    seen: set[frozenset[str]] = set()
    for i, (a, da) in enumerate(dated):
        for b, db in dated[i + 1 :]:
            if da.date == db.date or frozenset((a, b)) in seen:
                continue
            subject = _subject(a, b)
            if subject:
                seen.add(frozenset((a, b)))
                conflicts.append(Conflict("deadline", subject, a, b, da.text, db.text))
    for i, (a, ta) in enumerate(figures):
        for b, tb in figures[i + 1 :]:
            if ta.value == tb.value or frozenset((a, b)) in seen:
                continue
            subject = _subject(a, b)
            if subject:
                seen.add(frozenset((a, b)))
                conflicts.append(Conflict("figure", subject, a, b, _amount(ta), _amount(tb)))
    return conflicts


def _amount(target) -> str:
    value = target.value
    if value >= 10**8:
        return f"{(value / 10**8).normalize():f}亿元"
    if value >= 10**4:
        return f"{(value / 10**4).normalize():f}万元"
    return f"{value}元"
