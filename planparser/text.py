"""Text helpers shared by the rules: normalisation, Chinese numerals, sentence splitting."""

from __future__ import annotations

import re

# Full-width digits and ASCII-like letters become ASCII so one regex serves both spellings;
# full-width punctuation (（）：，。) stays, every rule accepts both forms.
# Full-width digits, letters and punctuation that documents mix with ASCII, mapped to ASCII.
FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\u3000": " ",  # ideographic space
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "．": ".",
        "％": "%",
    }
)


def normalise(text: str) -> str:
    """Unify line ends, full-width digits/letters/spaces, and drop zero-width characters.

    >>> normalise("２０１８年７月底前\\r\\n")
    '2018年7月底前\\n'
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(FULLWIDTH)


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千"


def cn_to_int(text: str) -> int | None:
    """Read a Chinese (or Arabic) numeral up to 9999: "十" → 10, "二十三" → 23, "两" → 2, "一〇" → 10.

    Digit-by-digit spellings of years ("二〇一八") are read positionally → 2018.
    Returns None when the text is not a numeral.
    """
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    if not any(ch in _CN_UNITS for ch in text):
        # "二〇一八" (a year) or a single digit "三"
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


SENTENCE_END = "。！？!?"
# A clause ends at these; ASCII commas only count outside numbers ("1,200").
_CLAUSE_SPLIT = re.compile(r"[，；。！？;!?：:]|,(?!\d)")
_SENTENCE_SPLIT = re.compile(r"[。；！？;!?]")


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the clause (between ，；。 …) around position ``pos``."""
    start = 0
    for m in _CLAUSE_SPLIT.finditer(text, 0, pos):
        start = m.end()
    m = _CLAUSE_SPLIT.search(text, pos)
    end = m.start() if m else len(text)
    return start, end


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence (after the last 。；！？ or line break) that contains ``pos``."""
    start = 0
    for m in _SENTENCE_SPLIT.finditer(text, 0, pos):
        start = m.end()
    nl = text.rfind("\n", 0, pos)
    return max(start, nl + 1)


def join_fragments(left: str, right: str) -> str:
    """Join two pieces of one paragraph cut by a line or page break.

    Chinese needs no space; two ASCII words do ("MCN" + "等" → "MCN等", "A" + "B" → "A B").
    """
    if (
        left
        and right
        and left[-1].isascii()
        and left[-1].isalnum()
        and right[0].isascii()
        and right[0].isalnum()
    ):
        return left + " " + right
    return left + right


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces a layout inserted between Chinese characters ("关于 打造" → "关于打造")."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text).strip()
