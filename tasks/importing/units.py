"""Units of a plan matched to the pairing's units, on the right side and region.

The rules: full or short name, the short department names plans use read in full (发改委 =
发展改革委 = 发展和改革委员会), a name that starts with a place matched only in that place, "两省区X"
as one unit of each side, and a new unit proposed — never created without the user's confirmation —
in the region its name says (``UnitMatcher``). ``preview_unit_rows`` is the preview's unit table.
"""

from __future__ import annotations

import re

from django.db.models import Q

from cooperation.models import Pairing, Region, Unit
from planparser.units import unit_side

_PARENS = str.maketrans(
    {"〈": "（", "〉": "）", "(": "（", ")": "）", "<": "（", ">": "）", " ": "", "\u3000": ""}
)


def normalise_unit_name(name: str) -> str:
    """The key two spellings of one unit share: 〈〉, () and （） alike, no spaces."""
    return (name or "").translate(_PARENS)


def side_regions(pairing: Pairing) -> list[Region]:
    """The regions of both sides and everything within them (where new units may be created)."""
    paths = {pairing.coastal_region.path, pairing.mountain_region.path}
    regions = [r for r in Region.objects.order_by("path") if any(r.path.startswith(p) for p in paths)]
    return regions


# The short forms plans use for department names, and the full form units are registered under:
# "发改委" = "发展改革委" = "发展和改革委员会". Applied to both sides of a comparison.
UNIT_SYNONYMS = [
    (re.compile(r"发展改革委(?!员会)|发改委"), "发展和改革委员会"),
    (re.compile(r"发展改革局|发改局"), "发展和改革局"),
    (re.compile(r"卫生健康委(?!员会)|卫健委"), "卫生健康委员会"),
    (re.compile(r"卫生计生委|卫计委"), "卫生和计划生育委员会"),
    (re.compile(r"工业和信息化厅|工信厅"), "工业和信息化厅"),
    (re.compile(r"人力资源保障厅|人社厅"), "人力资源和社会保障厅"),
    (re.compile(r"人力资源保障局|人力社保局|人社局"), "人力资源和社会保障局"),
    (re.compile(r"文化旅游厅|文旅厅"), "文化和旅游厅"),
    (re.compile(r"文化旅游局|文旅局"), "文化和旅游局"),
    (re.compile(r"农科院"), "农业科学院"),
    (re.compile(r"广电局"), "广播电视局"),
    (re.compile(r"(?<!科学技术)科协$"), "科学技术协会"),
]
_REGION_SUFFIX = re.compile(r"(回族自治区|壮族自治区|维吾尔自治区|自治区|自治州|省|市|县|区|镇|乡|街道)$")


def canonical_unit_name(name: str) -> str:
    """The key one unit's spellings share: brackets alike, no spaces, short department names in
    full ("宁夏发改委" → "宁夏发展和改革委员会")."""
    key = normalise_unit_name(name)
    for pattern, full in UNIT_SYNONYMS:
        key = pattern.sub(full, key)
    return key


def region_stems(region: Region) -> list[str]:
    """How a plan may name a region at the start of a unit: 宁夏回族自治区, 宁夏; 晋江市, 晋江."""
    stem = _REGION_SUFFIX.sub("", region.name)
    return [region.name] + ([stem] if len(stem) >= 2 and stem != region.name else [])


class UnitMatcher:
    """Unit names of a plan → existing units of the pairing's regions, on the right side.

    Loads the candidate units once (one query). A name matches a unit by its full or short name,
    with the short department names plans use read in full (发改委 = 发展改革委 = 发展和改革委员会);
    a name that starts with a region of either side ("宁夏农业农村厅", "尤溪县教育局") matches only
    a unit of that region. "两省区X" / "两市X" (``planparser.unit_side``) names one unit of each
    side: X of the coastal region and X of the mountain region. A name that matches none is
    proposed as new — never created without the user's confirmation — under the region its name
    starts with, both sides' for "两省区X", else no region: the user picks it in the preview.
    """

    def __init__(self, pairing: Pairing):
        self.pairing = pairing
        self.sides = [pairing.coastal_region, pairing.mountain_region]
        paths = {region.path for region in self.sides}
        # The sides' units in one query (by region path, not every unit of the province), and the
        # pairing's own units in another.
        within = Q()
        for path in paths:
            within |= Q(region__path__startswith=path)
        units = list(
            Unit.objects.filter(within).select_related("region").order_by("region__path", "pk")
        ) + list(pairing.units.select_related("region"))
        self.by_name: dict[str, Unit] = {}
        self.by_short: dict[str, Unit] = {}
        self.by_region_stem: dict[tuple[int, str], Unit] = {}
        self.regions = side_regions(pairing)
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self.by_name.setdefault(canonical_unit_name(unit.name), unit)
        if unit.short_name:
            self.by_short.setdefault(canonical_unit_name(unit.short_name), unit)
        for text in filter(None, (unit.name, unit.short_name)):
            for prefix in region_stems(unit.region):
                if text.startswith(prefix) and len(text) > len(prefix):
                    key = (unit.region_id, canonical_unit_name(text[len(prefix) :]))
                    self.by_region_stem.setdefault(key, unit)

    def _in_region(self, region: Region, stem: str) -> Unit | None:
        return self.by_region_stem.get((region.pk, canonical_unit_name(stem)))

    def match(self, name: str) -> Unit | None:
        """The one existing unit ``name`` means, or None (a "两省区X" name: see ``resolve``)."""
        if unit_side(name)[0] == "both":
            return None
        key = canonical_unit_name(name)
        found = self.by_name.get(key) or self.by_short.get(key)
        if found:
            return found
        for region in self.sides:
            for prefix in region_stems(region):
                if name.startswith(prefix) and len(name) > len(prefix):
                    return self._in_region(region, name[len(prefix) :])
        return None

    def resolve(self, name: str) -> list[tuple[str, Unit | None, Region | None]]:
        """(name of the unit, existing unit or None, region it belongs to) for each unit ``name``
        stands for: one for an ordinary name, one per side for "两省区X"."""
        side, stem = unit_side(name)
        if side != "both":
            unit = self.match(name)
            return [(name, unit, unit.region if unit else self.default_region(name))]
        found = []
        for region in self.sides:
            unit = self._in_region(region, stem)
            full = unit.name if unit else region.name + canonical_unit_name(stem)
            found.append((full, unit or self.by_name.get(canonical_unit_name(full)), region))
        return found

    def default_region(self, name: str) -> Region | None:
        """The side (or region within it) a new unit's name starts with, or None: the user says."""
        for region in sorted(self.regions, key=lambda r: -len(r.name)):
            for prefix in region_stems(region):
                if name.startswith(prefix):
                    return region
        return None


def preview_unit_rows(matcher: UnitMatcher, names: list[str], post=None) -> list[dict]:
    """The preview's unit table: each unit the plan's names stand for ("两省区X" → one per
    side), matched to an existing unit or new with the region shown for it — the region chosen
    in the form, else the one the name says, else none (the user must choose before confirming).
    Form fields ``u<i>-name`` / ``u<i>-region`` are what ``confirm_choices`` reads back."""
    rows: list[dict] = []
    seen: set[str] = set()
    for source in names:
        for full, unit, region in matcher.resolve(source):
            if full in seen:
                continue
            seen.add(full)
            index = len(rows)
            region_id = None
            if unit is None:
                chosen = (post or {}).get(f"u{index}-region")
                region_id = (
                    int(chosen) if chosen and str(chosen).isdigit() else (region.pk if region else None)
                )
            rows.append(
                {"index": index, "name": full, "source": source, "match": unit, "region_id": region_id}
            )
    return rows


def guess_unit_kind(name: str) -> str:
    if name.endswith("党委") or name.endswith("委员会党委"):
        return Unit.Kind.PARTY
    if name.endswith("政府"):
        return Unit.Kind.GOVERNMENT
    if name.endswith("管委会"):
        return Unit.Kind.PARK
    return Unit.Kind.DEPARTMENT
