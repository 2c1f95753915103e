"""LibreOffice opens the workbook and prints it to PDF without error (Debian's libreoffice-calc)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from assessment.services import build
from cooperation.models import Pairing

from ..conftest import require

pytestmark = pytest.mark.django_db


def test_libreoffice_converts_the_all_pairings_workbook_to_pdf(demo, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    require(office is not None, "LibreOffice (apt-get install libreoffice-calc)")
    source = build(2025, list(Pairing.objects.all()), dest=tmp_path / "assessment-2025.xlsx")
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
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "assessment-2025.pdf"
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr, result.stderr
    assert pdf.exists() and pdf.stat().st_size > 5000
    assert pdf.read_bytes().startswith(b"%PDF")
