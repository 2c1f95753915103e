"""The English catalogue is complete, keeps every placeholder, and its compiled .mo is current."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def entries():
    return [e for e in polib.pofile(str(PO)) if not e.obsolete]


# A string marked in the sources by any of the project's names for gettext (`_`, `_l`, `_lazy`),
# or by the template tags: one plain literal, no escapes (the catalogue's msgids are checked for those).
MARKED_IN_PYTHON = re.compile(
    r'(?<![\w.])(?:_|_l|_lazy|gettext|gettext_lazy|gettext_noop)\(\s*"([^"\\\n]+)"\s*[,)]'
)
MARKED_IN_TEMPLATES = re.compile(r'{%\s*(?:translate|trans)\s+"([^"\\\n]+)"')
SKIPPED = {".venv", "staticfiles", "node_modules", ".git"}


def marked_strings() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for pattern, marker in (("*.py", MARKED_IN_PYTHON), ("*.html", MARKED_IN_TEMPLATES)):
        for path in ROOT.rglob(pattern):
            if SKIPPED & set(path.relative_to(ROOT).parts):
                continue
            for text in marker.findall(path.read_text(encoding="utf-8")):
                found.setdefault(text, path.relative_to(ROOT))
    return found


def test_every_marked_string_is_in_the_catalogue():
    """`make messages` extracts every name the sources mark strings with (`_l("得分")` was missed)."""
    msgids = {e.msgid for e in entries()}
    missing = sorted(f"{path}: {text}" for text, path in marked_strings().items() if text not in msgids)
    assert missing == []


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
