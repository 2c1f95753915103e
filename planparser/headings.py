"""Numbered headings and the tree they make.

Styles recognised at the start of a line, with or without spaces after the marker, in full-
or half-width punctuation:

=============  =========================  ==================
style          examples                   normalised number
=============  =========================  ==================
chapter        第一章 规划背景              第一章
section        第二节 机遇和挑战            第二节
article        第三条 …                    第三条
box            专栏6 闽西南共建园区          专栏6
cn             一、总体要求 / 一. / 一．     一、
paren_cn       （一）… / (一) … / （一)…    （一）
arabic         1. … / 1．… / 1、… / 1 .…   1.
paren_arabic   （1）… / (1)…               （1）
circled        ①…                          ①
=============  =========================  ==================

An Arabic number followed by more digits is a decimal, not a heading ("2.6万亿元…"), unless
the digits are a year ("1.2018—2020年…" is item 1).

Levels are not hard-coded: the tree is built with a stack. A heading whose style is already
open on the stack closes everything down to that style and becomes its sibling; a style not
yet open becomes a child of the deepest open heading. So "一、 → （一） → 1." and
"一、 → 1." and "第一章 → 第一节" all nest by first appearance, and a plan that skips a level
("三、" directly followed by "（一）") nests correctly. Boxes (专栏) are leaves under the current
heading; they close at the next heading, at a figure caption, or after two blank lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planparser.text import cn_to_int

_CN = "一二三四五六七八九十"
_CN_BIG = "一二三四五六七八九十百零〇"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第\s*(?P<n>[{_CN_BIG}\d]{{1,4}})\s*章(?:\s+|(?=\S))")),
    ("section", re.compile(rf"^第\s*(?P<n>[{_CN_BIG}\d]{{1,4}})\s*节(?:\s+|(?=\S))")),
    ("article", re.compile(rf"^第\s*(?P<n>[{_CN_BIG}\d]{{1,4}})\s*条(?:\s+|(?=\S))")),
    ("box", re.compile(rf"^专栏\s*(?P<n>\d{{1,2}}|[{_CN}]{{1,3}})(?:\s+|(?=\S))")),
    ("paren_cn", re.compile(rf"^[（(]\s*(?P<n>[{_CN}]{{1,3}})\s*[）)]\s*[、.]?\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[）)]\s*[、.]?\s*")),
    ("cn", re.compile(rf"^(?P<n>[{_CN}]{{1,3}})\s*[、.,，]\s*")),
    (
        "arabic",
        re.compile(
            r"^(?P<n>\d{1,2})\s*[.、]\s*(?!\d)|^(?P<ny>\d{1,2})\s*\.\s*(?=(?:19|20)\d{2}\s*[年—\-–～~]|(?:19|20)\d{2}$)"
        ),
    ),
    ("circled", re.compile(r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]


@dataclass
class Heading:
    """A heading marker found at the start of a line, and the text after it."""

    style: str
    number: str
    value: int
    rest: str


def _display(style: str, n: str) -> str:
    return {
        "chapter": f"第{n}章",
        "section": f"第{n}节",
        "article": f"第{n}条",
        "box": f"专栏{n}",
        "cn": f"{n}、",
        "paren_cn": f"（{n}）",
        "arabic": f"{n}.",
        "paren_arabic": f"（{n}）",
        "circled": n,
    }[style]


def detect_heading(line: str) -> Heading | None:
    """The heading at the start of ``line``, or None.

    >>> detect_heading("(三) 促进群众增收和社会事业合作。")
    Heading(style='paren_cn', number='（三）', value=3, rest='促进群众增收和社会事业合作。')
    >>> detect_heading("2.6万亿元的产值") is None
    True
    """
    text = line.strip()
    for style, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        n = m.group("n") if m.groupdict().get("n") else m.groupdict().get("ny")
        if n is None:
            continue
        rest = text[m.end() :].strip()
        if style == "cn" and m.group().rstrip().endswith(("，", ",")):
            # "一，" is only a heading marker in sloppy documents when followed by a short title
            if len(rest) > 30 or "。" in rest[:30]:
                continue
        if style in ("chapter", "section", "article") and not rest and len(text) > 8:
            continue
        if style == "circled":
            value = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".index(n) + 1
        else:
            value = cn_to_int(n) or 0
        if value == 0:
            continue
        return Heading(style=style, number=_display(style, n), value=value, rest=rest)
    return None
