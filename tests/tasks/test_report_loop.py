"""The report loop as offices work it: a returned report is corrected on the same report, nobody
approves his own report, and a draft is its unit's own until submitted."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tasks import services
from tasks.models import ProgressReport


@pytest.fixture
def returned(demo):
    """The demo's 2025 education report, returned with "请补充跟岗学习的时间、人数和现场照片。"."""
    return ProgressReport.objects.get(status="returned", unit__name="尤溪县教育局")


def test_a_returned_report_is_corrected_and_submitted_again_on_the_same_report(returned, client_for):
    client = client_for("yx_reporter")
    page = client.get(returned.period.task.get_absolute_url()).content.decode()
    form = page[page.index(f'id="edit-report-{returned.pk}"') :]
    form = form[: form.index("</details>")]
    assert " open" in form.split(">")[0]  # open beside the report, the reason above the form
    assert "请补充跟岗学习的时间、人数和现场照片。" in form
    assert returned.text in form and "保存并重新提交" in form
    prefix = f"r{returned.pk}"
    answer = client.post(
        f"/tasks/periods/{returned.period_id}/reports/{returned.pk}/",
        {
            "prefix": prefix,
            f"{prefix}-text": returned.text + "2025年5月12日—16日，12名教师，附现场照片。",
            f"{prefix}-version": returned.version,
            "action": "submit",
        },
    )
    assert answer.status_code == 302
    returned.refresh_from_db()
    assert returned.status == ProgressReport.Status.SUBMITTED and "12名教师" in returned.text
    texts = [h.text for h in returned.history.order_by("history_date")]
    assert any("12名教师" not in t for t in texts) and "12名教师" in texts[-1]  # both versions kept
    assert (
        ProgressReport.objects.filter(period=returned.period, unit=returned.unit).count() == 1
    )  # no new report


def test_nobody_approves_his_own_report(demo, users, client_for):
    fund_2025 = ProgressReport.objects.get(status="submitted", unit__name="晋江市财政局")
    assert fund_2025.created_by == users["jj_liaison"]
    with pytest.raises(PermissionDenied, match="不能审核自己填写的报告"):
        services.approve_report(fund_2025, users["jj_liaison"])
    page = client_for("jj_liaison").get(fund_2025.period.task.get_absolute_url()).content.decode()
    assert f'action="/tasks/reports/{fund_2025.pk}/approve/"' not in page
    services.approve_report(fund_2025, users["yx_liaison"])  # the other side's liaison may
    fund_2025.refresh_from_db()
    assert fund_2025.status == ProgressReport.Status.APPROVED


def test_a_draft_is_its_units_own_until_submitted(demo, users, client_for, api_for):
    draft = ProgressReport.objects.get(status="draft", unit__name="晋江市教育局")
    url = draft.period.task.get_absolute_url()
    assert draft.text in client_for("jj_reporter").get(url).content.decode()
    for other in ("yx_reporter", "yx_liaison", "leader"):
        assert draft.text not in client_for(other).get(url).content.decode(), other
        assert api_for(other).get(f"/api/v1/progress-reports/{draft.pk}/").status_code == 404, other
    services.submit_report(draft, users["jj_reporter"])
    assert draft.text in client_for("yx_liaison").get(url).content.decode()
    assert api_for("yx_liaison").get(f"/api/v1/progress-reports/{draft.pk}/").status_code == 200
