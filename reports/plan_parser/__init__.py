"""Read an implementation plan's text (or .docx) and propose its task tree (issue 7).

``parse_plan(text) -> PlanTree`` is a pure function (no Django models); ``to_json(tree)``
gives the JSON of the issue; ``read_plan_file(path)`` reads .txt or .docx. The rules live in
one module each — ``headings``, ``units``, ``deadlines``, ``targets``, ``metadata`` — with
their examples in the docstrings; ``parser`` puts them together.
"""

from __future__ import annotations

from .docx import PlanFileError, read_docx_text, read_plan_file
from .nodes import Attachment, Deadline, DocumentInfo, Node, PlanTree, Target, UnitNote, to_json
from .parser import parse_plan

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
