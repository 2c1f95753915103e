"""The English catalogue is complete, keeps every placeholder, and its compiled .mo is current."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

PO = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


def test_every_string_has_an_english_translation():
    missing = [e.msgid for e in entries() if not (e.msgstr or e.msgstr_plural) or "fuzzy" in e.flags]
    assert missing == []


def test_translations_keep_their_placeholders():
    wrong = [
        e.msgid
        for e in entries()
        if e.msgstr and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """Run `make messages` after editing the .po: Django reads only the .mo."""
    with translation.override("en"):
        stale = [e.msgid for e in entries() if e.msgstr and translation.gettext(e.msgid) != e.msgstr]
    assert stale == []
