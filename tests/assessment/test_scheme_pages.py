"""The scheme page (考核方案) of the assessing office: superusers see the schemes of each year, edit
a scheme's points, caps and thresholds all or nothing, and copy a new year's version; nobody else
may open it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import AssessmentAdjustment, AssessmentGrade, AssessmentScheme
from assessment.scoring import ensure_default_scheme, scheme_for
from tests.security.matrix import Objects
from tests.security.permission_matrix import scheme_form

pytestmark = pytest.mark.django_db
D = Decimal


def form(**changes) -> dict:
    return scheme_form(Objects(), **changes)


def state(scheme) -> tuple:
    """What the page edits, read back from the database."""
    scheme.refresh_from_db()
    return (
        scheme.name,
        scheme.notes,
        [(s.name, s.weight, s.deduction) for s in scheme.sections.all()],
        [(a.kind, a.name, a.points, a.cap) for a in scheme.adjustments.all()],
        [(g.name, g.threshold) for g in scheme.grades.all()],
    )


def test_the_list_shows_the_scheme_of_each_year(demo, client_for):
    ensure_default_scheme()
    AssessmentScheme.objects.create(name="2025年度考核办法", year_from=2025, year_to=2025)
    page = client_for("admin").get(reverse("assessment:scheme_list")).content.decode()
    assert "<td>2025</td><td><a" in page and "2025年度考核办法" in page
    assert "山海协作年度考核默认方案" in page and "复制为新年度方案" in page


def test_a_superuser_edits_points_caps_and_thresholds(demo, client_for):
    scheme = ensure_default_scheme()
    url = reverse("assessment:scheme_detail", args=[scheme.pk])
    response = client_for("admin").post(
        url,
        form(
            **{
                "sections-0-weight": "50",  # 重点任务按时完成 40 → 50
                "sections-4-deduction": "1",  # 催办督办: 1 point per escalation
                "adjustments-0-kind": "bonus",
                "adjustments-0-name": "获省级及以上表彰",
                "adjustments-0-points": "2",
                "adjustments-0-cap": "4",
                "grades-0-name": "优秀",
                "grades-0-threshold": "85",
            }
        ),
    )
    assert response.status_code == 302
    name, _notes, sections, items, grades = state(scheme)
    assert sections[0] == ("重点任务按时完成", D("50"), D("0"))
    assert sections[4][2] == D("1")
    assert items == [("bonus", "获省级及以上表彰", D("2"), D("4"))]
    assert grades == [("优秀", D("85"))]
    # The page shows what was saved, with the rule texts of the workbook.
    page = client_for("admin").get(url).content.decode()
    assert "每次加 2 分，最多加 4 分" in page and "满分 10 分，每次提请督办扣 1 分，扣完为止" in page
    assert "<th>110</th>" in page  # the full marks after the change


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sections-0-weight": "0"}, "分值必须大于 0。"),
        (
            {
                "adjustments-0-kind": "deduction",
                "adjustments-0-name": "被省级通报批评",
                "adjustments-0-points": "3",
                "adjustments-0-cap": "2",
            },
            "上限不能小于每次分值。",
        ),
        ({"scheme-year_from": "2026", "scheme-year_to": "2025"}, "默认方案用于没有专门方案的年度"),
    ],
)
def test_an_error_anywhere_saves_nothing(demo, client_for, changes, message):
    scheme = ensure_default_scheme()
    before = state(scheme)
    # A valid change elsewhere in the same form is not saved either.
    data = form(**{"sections-1-weight": "25", "scheme-notes": "改过的说明", **changes})
    response = client_for("admin").post(reverse("assessment:scheme_detail", args=[scheme.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "未保存：请改正下面标出的错误后再保存。" in response.content.decode()
    assert state(scheme) == before


def test_duplicate_thresholds_are_refused(demo, client_for):
    scheme = AssessmentScheme.objects.create(name="2025年度考核办法", year_from=2025, year_to=2025)
    AssessmentGrade.objects.create(scheme=scheme, name="合格", threshold=D("60"))
    objects = Objects()
    objects.__dict__["scheme"] = scheme
    data = scheme_form(objects, **{"grades-1-name": "良好", "grades-1-threshold": "60"})
    response = client_for("admin").post(reverse("assessment:scheme_detail", args=[scheme.pk]), data)
    assert response.status_code == 400 and "等次的最低分不能重复：60" in response.content.decode()
    assert list(scheme.grades.values_list("name", flat=True)) == ["合格"]


def test_a_new_years_version_is_copied_from_the_last(demo, client_for):
    scheme = AssessmentScheme.objects.create(name="2025年度考核办法", year_from=2025, year_to=2025)
    for section in ensure_default_scheme().sections.all():
        section.pk = None
        section.scheme = scheme
        section.save()
    AssessmentAdjustment.objects.create(
        scheme=scheme, kind="bonus", name="获省级表彰", points=D("2"), cap=D("4")
    )
    AssessmentGrade.objects.create(scheme=scheme, name="合格", threshold=D("60"))
    admin = client_for("admin")
    response = admin.post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"year": "2026"})
    copy = AssessmentScheme.objects.get(name="2026年度山海协作考核方案")
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessment:scheme_detail", args=[copy.pk]
    )
    assert (copy.year_from, copy.year_to) == (2026, 2026) and scheme_for(2026) == copy
    assert state(copy)[2:] == state(scheme)[2:]  # sections, items and bands alike
    # The same year twice: refused, said why, nothing created.
    again = admin.post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"year": "2026"}, follow=True)
    assert "2026 年度已有专门方案“2026年度山海协作考核方案”" in again.content.decode()
    assert AssessmentScheme.objects.filter(year_from=2026).count() == 1


@pytest.mark.parametrize("username", ["yx_liaison", "jj_liaison", "leader", "yx_reporter"])
def test_nobody_but_a_superuser_opens_or_changes_a_scheme(demo, client_for, username):
    scheme = ensure_default_scheme()
    before = state(scheme)
    client = client_for(username)
    assert client.get(reverse("assessment:scheme_list")).status_code == 403
    url = reverse("assessment:scheme_detail", args=[scheme.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form(**{"sections-0-weight": "90"})).status_code == 403
    copy = client.post(reverse("assessment:scheme_copy", args=[scheme.pk]), {"year": "2030"})
    assert copy.status_code == 403
    assert state(scheme) == before and not AssessmentScheme.objects.filter(year_from=2030).exists()


def test_an_item_with_entries_is_not_deleted(demo, client_for):
    from assessment.models import AssessmentAdjustmentEntry

    scheme = ensure_default_scheme()
    item = AssessmentAdjustment.objects.create(
        scheme=scheme, kind="bonus", name="获省级表彰", points=D("2"), cap=D("4")
    )
    AssessmentAdjustmentEntry.objects.create(
        item=item, pairing=demo["jy"], side="mountain", year=2025, points=D("2"), reason="获省级表彰"
    )
    before = state(scheme)
    response = client_for("admin").post(
        reverse("assessment:scheme_detail", args=[scheme.pk]), form(**{"adjustments-0-DELETE": "on"})
    )
    assert response.status_code == 400
    assert "“获省级表彰”已有加分 / 扣分记录，不能删除" in response.content.decode()
    assert state(scheme) == before
