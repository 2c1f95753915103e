"""Read an implementation plan's text (or .docx) and propose its task tree.

``parse_plan(text) -> PlanTree`` is a pure function (no Django models); ``to_json(tree)``
gives the plan tree's JSON; ``read_plan_file(path)`` reads .txt or .docx. The rules live in
one module each — ``headings``, ``units``, ``deadlines``, ``targets``, ``metadata`` — with
their examples in the docstrings; ``parser`` puts them together.
"""

from __future__ import annotations

from planparser.docx import PlanFileError, read_docx_text, read_plan_file
from planparser.nodes import Attachment, Deadline, DocumentInfo, Node, PlanTree, Target, UnitNote, to_json
from planparser.parser import parse_plan

__all__ = [
    "Attachment",
    "Deadline",
    "DocumentInfo",
    "Node",
    "PlanFileError",
    "PlanTree",
    "Target",
    "UnitNote",
    "parse_plan",
    "read_docx_text",
    "read_plan_file",
    "to_json",
]
