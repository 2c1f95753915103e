"""The parser's result as plain dataclasses, and their JSON form.

Nothing here imports Django: the confirm step (which creates Task rows) and the
``parse_plan`` command both consume these objects, and tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass
class Deadline:
    """A time limit found in a node's text, always with the words it came from.

    ``kind == "once"``: ``date`` is set ("2018年7月底前" → 2018-07-31), or ``None`` with
    ``month``/``day`` when the text names no year and the document gave none either.
    ``kind == "yearly"``: ``month`` and ``day`` ("每年4月底前" → 4, 30), ``date`` is ``None``.
    """

    text: str
    kind: str
    date: date | None = None
    month: int | None = None
    day: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "month": self.month,
            "day": self.day,
        }


@dataclass
class Target:
    """A quantified target: "不少于 40 亿元" → (">=", 4000000000, "元").

    ``value`` is a Decimal in base units (yuan, persons, times, percent points), negative for
    a decrease ("下降 3%" → "<=", -3, "%"); ``comparator`` is ">=", "<=", "=" or "≈" (左右);
    ``year`` the year it is due in (None: every year when ``yearly``, else the task's own);
    ``text`` is the clause it was read from so a person can check it.
    """

    text: str
    comparator: str
    value: Decimal
    unit: str
    yearly: bool = False
    year: int | None = None

    def to_json(self) -> dict[str, Any]:
        value: int | float = (
            int(self.value) if self.value == self.value.to_integral_value() else float(self.value)
        )
        result: dict[str, Any] = {
            "text": self.text,
            "comparator": self.comparator,
            "value": value,
            "unit": self.unit,
            "yearly": self.yearly,
        }
        if self.year is not None:
            result["year"] = self.year
        return result


@dataclass
class UnitNote:
    """One "（牵头单位：…；配合单位：…）" part: its role word, source text and units."""

    role: str
    text: str
    units: list[str]


@dataclass
class Node:
    """One numbered heading of the plan and what it says (a task, or a group of tasks).

    ``number`` is the marker normalised to one spelling per style ("一、", "（一）", "1.",
    "（1）", "①", "第一章", "第一节", "专栏1"); ``style`` names the style and ``level`` the
    depth (0 = top) in this document.
    """

    number: str
    title: str
    style: str
    level: int
    body: str = ""
    units: list[str] = field(default_factory=list)
    unit_notes: list[UnitNote] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)  # "各市、县〔区〕": a role, not a unit
    leads: int = 1  # how many of ``units`` lead (a "牵头单位：甲、乙" note names two)
    facts: list[Target] = field(default_factory=list)  # past results ("2024年…增长7%"), not targets

    def walk(self):
        """This node and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "units": list(self.units),
            "deadlines": [d.to_json() for d in self.deadlines],
            "targets": [t.to_json() for t in self.targets],
            "children": [c.to_json() for c in self.children],
            **({"roles": list(self.roles)} if self.roles else {}),
            **({"leads": self.leads} if self.units and self.leads != 1 else {}),
        }


@dataclass
class Attachment:
    """An attachment (附件N) kept out of the task tree, with its raw text (tables stay tab-separated)."""

    number: str
    title: str | None
    text: str = ""


@dataclass
class DocumentInfo:
    """The document's metadata: 文号, title, issuing bodies, issue date, attachments."""

    doc_number: str | None = None
    title: str | None = None
    issuers: list[str] = field(default_factory=list)
    issued: date | None = None
    plan_title: str | None = None  # "晋江市与尤溪县山海协作实施方案" inside a 关于印发…的通知
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class Conflict:
    """One deliverable with two deadlines or two figures in the same document, for a person to
    decide: ``kind`` "deadline" or "figure", ``subject`` what both sentences are about, and the
    two sentences with the value each gives."""

    kind: str
    subject: str
    first: str
    second: str
    first_value: str
    second_value: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "first": self.first,
            "second": self.second,
            "first_value": self.first_value,
            "second_value": self.second_value,
        }


@dataclass
class PlanTree:
    """The whole result of ``parse_plan``: metadata, the heading tree, and the preamble text.

    When the plan sits in an attachment of a letter or notice, ``plan_attachment`` names it
    and ``notice_items`` holds the letter's own requests ("请于2024年10月18日前书面反馈"):
    not tasks of the plan, but one-off tasks the user may keep.
    """

    document: DocumentInfo
    nodes: list[Node] = field(default_factory=list)
    preamble: str = ""
    plan_attachment: str | None = None
    notice_items: list[Node] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    def walk(self):
        """Every node of the tree, depth first."""
        for node in self.nodes:
            yield from node.walk()

    def level_counts(self) -> list[int]:
        """Number of nodes at each depth: [3, 10, 17] = 3 top headings, 10 below them, 17 below those."""
        counts: list[int] = []
        for node in self.walk():
            while len(counts) <= node.level:
                counts.append(0)
            counts[node.level] += 1
        return counts


def to_json(tree: PlanTree, *, attachments: bool = False) -> dict[str, Any]:
    """The tree in the plan tree's JSON schema (``parse_plan --json``, ``import_tasks --json``).

    With ``attachments=True`` a top-level ``"attachments"`` list (number, title, text) is
    added; by default the output has exactly the schema's keys.
    """
    doc = tree.document
    result: dict[str, Any] = {
        "document": {
            "doc_number": doc.doc_number,
            "title": doc.title,
            "issuers": list(doc.issuers),
            "issued": doc.issued.isoformat() if doc.issued else None,
        },
        "nodes": [n.to_json() for n in tree.nodes],
    }
    if tree.plan_attachment:
        result["plan_attachment"] = tree.plan_attachment
    if tree.notice_items:
        result["notice_items"] = [n.to_json() for n in tree.notice_items]
    if tree.conflicts:
        result["conflicts"] = [c.to_json() for c in tree.conflicts]
    if attachments:
        result["attachments"] = [
            {"number": a.number, "title": a.title, "text": a.text} for a in doc.attachments
        ]
    return result
