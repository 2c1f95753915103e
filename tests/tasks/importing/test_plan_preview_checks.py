"""What the plan-import preview shows beyond the tree (issue 20): a plan read from a letter's
attachment, the letter's own request kept as a one-off task, roles that are not units, units of
both sides, a new unit created only in the region the user confirmed, and a document's
conflicting deadlines and figures with both sentences."""

from __future__ import annotations

import datetime
from pathlib import Path

from .test_plan_import_pages import confirm_data, url

SEEDS = Path(__file__).resolve().parents[3] / "fixtures" / "seeds"


def _minning(demo):
    from .test_plan_import_sides import fresh_minning

    return fresh_minning(demo)


def test_letter_preview_shows_the_attachment_plan_roles_and_both_sides(client_for, demo, users):
    pairing = _minning(demo)
    client = client_for("admin")
    text = (SEEDS / "004_minning_letter.txt").read_text(encoding="utf-8")
    response = client.post(url(pairing), {"action": "preview", "text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "方案在附件1中" in html
    assert "请于2024年10月18日前书面反馈我办" in html and 'name="notice-0-keep"' in html
    assert "角色（不是单位）：各市、县〔区〕" in html
    rows = {u["name"]: u for u in response.context["unit_rows"]}
    assert rows["福建省发展和改革委员会"]["match"] is not None
    assert rows["宁夏回族自治区发展和改革委员会"]["source"] == "两省区发展改革委"
    assert rows["宁夏回族自治区商务厅"]["match"] is None
    assert rows["宁东管委会"]["region_id"] is None and "—请选择所在地区—" in html
    assert not any(name in rows for name in ("各市", "县〔区〕", "各市、县〔区〕"))
    assert response.context["meta"]["doc_number"] == "闽扶协函〔2024〕8号"
    assert response.context["meta"]["issued"] == "2024-10-14"


def test_a_new_unit_without_a_confirmed_region_is_refused_then_created_where_chosen(client_for, demo):
    from cooperation.models import Region, Unit
    from tasks.models import Task

    pairing = _minning(demo)
    client = client_for("admin")
    text = (SEEDS / "004_minning_letter.txt").read_text(encoding="utf-8")
    shown = client.post(url(pairing), {"action": "preview", "text": text})
    data = confirm_data(shown)
    for row in shown.context["unit_rows"]:
        if row["region_id"]:
            data[f"u{row['index']}-region"] = str(row["region_id"])
    before = Unit.objects.count()
    refused = client.post(url(pairing), data)
    assert refused.status_code == 400
    assert "须在预览中确认新建并选择所在地区" in refused.content.decode()
    assert Unit.objects.count() == before and not Task.objects.filter(pairing=pairing).exists()

    ningxia = Region.objects.get(name="宁夏回族自治区")
    for row in shown.context["unit_rows"]:
        if row["match"] is None and row["region_id"] is None:
            data[f"u{row['index']}-region"] = str(ningxia.pk)
    data["notice-0-keep"] = "1"
    done = client.post(url(pairing), data)
    assert done.status_code == 302
    assert Unit.objects.get(name="宁东管委会").region == ningxia
    assert Unit.objects.get(name="宁夏回族自治区商务厅").region == ningxia
    assert Unit.objects.get(name="福建省商务厅").region.name == "福建省"
    feedback = Task.objects.get(pairing=pairing, title="请于2024年10月18日前书面反馈我办")
    assert (feedback.deadline_kind, feedback.deadline_date) == ("once", datetime.date(2024, 10, 18))
    assert Task.objects.filter(pairing=pairing).count() == 3 + 4 + 11 + 1


def test_conflicting_deadlines_and_figures_are_shown_with_both_sentences(client_for, demo):
    text = (SEEDS / "001_wenzhou_programme.txt").read_text(encoding="utf-8")
    response = client_for("wz_liaison").post(url(demo["wz"]), {"action": "preview", "text": text})
    html = response.content.decode()
    assert "文件前后不一致，请核定" in html
    assert "2018 年四季度前 ↔ 2018 年三季度前" in html
    assert "237.7亿元 ↔ 100亿元" in html
    assert (
        "于 2018 年四季度前完成规划评审" in html and "2018 年三季度前，编制完成五大生态旅游文化产业园" in html
    )
