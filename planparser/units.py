"""Responsible units: "（责任单位：市招商局〈经合办〉，结对县〈市、区〉党委、政府）" → unit names.

Rules, each with an example:

* A note is a role word followed by a colon, full- or half-width, usually inside
  parentheses: "（责任单位：…）", "(牵头单位:…)", "〔责任单位：…〕". Role words: 责任单位,
  牵头单位, 配合单位, 主责单位, 协办单位, 参与单位, 实施单位, 责任部门, 牵头部门, 配合部门.
  One pair of parentheses may hold several roles: "（牵头单位：市发改委；配合单位：市财政局）".
* A note may also stand without parentheses at the start of a line or after a sentence:
  "责任单位：市农业局、市商务局" (it then ends at 。 or the end of the line).
* Brackets inside the note nest: "（责任单位：市招商局（经合办）、市发改委）" ends at the
  matching "）", and "市招商局〈经合办〉" stays one unit.
* Units are split on 、 ， , ； ; outside brackets: "市农业局、市商务局，市招商局〈经合办〉".
* A bare organ word inherits the qualifier of the unit before it:
  "结对县〈市、区〉党委、政府" → "结对县〈市、区〉党委", "结对县〈市、区〉政府";
  "市发改委、财政局" → "市发改委", "市财政局". "党委和政府" is split the same way, but "和"
  inside a real name ("市人力资源和社会保障局") is not split.
* A trailing "等" and surrounding spaces are dropped; duplicates are removed, order kept
  (the first named usually leads).
"""

from __future__ import annotations

import re

from planparser.nodes import UnitNote

ROLE_WORDS = (
    "责任单位",
    "牵头单位",
    "配合单位",
    "主责单位",
    "协办单位",
    "参与单位",
    "实施单位",
    "责任部门",
    "牵头部门",
    "配合部门",
)
_ROLE = "|".join(ROLE_WORDS)
OPEN = "（(〔[［【〈<《"
CLOSE = "）)〕]］】〉>》"
_NOTE_START = re.compile(rf"(?P<open>[（(〔［【\[])?\s*(?P<role>{_ROLE})\s*[：:]")
_ROLE_SPLIT = re.compile(rf"[；;，,]?\s*(?P<role>{_ROLE})\s*[：:]")

# Organ words that are "bare" when they stand alone: they need the qualifier of the unit before.
_ORGAN_SUFFIX = re.compile(
    r"(人民政府|政府|党委|党工委|管委会|人大常委会|人大|政协|纪委|监委|"
    r"[^\s、，,]{1,6}?(局|委|办|厅|部|中心|办公室))$"
)
_REGION_CHARS = set("省市县区镇乡旗盟")
_BARE_MAX = 6


def find_unit_notes(text: str) -> list[tuple[int, int, UnitNote]]:
    """Every unit note in ``text`` as (start, end, note); end covers the closing bracket.

    >>> [n.units for _, _, n in find_unit_notes("做好协调。（责任单位：市发改委、市财政局）")]
    [['市发改委', '市财政局']]
    """
    found: list[tuple[int, int, UnitNote]] = []
    pos = 0
    while True:
        m = _NOTE_START.search(text, pos)
        if not m:
            break
        if m.group("open"):
            end = _matching_close(text, m.start())
            inner_end = end - 1 if end <= len(text) and end > 0 and text[end - 1] in CLOSE else end
            inner = text[m.start("role") : inner_end]
        else:
            # Without brackets the note must start a line or follow a sentence end.
            before = text[: m.start()].rstrip(" \t")
            if before and before[-1] not in "\n。；;！？":
                pos = m.end()
                continue
            stop = re.compile(r"[。\n]").search(text, m.end())
            end = stop.start() + (1 if stop.group() == "。" else 0) if stop else len(text)
            inner = text[m.start("role") : end].rstrip("。")
        for role, part in _split_roles(inner):
            units = split_units(part)
            if units:
                found.append(
                    (m.start(), end, UnitNote(role=role, text=text[m.start() : end].strip(), units=units))
                )
        pos = max(end, m.end())
    return found


def _matching_close(text: str, start: int) -> int:
    """Index just after the bracket that closes the one at ``start`` (or end of text)."""
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and i > start and text[i - 1] in "。":
            # A note never runs past a finished paragraph: an unclosed "（责任单位：…" ends here.
            return i
    return len(text)


def _split_roles(inner: str) -> list[tuple[str, str]]:
    """ "牵头单位：A；配合单位：B" → [("牵头单位", "A"), ("配合单位", "B")]."""
    marks = list(_ROLE_SPLIT.finditer(inner))
    parts = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(inner)
        parts.append((m.group("role"), inner[m.end() : end]))
    return parts


def split_units(text: str) -> list[str]:
    """Split a list of units on 、，,；; outside brackets and give bare organ words their qualifier.

    >>> split_units("市招商局〈经合办〉，结对县〈市、区〉党委、政府")
    ['市招商局〈经合办〉', '结对县〈市、区〉党委', '结对县〈市、区〉政府']
    """
    parts: list[str] = []
    depth, current = 0, []
    for ch in text.replace("\n", ""):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))

    units: list[str] = []
    for raw in parts:
        part = _clean(raw)
        if not part:
            continue
        for piece in _split_and(part):
            if units and _is_bare(piece):
                qualifier = _qualifier(units[-1])
                if qualifier:
                    piece = qualifier + piece
            if piece not in units:
                units.append(piece)
    return units


def _clean(part: str) -> str:
    part = re.sub(r"\s+", "", part)
    part = part.strip("。.：:")
    if part.endswith("等") and len(part) > 2:
        part = part[:-1]
    return part


def _split_and(part: str) -> list[str]:
    """ "…党委和政府" → two units; "市人力资源和社会保障局" stays one."""
    if "和" not in part:
        return [part]
    head, _, tail = part.rpartition("和")
    if _is_bare(tail) and _ORGAN_SUFFIX.search(head):
        return [head, tail]
    return [part]


def _is_bare(piece: str) -> bool:
    """A short organ word without any place or bracket: "政府", "党委", "财政局"."""
    if len(piece) > _BARE_MAX or any(ch in OPEN for ch in piece):
        return False
    if any(ch in _REGION_CHARS for ch in piece):
        return False
    return bool(_ORGAN_SUFFIX.search(piece))


def _qualifier(previous: str) -> str:
    """The place part of a unit: its first place name with brackets right after it.

    "结对县〈市、区〉党委" → "结对县〈市、区〉"; "市发改委" → "市"; "晋江市农业农村局" → "晋江市";
    "泉州市晋江市教育局" → "泉州市晋江市" (a second place name of ≤ 3 characters joins).
    """
    m = re.match(r"[^省市县区旗盟]{0,8}?[省市县区旗盟]", previous)
    if not m:
        return ""
    cut = m.end()
    while cut < len(previous):
        if previous[cut] in OPEN:
            close = _matching_close(previous, cut)
            if close >= len(previous):
                break
            cut = close
            continue
        nxt = re.match(r"[^省市县区旗盟（(〈]{1,3}[省市县区旗盟]", previous[cut:])
        if nxt and cut + nxt.end() < len(previous):
            cut += nxt.end()
            continue
        break
    return previous[:cut] if cut < len(previous) else ""


def extract_units(text: str) -> tuple[list[str], list[UnitNote], str]:
    """Units of all notes in ``text`` (lead roles first), the notes, and the text without them."""
    notes = find_unit_notes(text)
    ordered = sorted((n for _, _, n in notes), key=lambda n: 0 if n.role.startswith(("牵头", "主责")) else 1)
    units: list[str] = []
    for note in ordered:
        for unit in note.units:
            if unit not in units:
                units.append(unit)
    stripped = text
    for start, end in sorted({(s, e) for s, e, _ in notes}, reverse=True):
        stripped = stripped[:start].rstrip(" \t") + stripped[end:]
    return units, [n for _, _, n in notes], stripped.strip()
