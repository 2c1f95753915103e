"""The JSON Schema of ``to_json`` output, for ``import_tasks --json`` and the tests.

Strict: no key beyond the schema's (``attachments`` only when asked for).
"""

from __future__ import annotations

from typing import Any

_DATE = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"}

NODE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["number", "title", "body", "units", "deadlines", "targets", "children"],
    "properties": {
        "number": {"type": "string"},
        "title": {"type": "string"},
        "body": {"type": "string"},
        "units": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "deadlines": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "kind", "date", "month", "day"],
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "kind": {"enum": ["once", "yearly"]},
                    "date": _DATE,
                    "month": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
                    "day": {"type": ["integer", "null"], "minimum": 1, "maximum": 31},
                },
            },
        },
        "targets": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "comparator", "value", "unit", "yearly"],
                "properties": {
                    "text": {"type": "string", "minLength": 1},
                    "comparator": {"enum": [">=", "<=", "=", "≈"]},
                    "value": {"type": "number"},
                    "unit": {"type": "string", "minLength": 1},
                    "yearly": {"type": "boolean"},
                    "year": {"type": "integer", "minimum": 1900, "maximum": 2200},
                },
            },
        },
        "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
        "roles": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "leads": {"type": "integer", "minimum": 1},
    },
}

_TEXT = {"type": "string"}
CONFLICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["kind", "subject", "first", "second", "first_value", "second_value"],
    "properties": {
        "kind": {"enum": ["deadline", "figure"]},
        "subject": _TEXT,
        "first": _TEXT,
        "second": _TEXT,
        "first_value": _TEXT,
        "second_value": _TEXT,
    },
}

PLAN_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": ["document", "nodes"],
    "$defs": {"node": NODE_SCHEMA},
    "properties": {
        "document": {
            "type": "object",
            "additionalProperties": False,
            "required": ["doc_number", "title", "issuers", "issued"],
            "properties": {
                "doc_number": {"type": ["string", "null"]},
                "title": {"type": ["string", "null"]},
                "issuers": {"type": "array", "items": {"type": "string"}},
                "issued": _DATE,
            },
        },
        "nodes": {"type": "array", "items": {"$ref": "#/$defs/node"}},
        "plan_attachment": {"type": "string"},
        "notice_items": {"type": "array", "items": {"$ref": "#/$defs/node"}},
        "conflicts": {"type": "array", "items": CONFLICT_SCHEMA},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "title", "text"],
                "properties": {
                    "number": {"type": "string"},
                    "title": {"type": ["string", "null"]},
                    "text": {"type": "string"},
                },
            },
        },
    },
}
