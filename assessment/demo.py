"""Demo of the assessment: 2024 of Jinjiang–Youxi has been assessed (县级年度绩效考评) and is locked.

Run after every other app's demo (the assessment sits above them), so the lock records the year's
outcome with its payments, lists and activities in place.
"""

from __future__ import annotations

from cooperation.models import User
from tasks import services
from tasks.models import YearLock


def load(context: dict) -> dict:
    jy = context["pairings"]["jinjiang_youxi"]
    if not YearLock.objects.filter(pairing=jy, year=2024).exists():
        services.lock_year(
            jy, 2024, User.objects.get(username="yx_liaison"), reason="2024年度县级绩效考评已完成"
        )
    return {}
