"""The .docx of the self-assessment report has the layout of official documents (GB/T 9704-2012):
A4 with margins 37/35/28/26 mm, the title in 2号 小标宋 centred, the body in 3号 仿宋_GB2312 with
一、 in 黑体 and （一） in 楷体_GB2312, the issuer and date at the right, “— N —” page numbers in the
footers (odd right, even left), and every Chinese font named for East Asian text with zh-CN."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from assessment.reportdocx import build_docx
from assessment.selfreport import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(demo, users):
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=datetime.date(2026, 1, 10))
    return Document(io.BytesIO(build_docx(report)))


def east_asia(run) -> str:
    return run._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def paragraph(document, starts: str):
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def test_a4_with_the_standard_margins(document):
    section = document.sections[0]

    def mm(length) -> float:
        return round(length.mm, 1)  # stored in twentieths of a point

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (37, 35)
    assert (mm(section.left_margin), mm(section.right_margin)) == (28, 26)


def test_title_addressee_headings_and_body_fonts(document):
    title = document.paragraphs[0]
    assert title.text == "晋江市农业农村局关于2025年度晋江市—尤溪县山海协作工作的自评报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    addressee = paragraph(document, "泉州市山海协作工作领导小组办公室：")
    assert addressee.paragraph_format.first_line_indent == Pt(0)
    headings = [
        p
        for p in document.paragraphs
        if p.text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}
    ]
    assert [p.text for p in headings] == [
        "一、2025年度重点工作推进情况",
        "二、量化指标完成情况",
        "三、协作资金保障情况",
        "四、园区共建和项目推进情况",
        "五、交流互访情况",
        "六、存在的问题",
        "七、2026年工作打算",
    ]
    assert {east_asia(p.runs[0]) for p in headings} == {"黑体"}
    sub = paragraph(document, "（一）产业协作")
    assert east_asia(sub.runs[0]) == "楷体_GB2312"
    body = paragraph(document, "1. 资金拨付：")
    assert east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)  # two characters


def test_attachments_issuer_and_date(document):
    texts = [p.text for p in document.paragraphs]
    assert "附件：1. 2025年度晋江市—尤溪县山海协作工作考核情况表" in texts
    assert "2. 2025年度协作资金使用项目清单" in texts
    issuer, date = document.paragraphs[-2], document.paragraphs[-1]
    assert (issuer.text, date.text) == ("晋江市农业农村局", "2026年1月10日")
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # Without a seal (GB/T 9704 7.3.5.2): the date's first character two characters right of the
    # issuer's first; the date (8 characters wide here) longer than that: two from the right.
    issuer_right, date_right = issuer.paragraph_format.right_indent.pt, date.paragraph_format.right_indent.pt
    assert date_right == 32
    issuer_left_edge = issuer_right + 8 * 16  # 晋江市农业农村局: 8 characters of 16 pt
    date_left_edge = date_right + 3 * 16 + 7 * 8  # 年月日 full width, 7 digits half width
    assert issuer_left_edge - date_left_edge == 32


def test_page_numbers_in_the_footers_odd_right_even_left(document):
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        number = footer.paragraphs[0]
        assert number.alignment == align
        xml = number._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert number.text.startswith("— ") and number.text.endswith(" —")


def test_chinese_is_the_documents_east_asian_language(document):
    lang = document.settings.element.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    for p in document.paragraphs:
        for run in p.runs:
            assert run._r.rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
