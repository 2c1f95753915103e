"""Parks pages: the list, a park's plans against completion, projects by stage, the import."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from parks.models import Park, ParkInvestmentPlan, Project

from .conftest import build_workbook, seed_rows

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def test_park_list_shows_the_users_parks_only(client_for, demo):
    page = text(client_for("wz_liaison").get("/parks/"))
    for name in ["永嘉—瓯海生态旅游文化产业园", "文成—瑞安生态旅游文化产业园", "鹿城—泰顺“飞地”总部经济园区"]:
        assert name in page
    assert "晋江—尤溪共建产业园区" not in page
    assert "晋江—尤溪共建产业园区" in text(client_for("leader").get("/parks/"))
    assert "永嘉" not in text(client_for("leader").get("/parks/"))


def test_park_page_shows_attachment_1_figures(client_for, demo):
    park = Park.objects.get(short_name="文成-瑞安")
    page = text(client_for("wz_liaison").get(f"/parks/{park.pk}/"))
    assert 'id="core-area">4.50<' in page or 'id="core-area">4.5<' in page
    row = re.search(r'<tr data-year="2019" data-kind="attracted">(.*?)</tr>', page).group(1)
    assert ">8<" in row and "450,000" in row and "30,000" in row


def test_every_wenzhou_park_page_carries_its_seed_row(client_for, demo):
    client = client_for("wz_liaison")
    for row in seed_rows():
        park = Park.objects.get(short_name=row[1].replace(" ", ""))
        page = text(client.get(f"/parks/{park.pk}/"))
        cells = re.findall(r'class="num planned-total">([^<]*)<', page)
        assert [c.replace(",", "") for c in cells] == [row[4 + 3 * i] for i in range(6)], park.name


def test_the_jinjiang_youxi_park_page_shows_projects_by_stage(client_for, demo):
    park = Park.objects.get(pairing=demo["jy"])
    page = text(client_for("yx_reporter").get(f"/parks/{park.pk}/"))
    assert "投产（1）" in page and "开工（1）" in page
    assert page.index("开工（1）") < page.index("投产（1）")
    # 000 says nothing of counting the park twice (issue 20: that rule is 003's, on its parks)
    assert "双方各按100%计入" not in page and "尤溪经济开发区管委会" in page


def test_another_pairings_park_or_project_is_404(client_for, demo):
    park = Park.objects.get(pairing=demo["jy"])
    project = Project.objects.filter(pairing=demo["jy"]).first()
    assert client_for("wz_liaison").get(f"/parks/{park.pk}/").status_code == 404
    assert client_for("wz_liaison").get(f"/projects/{project.pk}/").status_code == 404


def test_project_list_filters_by_stage_and_search_and_stays_in_scope(client_for, demo):
    client = client_for("jj_liaison")
    page = text(client.get("/projects/", {"stage": "signed"}))
    assert "尤溪特色农产品深加工基地" in page and "尤溪纺织产业数字化车间项目" not in page
    page = text(client.get("/projects/", {"q": "七都"}))
    assert "七都总部经济大楼" not in page  # another pairing's project never shows up
    page = text(client.get("/projects/", {"hematopoietic": "true"}))
    assert "晋江—尤溪跨境电商直播基地" not in page and "晋江鞋服配套产业链延伸项目" in page


def test_pairing_page_has_the_parks_panel(client_for, demo):
    page = text(client_for("leader").get(f"/pairings/{demo['jy'].pk}/"))
    assert 'id="parks"' in page and "晋江—尤溪共建产业园区" in page
    assert "策划 1；签约 1；开工 1；投产 1" in page


def test_pairing_page_counts_the_pairings_own_projects_by_stage_for_each_reader(client_for, demo):
    """The stage counts come with the pairing's own query, unscoped: they must equal what each
    reader may see of that pairing's projects, and nothing of another pairing's."""
    wz_park = Park.objects.filter(pairing=demo["wz"]).first()
    Project.objects.create(name="温州开工项目", pairing=demo["wz"], park=wz_park, stage="started")
    Project.objects.create(name="温州签约项目", pairing=demo["wz"], park=wz_park, stage="signed")
    seen = {}
    for reader in ("admin", "leader", "jj_liaison", "yx_reporter"):
        seen[reader] = re.search(
            r"策划 \d+[^<]*", text(client_for(reader).get(f"/pairings/{demo['jy'].pk}/"))
        )[0]
    visible = dict(
        Project.objects.filter(pairing=demo["jy"]).values_list("stage").annotate(n=Count("pk")).order_by()
    )
    assert visible == {"planning": 1, "signed": 1, "started": 1, "producing": 1}
    assert set(seen.values()) == {"策划 1；签约 1；开工 1；投产 1"}, seen


def test_lists_run_a_constant_number_of_queries(client_for, demo):
    client = client_for("admin")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    jy = demo["jy"]
    park = Park.objects.get(pairing=jy)
    urls = ["/parks/", "/projects/", f"/parks/{park.pk}/", f"/pairings/{jy.pk}/"]
    before = {url: count(url) for url in urls}
    for i in range(15):
        extra = Park.objects.create(name=f"测试园区{i}", pairing=jy, region=park.region)
        ParkInvestmentPlan.objects.create(
            park=extra, year=2025, kind="government", project_count=1, planned_total=1, planned_completion=1
        )
        project = Project.objects.create(name=f"测试项目{i}", pairing=jy, park=park, stage="started")
        project.investments.create(year=2025, amount=100)
    assert {url: count(url) for url in urls} == before


def upload(client, data: bytes, name="附件1.xlsx"):
    return client.post("/parks/import/", {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_import_in_the_browser_previews_then_confirms(client_for, demo, users):
    ParkInvestmentPlan.objects.all().delete()
    client = client_for("wz_liaison")
    preview = upload(client, build_workbook())
    page = text(preview)
    assert "确认导入 30 条计划" in page and not ParkInvestmentPlan.objects.exists()
    token = re.search(r'name="preview_token" value="([^"]+)"', page).group(1)
    done = client.post("/parks/import/", {"preview_token": token, "confirm": "1"})
    assert done.status_code == 302
    assert ParkInvestmentPlan.objects.count() == 30
    assert ParkInvestmentPlan.objects.first().history.get().history_user == users["wz_liaison"]
    # The same preview confirmed again (a second click, the back button) writes nothing new: nothing
    # is kept on the server to forbid it, and every line is there already, unchanged.
    history = ParkInvestmentPlan.history.count()
    again = client.post("/parks/import/", {"preview_token": token, "confirm": "1"}, follow=True)
    assert "新增 0 条，更新 0 条，未变 30 条" in again.content.decode()
    assert ParkInvestmentPlan.objects.count() == 30 and ParkInvestmentPlan.history.count() == history


def test_import_of_a_bad_file_lists_the_errors_and_offers_no_confirm(client_for, demo):
    rows = seed_rows()
    rows[4][8] = "-2448"  # 平阳-乐清 2018 招商 计划完成数
    rows[0][3] = "两个"
    response = upload(client_for("wz_liaison"), build_workbook(rows))
    assert response.status_code == 400
    page = re.sub(r"\s+", " ", response.content.decode())
    assert "发现 2 处错误，未导入任何数据" in page
    assert "工作表“附件1”第 4 行，2018年度政府性投资计划(万元)·项目数：应为数字，实为“两个”" in page
    assert "第 8 行，2018年度招商投资计划(万元)·计划完成数：不能为负数（-2448）" in page
    assert 'name="confirm"' not in page
    not_xlsx = upload(client_for("wz_liaison"), b"PK\x03\x04 not really a zip")
    assert not_xlsx.status_code == 400 and "不是有效的 Excel" in not_xlsx.content.decode()


def test_only_liaison_staff_may_import(client_for, demo):
    assert client_for("yx_reporter").get("/parks/import/").status_code == 403
    assert upload(client_for("leader"), build_workbook()).status_code == 403


def test_liaison_adds_a_project_and_records_its_investment_in_place(client_for, demo, users):
    client = client_for("jj_liaison")
    wz_park = Park.objects.get(short_name="永嘉-瓯海")
    refused = client.post(
        "/projects/new/",
        {"name": "跨结对项目", "pairing": demo["jy"].pk, "park": wz_park.pk, "stage": "planning"},
    )
    assert refused.status_code == 200 and not Project.objects.filter(name="跨结对项目").exists()
    response = client.post(
        "/projects/new/",
        {
            "name": "晋江—尤溪竹木加工合作项目",
            "pairing": demo["jy"].pk,
            "stage": "signed",
            "signed_on": "2026-03-02",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get(name="晋江—尤溪竹木加工合作项目")
    assert project.history.get().history_user == users["jj_liaison"]
    assert (
        client.post(f"/projects/{project.pk}/investments/", {"year": 2026, "amount": "3000000"}).status_code
        == 302
    )
    assert (
        client.post(f"/projects/{project.pk}/investments/", {"year": 2026, "amount": "3500000"}).status_code
        == 302
    )
    investment = project.investments.get()
    assert investment.amount == 3500000 and investment.history.count() == 2
    assert "¥3,500,000" in text(client.get(f"/projects/{project.pk}/"))
    assert (
        client_for("yx_reporter")
        .post(f"/projects/{project.pk}/investments/", {"year": 2026, "amount": "1"})
        .status_code
        == 403
    )
    assert client_for("yx_reporter").get("/projects/new/").status_code == 403


def test_liaison_enters_the_actual_completion_of_a_plan_line(client_for, demo):
    plan = ParkInvestmentPlan.objects.get(park__short_name="苍南-龙湾", year=2018, kind="government")
    url = f"/park-plans/{plan.pk}/edit/"
    data = {
        "project_count": 5,
        "planned_total": "29221",
        "planned_completion": "2850",
        "actual_completion": "3000",
    }
    assert client_for("leader").post(url, data).status_code == 404
    assert client_for("wz_liaison").post(url, {**data, "actual_completion": "-1"}).status_code == 200
    assert client_for("wz_liaison").post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.actual_completion == 3000
    page = text(client_for("wz_liaison").get(f"/parks/{plan.park_id}/"))
    row = re.search(r'<tr data-year="2018" data-kind="government">(.*?)</tr>', page).group(1)
    assert "3,000" in row and "105%" in row
