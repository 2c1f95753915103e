"""LibreOffice prints the self-assessment report: the title and every heading on the pages, in CJK
faces (the fallback for 仿宋_GB2312 and the other official fonts where they are not installed)."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess

import pytest

from assessment.reportdocx import build_docx
from assessment.selfreport import cn_number, draft

from ..conftest import require

pytestmark = pytest.mark.django_db


def convert(office: str, source, outdir) -> subprocess.CompletedProcess:
    # A profile of its own, so a desktop LibreOffice of the same user does not block the run.
    profile = outdir / "lo-profile"
    return subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(outdir)},
    )


def test_libreoffice_prints_the_report_with_its_headings_in_cjk_fonts(demo, users, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    require(office is not None, "LibreOffice (apt-get install libreoffice-writer)")
    require(
        bool(shutil.which("pdftotext") and shutil.which("pdffonts")), "poppler-utils (pdftotext, pdffonts)"
    )
    report = draft(demo["jy"], 2025, users["jj_liaison"], today=datetime.date(2026, 1, 10))
    source = tmp_path / "selfreport-2025.docx"
    source.write_bytes(build_docx(report))

    result = convert(office, source, tmp_path)
    pdf = tmp_path / "selfreport-2025.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", report.title) in flat  # the title wraps over two lines
    for index, part in enumerate(report.sections, start=1):
        assert f"{cn_number(index)}、{part.heading}" in flat
    assert "泉州市山海协作工作领导小组办公室：" in flat
    assert "于2025年5月20日足额拨付，逾期20天" in flat
    assert "附件：1.2025年度晋江市—尤溪县山海协作工作考核情况表" in flat
    assert "晋江市农业农村局2026年1月10日" in flat
    # Page numbers in the footers: “— 1 —” on the first page, “— 2 —” on the second.
    pages = text.split("\f")
    assert re.search(r"—\s*1\s*—", pages[0]) and re.search(r"—\s*2\s*—", pages[1])
    # An official report of this length: a few pages, not one page per paragraph.
    assert 3 <= len([p for p in pages if p.strip()]) <= 12

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    cjk = [name for name in names if "CJK" in name or "Song" in name or "Hei" in name or "Kai" in name]
    assert cjk, fonts
    # Apart from the CJK faces, only the Latin face of the digits (Times New Roman or its metric twin).
    latin = [name for name in names if name not in cjk]
    assert all(re.search(r"Liberation|Times|DejaVu", name) for name in latin), fonts
