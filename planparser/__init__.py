"""Read an implementation plan's text (or .docx) and propose its task tree.

The package's public API is what this module exports; nothing outside the package imports a
private name. ``parse_plan(text) -> PlanTree`` is a pure function (no Django); ``to_json(tree)``
gives the plan tree's JSON; ``read_plan_file(path)`` reads .txt or .docx. The rules live in
one module each — ``headings``, ``units``, ``deadlines``, ``targets``, ``metadata`` — with
their examples in the docstrings; ``parser`` puts them together.
"""

from __future__ import annotations

from planparser.deadlines import find_deadlines
from planparser.docx import PlanFileError, read_docx_text, read_plan_file
from planparser.headings import Heading, detect_heading
from planparser.metadata import match_doc_number_line
from planparser.nodes import Attachment, Deadline, DocumentInfo, Node, PlanTree, Target, UnitNote, to_json
from planparser.parser import parse_item, parse_plan
from planparser.schema import PLAN_JSON_SCHEMA
from planparser.text import FULLWIDTH, cn_to_int, normalise
from planparser.units import split_units

__all__ = [
    "FULLWIDTH",
    "PLAN_JSON_SCHEMA",
    "Attachment",
    "Deadline",
    "DocumentInfo",
    "Node",
    "PlanFileError",
    "PlanTree",
    "Target",
    "UnitNote",
    "Heading",
    "cn_to_int",
    "detect_heading",
    "find_deadlines",
    "match_doc_number_line",
    "normalise",
    "parse_item",
    "parse_plan",
    "split_units",
    "read_docx_text",
    "read_plan_file",
    "to_json",
]
