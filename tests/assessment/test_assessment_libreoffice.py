"""LibreOffice prints the workbook to PDF as a person would read it: every text cell whole (nothing
cut off or running into the next row), CJK fonts, no text below 9 pt, pages within bounds
(Debian's libreoffice-calc, poppler-utils)."""

from __future__ import annotations

import collections
import datetime
import os
import re
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from assessment.services import build
from cooperation.models import Pairing

from ..conftest import require

pytestmark = pytest.mark.django_db

JUDGED_ON = datetime.date(2026, 1, 15)


def to_pdf(source, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    require(office is not None, "LibreOffice (apt-get install libreoffice-calc)")
    require(shutil.which("pdftotext") is not None, "poppler-utils (pdftotext, pdffonts)")
    # A profile of its own, so a desktop LibreOffice of the same user does not block the run.
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = source.with_suffix(".pdf")
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
    return pdf


def poppler(*args) -> str:
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout


def words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (x0, y0, x1, y1, text)."""
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [
        [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(pattern, page)]
        for page in poppler("pdftotext", "-bbox", str(pdf), "-").split("<page ")[1:]
    ]


def page_body(page) -> float:
    """The height of a page's body text: the commonest among its smallest words (titles are 1.4× taller)."""
    smallest = min(w[3] - w[1] for w in page)
    body = [round(w[3] - w[1], 1) for w in page if w[3] - w[1] < 1.2 * smallest]
    return collections.Counter(body).most_common(1)[0][0]


def check_printed(pdf, source) -> list:
    """What a reader would call broken; returns the pages' words."""
    # Every text cell is on paper whole (LibreOffice leaves out the lines a too-low row cuts off).
    printed = re.sub(r"\s+", "", poppler("pdftotext", "-raw", str(pdf), "-"))
    missing = [
        (sheet.title, cell.coordinate, cell.value)
        for sheet in load_workbook(source).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
        and cell.value.strip()
        and cell.data_type != "f"
        and re.sub(r"\s+", "", cell.value) not in printed
    ]
    assert missing == []
    # No text runs into another (a cell's text spilling over the row below).
    pages = words(pdf)
    overlapping = [
        (number, a[4], b[4])
        for number, page in enumerate(pages, start=1)
        for i, a in enumerate(page)
        for b in page[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 2
    ]
    assert overlapping == []
    # CJK faces for the Chinese text (the file names 宋体 / 黑体; the machine maps them).
    fonts = poppler("pdffonts", str(pdf))
    assert "CJK" in fonts and "Carlito" not in fonts and "Calibri" not in fonts
    # No text smaller than 90 % of the body text printed at 100 % (10 pt → never below 9 pt).
    heights = [round(w[3] - w[1], 1) for page in pages for w in page]
    body = max(page_body(page) for page in pages if page)
    assert min(heights) >= 0.9 * body - 0.1
    return pages


def test_the_one_pairing_workbook_prints_whole_on_a4(demo, tmp_path):
    source = build(2025, [demo["jy"]], dest=tmp_path / "assessment-jy.xlsx", today=JUDGED_ON)
    pdf = to_pdf(source, tmp_path)
    pages = check_printed(pdf, source)
    # The official table on one page, the first, with its signature lines and page number.
    first = poppler("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    assert "2025年度晋江市—尤溪县山海协作工作考核情况表" in first
    assert "负责人" in first and "（盖章）" in first and f"第 1 页 共 {len(pages)} 页" in first
    assert "2025年度晋江市—尤溪县山海协作工作考核情况表" not in poppler(
        "pdftotext", "-f", "2", "-l", "2", str(pdf), "-"
    )
    assert len(pages) <= 24
    # The second payment of 2025 is on paper (it was cut off when the funds sheet was shrunk to fit).
    assert "2025-05-20拨付¥7,000,000" in re.sub(r"\s+", "", poppler("pdftotext", "-raw", str(pdf), "-"))


def test_the_all_pairings_workbook_prints_each_official_table_on_its_own_page(demo, tmp_path):
    pairings = list(Pairing.objects.all())
    source = build(2025, pairings, dest=tmp_path / "assessment-2025.xlsx", today=JUDGED_ON)
    pdf = to_pdf(source, tmp_path)
    pages = check_printed(pdf, source)
    titles = [
        number
        for number, page in enumerate(pages, start=1)
        for w in page
        if w[4].endswith("山海协作工作考核情况表")
    ]
    # One section per pairing, each on a page of its own, whole: its signature lines on that page.
    assert titles == list(range(1, len(pairings) + 1))
    for number in titles:
        text = "".join(w[4] for w in pages[number - 1])
        assert "负责人" in text and "（盖章）" in text
    assert len(pages) <= 4 * len(pairings)
