"""The self-assessment report as a .docx in the layout of official documents (GB/T 9704-2012).

A4, margins 上 37 mm / 下 35 mm / 左 28 mm / 右 26 mm; a grid of 22 lines of 28 characters (3号, a
fixed line pitch); the title in 2号 小标宋 centred; the addressee (主送) flush left; the body in 3号
仿宋_GB2312 with first-level headings 一、 in 黑体, second-level （一） in 楷体_GB2312 and items
1. in 仿宋; the attachment list (附件); the issuer and the date of a document without a seal (the issuer two
characters from the right, the date's first character two to the right of the issuer's); page numbers “— N —” in 4号 宋体, odd pages right and even pages left.

The Chinese font names are written for East Asian text (w:eastAsia), with the language zh-CN (in
the runs, the defaults and themeFontLang: the template's are Japanese). Where the Founder and GB2312
fonts are missing, the language is what makes LibreOffice pick a Simplified Chinese face (Noto CJK
SC on Linux) rather than a Japanese one; it ignores the font table's hints. The font table still
names each font with the GB2312 charset, its family and a fallback (w:altName) for Word and WPS.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from assessment.selfreport import Draft, cn_number

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# The face each Chinese font falls back to where it is missing (the Noto CJK SC faces CI installs).
FALLBACKS = {
    TITLE_FONT: ("Noto Serif CJK SC", "roman"),
    BODY_FONT: ("Noto Serif CJK SC", "roman"),
    SUBHEADING_FONT: ("Noto Serif CJK SC", "roman"),
    HEADING_FONT: ("Noto Sans CJK SC", "swiss"),
    PAGE_NUMBER_FONT: ("Noto Serif CJK SC", "roman"),
}

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
# 22 lines in the 225 mm type area: 637.8 pt / 22.
LINE_PITCH = Pt(28.95)
CHAR = 16  # one character of 3号, in points

SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）")
# Characters XML 1.0 forbids (python-docx refuses them); a pasted text may carry them.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return ILLEGAL.sub("", text or "").strip()


def _set_fonts(run_or_style, east_asia: str, size=None, bold: bool | None = None) -> None:
    """Latin text in Times New Roman, Chinese in `east_asia` (w:eastAsia), language zh-CN."""
    font = run_or_style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _font_table(document) -> None:
    """Name each Chinese font in the font table with its GB2312 charset and its CJK fallback."""
    table = None
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            table = rel.target_part
    if table is None:
        return
    from lxml import etree

    root = etree.fromstring(table.blob)
    for name, (fallback, family) in FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), fallback)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        fam = etree.SubElement(font, qn("w:family"))
        fam.set(qn("w:val"), family)
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _chinese_defaults(document) -> None:
    """The document's defaults in Chinese: the template's are Japanese (themeFontLang ja-JP, MS fonts
    in the theme), which makes LibreOffice set missing Chinese fonts in a Japanese face."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        lang = OxmlElement("w:themeFontLang")
        settings.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault"))
    if ppr is not None:
        defaults.remove(ppr)  # the template's 10 pt after and 1.15 lines: GB/T 9704 has neither


def _paragraph(document, text: str, font: str, *, size=SIZE_3, indent_chars: float = 2, align=None):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(CHAR * indent_chars) if indent_chars else Pt(0)
    fmt.widow_control = True
    if align is not None:
        paragraph.alignment = align
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if text:
        _set_fonts(paragraph.add_run(text), font, size)
    return paragraph


def _page_number(paragraph) -> None:
    """“— N —”: the page number as a field between two em dashes, in 4号 宋体."""

    def run(text: str = ""):
        r = paragraph.add_run(text)
        _set_fonts(r, PAGE_NUMBER_FONT, SIZE_4)
        return r

    run("— ")
    begin = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "begin")
    begin._r.append(char)
    instr = run()
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = " PAGE "
    instr._r.append(code)
    sep = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "separate")
    sep._r.append(char)
    run("1")
    end = run()
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), "end")
    end._r.append(char)
    run(" —")


def _footers(document, section) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        # One character in from the edge of the type area (GB/T 9704: 单页码居右空一字，双页码居左空一字).
        if side == "right":
            fmt.right_indent = Pt(14)
        else:
            fmt.left_indent = Pt(14)
        _page_number(paragraph)


def _text_width(text: str) -> float:
    """Width of a line in points at 3号: CJK full width, ASCII half width."""
    return sum(CHAR / 2 if ord(ch) < 0x2E80 else CHAR for ch in text)


def signature_indents(issuer: str, date: str) -> tuple[float, float]:
    """Right indents (points) of the issuer and the date of a document without a seal (GB/T 9704-2012
    7.3.5.2): the issuer two characters from the right, the date on the next line with its first
    character two to the right of the issuer's; a date longer than that keeps two characters from
    the right and moves the issuer left instead."""
    issuer_width, date_width = _text_width(issuer), _text_width(date)
    issuer_right = 2 * CHAR
    date_right = issuer_right + issuer_width - 2 * CHAR - date_width
    if date_right < 2 * CHAR:
        date_right = 2 * CHAR
        issuer_right = date_right + date_width + 2 * CHAR - issuer_width
    return issuer_right, date_right


def _signature(document, issuer: str, date: str) -> None:
    issuer_right, date_right = signature_indents(issuer, date)
    for text, indent in ((issuer, issuer_right), (date, date_right)):
        if not text:
            continue
        paragraph = _paragraph(document, text, BODY_FONT, indent_chars=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(indent)


def build_docx(report: Draft) -> bytes:
    """The report as the bytes of a .docx file."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's dash sits about 7 mm below the type area.
    section.footer_distance = Mm(21)

    normal = document.styles["Normal"]
    _set_fonts(normal, BODY_FONT, SIZE_3)
    _font_table(document)
    _chinese_defaults(document)
    properties = document.core_properties
    properties.title = clean(report.title)
    properties.author = clean(report.issuer)
    properties.language = "zh-CN"

    # The title, then one blank line, then the addressee.
    title = clean(report.title)
    if title:
        paragraph = _paragraph(document, "", TITLE_FONT, indent_chars=0, align=WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.line_spacing = Pt(35)
        _set_fonts(paragraph.add_run(title), TITLE_FONT, SIZE_2)
    _paragraph(document, "", BODY_FONT, indent_chars=0)
    addressee = clean(report.addressee)
    if addressee:
        _paragraph(document, addressee, BODY_FONT, indent_chars=0, align=WD_ALIGN_PARAGRAPH.LEFT)

    for line in clean(report.opening).splitlines():
        if line.strip():
            _paragraph(document, line.strip(), BODY_FONT)

    number = 0
    for part in report.sections:
        heading = clean(part.heading)
        lines = [line.strip() for line in clean(part.text).splitlines() if line.strip()]
        if not heading and not lines:
            continue  # a section the liaison emptied is left out and the rest renumbered
        if heading:
            number += 1
            _paragraph(document, f"{cn_number(number)}、{heading}", HEADING_FONT)
        for line in lines:
            font = SUBHEADING_FONT if SUBHEADING.match(line) else BODY_FONT
            _paragraph(document, line, font)

    for line in clean(report.closing).splitlines():
        if line.strip():
            _paragraph(document, line.strip(), BODY_FONT)

    attachments = [clean(a) for a in report.attachments if clean(a)]
    if attachments:
        _paragraph(document, "", BODY_FONT, indent_chars=0)
        for index, name in enumerate(attachments, start=1):
            prefix = "附件：" if index == 1 else ""
            label = f"{index}. {name}" if len(attachments) > 1 else name
            paragraph = _paragraph(document, prefix + label, BODY_FONT, indent_chars=0)
            # Names wrap under themselves: 附件： takes three characters after the two of the indent.
            paragraph.paragraph_format.left_indent = Pt(CHAR * 5)
            paragraph.paragraph_format.first_line_indent = Pt(-CHAR * 3) if index == 1 else Pt(0)
            if len(attachments) > 1:
                paragraph.paragraph_format.left_indent = Pt(CHAR * 5 + CHAR * 1.5)
                paragraph.paragraph_format.first_line_indent = Pt(-CHAR * (4.5 if index == 1 else 1.5))

    # One blank line above the signature.
    _paragraph(document, "", BODY_FONT, indent_chars=0)
    _signature(document, clean(report.issuer), clean(report.date))
    _footers(document, section)

    # python-docx's template has one empty paragraph at the start: drop it.
    body = document.element.body
    first = body[0]
    if first.tag == qn("w:p") and not "".join(first.itertext()).strip():
        body.remove(first)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filename(report: Draft, year: int, pairing_name: str) -> str:
    return f"{year}年度{pairing_name}工作自评报告.docx"
