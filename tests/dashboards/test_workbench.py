"""工作台: each role lands on its own day's work; the menu shows only what the role can use."""

from __future__ import annotations

import re

from tasks.models import ProgressReport


def menu(html: str) -> list[str]:
    nav = html[html.index('class="mainnav"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r">([^<>]+)</a>", nav)


def section(html: str, anchor: str) -> str:
    part = html[html.index(f'id="{anchor}"') :]
    return part[: part.index("</section>")]


def test_after_login_each_role_lands_on_its_workbench(demo, client_for):
    assert client_for("yx_reporter").get("/")["Location"] == "/workbench/"
    leader = client_for("leader").get("/workbench/")
    assert leader.status_code == 302 and leader["Location"] == f"/dashboard/pairings/{demo['jy'].pk}/"


def test_a_reporter_sees_his_units_work_returned_reports_and_rounds(demo, client_for):
    page = client_for("yx_reporter").get("/workbench/").content.decode()
    assert "推动教育医疗合作" in section(page, "wb-overdue")
    assert "请补充跟岗学习的时间、人数和现场照片。" in section(page, "wb-returned")
    assert "2025年四季度进展报送" in section(page, "wb-rounds")
    assert "落实帮扶资金" not in page  # another unit's work


def test_a_liaison_sees_reports_to_review_but_not_his_own_and_the_units_in_colour(demo, client_for):
    submitted = ProgressReport.objects.get(status="submitted", unit__name="晋江市财政局")
    page = client_for("yx_liaison").get("/workbench/").content.decode()
    assert submitted.period.task.title in section(page, "wb-review")
    assert 'data-light="red"' in section(page, "wb-units")
    assert "已逾期" in section(page, "wb-money") and "¥12,000,000" in section(page, "wb-money")
    own = client_for("jj_liaison").get("/workbench/").content.decode()  # he wrote it: not his to review
    assert submitted.period.task.title not in section(own, "wb-review")


def test_the_menu_has_my_tasks_and_hides_what_the_role_cannot_use(demo, client_for):
    reporter = menu(client_for("yx_reporter").get("/workbench/").content.decode())
    assert reporter[:2] == ["工作台", "我的任务"] and "年度考核" not in reporter
    assert client_for("yx_reporter").get("/assessment/").status_code in (403, 404)
    assert "年度考核" in menu(client_for("yx_liaison").get("/workbench/").content.decode())


def test_an_ended_pairing_reads_ended_and_opens_on_its_last_year(demo, client_for):
    wenzhou = demo["wz"]
    assert wenzhou.end_year and wenzhou.end_year < 2026
    listed = client_for("wz_liaison").get("/pairings/").content.decode()
    row = listed[listed.index(wenzhou.name) :]
    assert "已结束" in row[: row.index("</tr>")]
    page = client_for("wz_liaison").get(f"/dashboard/pairings/{wenzhou.pk}/").content.decode()
    assert f"{wenzhou.end_year} 年度工作一览" in page
