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
* A suffix "（甲、乙牵头）" or "（甲牵头，乙配合）" is a note too: 甲 and 乙 lead, the units
  before 配合 co-operate.
* Units of both sides: "两省区农业农村厅、发展改革委、工业和信息化厅" is one unit of each side
  per name: every department word after "两省区" (两省 / 两市 / 两县 / 两区 / 两地) keeps that
  prefix ("两省区发展改革委"), and ``unit_side`` reads it back as ("both", "发展改革委").
  "厦门〔宁夏〕大学" names two units, 厦门大学 and 宁夏大学.
* Roles are not units: "各市、县〔区〕", "各县（市、区）人民政府", "有关单位" name whoever holds
  the role on the supported side; they are kept apart (``Node.roles``).
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
# "两省区X" / "两市X": one unit of each side of the pairing.
BOTH_SIDES = re.compile(r"^(两省区|两省|两区|两市|两县|两地)(?=\S)")
# A department word that may follow "两省区…、": 工业和信息化厅, 工会, 共青团, 妇联, 广播电视台.
_DEPARTMENT = re.compile(r"(厅|委|局|院|部|办|会|联|团|台|协|中心|办公室|银行|大学)$")
# Roles of the supported side's local governments or of whoever concerned: not one unit.
_ROLE_NAME = re.compile(r"^(各|有关|相关)|(有关|相关)(单位|部门)$")
_REGION_WORD = re.compile(r"^[市县区乡镇旗]{1,2}(?:[〔（(〈][^〕）)〉]*[〕）)〉])?$")
_LEAD_SUFFIX = re.compile(
    r"^(?P<lead>[^。]+?)(?:牵头|负责)(?:[，,；;、]\s*(?P<co>[^。]+?)(?:配合|参与|协助|协同))?$"
)


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
    return sorted(found + _lead_suffix_notes(text, found), key=lambda f: f[0])


def _lead_suffix_notes(text: str, found: list[tuple[int, int, UnitNote]]) -> list[tuple[int, int, UnitNote]]:
    """ "（市发改委、市财政局牵头，市直有关部门配合）" → a lead note and a co-operating note."""
    notes: list[tuple[int, int, UnitNote]] = []
    for m in re.finditer(r"[（(〔]", text):
        start = m.start()
        if any(s <= start < e for s, e, _ in found + notes):
            continue
        end = _matching_close(text, start)
        if end > len(text) or end - start > 150 or text[end - 1] not in CLOSE:
            continue
        inner = text[start + 1 : end - 1]
        suffix = _LEAD_SUFFIX.match(inner)
        if not suffix or "：" in inner:
            continue
        source = text[start:end]
        for role, part in (("牵头单位", suffix.group("lead")), ("配合单位", suffix.group("co"))):
            units = split_units(part or "")
            if units:
                notes.append((start, end, UnitNote(role=role, text=source, units=units)))
    return notes


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
    parts = _merge_roles([_clean(raw) for raw in parts])

    units: list[str] = []
    both = ""  # the "两省区" prefix of the list, inherited by the department words after it
    for part in parts:
        if not part:
            continue
        if is_role(part):
            both = ""
            if part not in units:
                units.append(part)
            continue
        prefix = BOTH_SIDES.match(part)
        if prefix:
            both = prefix.group(1)
        for piece in _split_and(part):
            places = _split_places(piece)
            for name in places:
                if len(places) > 1:
                    pass  # "厦门〔宁夏〕大学": each name has its own place
                elif both and not BOTH_SIDES.match(name) and _is_department(name):
                    name = both + name
                elif units and _is_bare(name):
                    qualifier = _qualifier(units[-1])
                    if qualifier:
                        name = qualifier + name
                if name not in units:
                    units.append(name)
    return units


def is_role(name: str) -> bool:
    """ "各市、县〔区〕", "各县（市、区）人民政府", "市直有关部门": a role, not one unit."""
    return bool(_ROLE_NAME.search(name))


def unit_side(name: str) -> tuple[str | None, str]:
    """ "两省区农业农村厅" → ("both", "农业农村厅"); any other name → (None, name)."""
    m = BOTH_SIDES.match(name)
    return ("both", name[m.end() :]) if m else (None, name)


def _merge_roles(parts: list[str]) -> list[str]:
    """["各市", "县〔区〕"] → ["各市、县〔区〕"]: the region words after a role belong to it."""
    merged: list[str] = []
    for part in parts:
        if merged and merged[-1].startswith("各") and _REGION_WORD.match(part or ""):
            merged[-1] = f"{merged[-1]}、{part}"
        else:
            merged.append(part)
    return merged


def _split_places(piece: str) -> list[str]:
    """ "厦门〔宁夏〕大学" → ["厦门大学", "宁夏大学"]: a place in brackets inside a name."""
    m = re.fullmatch(
        r"(?P<a>[^〔（(〈、]{2,4})[〔（(〈](?P<b>[^〕）)〉、]{2,4})[〕）)〉](?P<c>大学|学院|医院|银行)", piece
    )
    if m:
        return [m.group("a") + m.group("c"), m.group("b") + m.group("c")]
    return [piece]


def _is_department(name: str) -> bool:
    """A department word without a place of its own: 发展改革委, 工业和信息化厅, 妇联, 广播电视台."""
    if len(name) > 10 or any(ch in OPEN for ch in name) or name.endswith("管委会"):
        return False
    if any(ch in _REGION_CHARS for ch in name[:2]):
        return False
    return bool(_DEPARTMENT.search(name)) or name in ("共青团", "工会")


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
    if piece.endswith("管委会") and len(piece) > 3:
        return False  # "宁东管委会": the committee of a named zone
    if any(ch in _REGION_CHARS for ch in piece):
        return False
    return bool(_ORGAN_SUFFIX.search(piece))


def _qualifier(previous: str) -> str:
    """The place part of a unit: its first place name with brackets right after it.

    "结对县〈市、区〉党委" → "结对县〈市、区〉"; "市发改委" → "市"; "晋江市农业农村局" → "晋江市";
    "泉州市晋江市教育局" → "泉州市晋江市" (a second place name of ≤ 3 characters joins).
    """
    m = re.match(r"[^省市县区旗盟]{0,8}?[省市县区旗盟]", previous)
    if not m or BOTH_SIDES.match(previous):
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
    """Units of all notes in ``text`` (lead roles first, roles left out), the notes, and the
    text without them. ``units_and_roles`` gives the roles and how many units lead too."""
    units, _roles, _leads, notes, stripped = units_and_roles(text)
    return units, notes, stripped


def units_and_roles(text: str) -> tuple[list[str], list[str], int, list[UnitNote], str]:
    """(units, roles, leads, notes, text without the notes).

    ``leads`` is how many of the first units lead: the units of a 牵头/主责 note when the text
    names one, else 1 (the first named leads).
    """
    notes = find_unit_notes(text)
    is_lead = lambda n: n.role.startswith(("牵头", "主责"))  # noqa: E731
    ordered = sorted((n for _, _, n in notes), key=lambda n: 0 if is_lead(n) else 1)
    units: list[str] = []
    roles: list[str] = []
    leads = 0
    for note in ordered:
        for unit in note.units:
            bucket = roles if is_role(unit) else units
            if unit not in bucket:
                bucket.append(unit)
                if bucket is units and is_lead(note):
                    leads += 1
    stripped = text
    for start, end in sorted({(s, e) for s, e, _ in notes}, reverse=True):
        stripped = stripped[:start].rstrip(" \t") + stripped[end:]
    return units, roles, max(1, leads) if units else 0, [n for _, _, n in notes], stripped.strip()
