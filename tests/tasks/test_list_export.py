"""List pages export what they show, with the current filters, to .xlsx (through the safe writer)."""

from __future__ import annotations

import io

import openpyxl


def rows_of(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_the_task_list_exports_every_filtered_row_not_just_the_page(demo, client_for):
    client = client_for("yx_liaison")
    page = client.get("/tasks/", {"q": "资金"}).content.decode()
    assert "导出 Excel" in page and "export=xlsx" in page and "q=%E8%B5%84%E9%87%91" in page
    rows = rows_of(client.get("/tasks/", {"q": "资金", "year": 2025, "export": "xlsx"}))
    assert rows[1][:3] == ("结对", "序号", "任务") and rows[1][7] == "2025 年度状态"
    titles = {row[2] for row in rows[2:]}
    assert "落实帮扶资金：晋江市安排山海协作专项资金1200万元" in titles
    listed = client.get("/tasks/", {"q": "资金", "year": 2025}).content.decode()
    assert all(row[2] in listed for row in rows[2:])  # the same rows as the page shows
    money = next(row for row in rows[2:] if row[2].startswith("落实帮扶资金"))
    assert money[7] == "逾期 20 天完成"
    everything = rows_of(client.get("/tasks/", {"export": "xlsx"}))
    assert len(everything) - 2 > 30  # all pages, not the 30 on screen


def test_the_export_never_leaks_another_pairings_tasks_nor_runs_formulas(demo, client_for):
    from tasks.models import Task

    task = Task.objects.filter(pairing=demo["jy"]).first()
    task.title = '=HYPERLINK("http://x.example","点我")'
    task.save()
    rows = rows_of(client_for("yx_liaison").get("/tasks/", {"export": "xlsx"}))
    assert not {row[0] for row in rows[2:]} - {"晋江市—尤溪县山海协作"}
    cell = next(row[2] for row in rows[2:] if str(row[2]).startswith("=HYPERLINK"))
    assert cell == task.title  # stored and shown as text


def test_an_english_users_export_is_in_english_title_headers_and_printed_footer(demo, client_for):
    client = client_for("yx_liaison")
    for language, title, status, footer in (
        ("en", "Task list", "Status for 2025", "&CPage &P of &N"),
        ("zh-hans", "任务清单", "2025 年度状态", "&C第 &P 页 共 &N 页"),
    ):
        response = client.get("/tasks/", {"year": 2025, "export": "xlsx"}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert str(sheet["A1"].value).startswith(title)
        assert sheet.cell(2, 8).value == status
        assert sheet.oddFooter.center.text == footer.removeprefix("&C")


# The other list pages: funds, fund-use projects, parks, projects, notices, reporting rounds.


def test_the_fund_list_exports_its_filtered_commitments_with_money_in_yuan(demo, client_for):
    client = client_for("yx_liaison")
    page = client.get("/funds/", {"year": 2025}).content.decode()
    assert "导出 Excel" in page and "year=2025" in page and "export=xlsx" in page
    rows = rows_of(client.get("/funds/", {"year": 2025, "export": "xlsx"}))
    assert rows[1][:3] == ("结对", "年度", "用途") and rows[1][5] == "承诺（元）"
    assert [row[:2] for row in rows[2:]] == [("晋江市—尤溪县山海协作", 2025)]
    promised = rows[2][5]
    assert promised == 12_000_000 and isinstance(promised, (int, float))  # a number, not "¥12,000,000"
    assert rows[2][3:5] == ("晋江市", "尤溪县")
    everything = rows_of(client.get("/funds/", {"export": "xlsx"}))
    assert {row[0] for row in everything[2:]} == {"晋江市—尤溪县山海协作"}  # Wenzhou's absent
    assert sorted(row[1] for row in everything[2:]) == [2024, 2025, 2026]


def test_the_use_project_list_exports_the_pairings_projects_only(demo, client_for):
    rows = rows_of(client_for("yx_liaison").get("/funds/use-projects/", {"q": "兜底", "export": "xlsx"}))
    assert rows[1][2] == "项目名称" and rows[1][4] == "计划安排（元）"
    assert {row[2] for row in rows[2:]} == {"低收入群众兜底救助"}
    assert {row[4] for row in rows[2:]} == {1_200_000, 1_500_000}  # numbers in 元
    others = rows_of(client_for("wz_liaison").get("/funds/use-projects/", {"export": "xlsx"}))
    assert "晋江市—尤溪县山海协作" not in {row[0] for row in others[2:]}


def test_the_project_list_exports_investment_in_yuan_within_scope(demo, client_for):
    client = client_for("yx_liaison")
    assert "export=xlsx" in client.get("/projects/").content.decode()
    rows = rows_of(client.get("/projects/", {"q": "数字化车间", "export": "xlsx"}))
    assert [row[0] for row in rows[2:]] == ["尤溪纺织产业数字化车间项目"]
    assert rows[2][6] == 120_000_000
    everything = {row[2] for row in rows_of(client.get("/projects/", {"export": "xlsx"}))[2:]}
    assert everything == {"晋江市—尤溪县山海协作"}  # 七都总部经济大楼 of 鹿城—泰顺 is not his


def test_the_park_list_exports_the_parks_a_user_may_see(demo, client_for):
    client = client_for("wz_liaison")
    assert "export=xlsx" in client.get("/parks/").content.decode()
    rows = rows_of(client.get("/parks/", {"q": "生态旅游", "export": "xlsx"}))
    names = {row[0] for row in rows[2:]}
    assert "平阳—乐清生态旅游文化产业园" in names
    assert all("生态旅游" in name for name in names)
    everything = {row[3] for row in rows_of(client.get("/parks/", {"export": "xlsx"}))[2:]}
    assert everything and "闽宁协作（福建省—宁夏回族自治区）" not in everything


def _notice(pairing, unit, summary, level="urge"):
    import datetime

    from reminders.models import UrgingNotice

    today = datetime.date(2026, 12, 5)
    return UrgingNotice.objects.create(
        item_key=f"test:{summary}",
        due=today,
        unit=unit,
        pairing=pairing,
        summary=summary,
        url="/",
        level=level,
        issued_on=today,
        sign_by=today,
        reply_by=today,
    )


def test_the_notice_list_exports_the_filtered_notices_of_the_users_pairings(demo, client_for):
    from cooperation.models import Unit

    _notice(demo["jy"], Unit.objects.get(name="尤溪县教育局"), "推动教育医疗合作")
    _notice(demo["jy"], Unit.objects.get(name="尤溪县教育局"), "报送跟岗学习人数", level="escalate")
    _notice(
        demo["wz"],
        demo["wz"].units.first() or Unit.objects.exclude(name__startswith="尤溪").first(),
        "温州事项",
    )
    client = client_for("yx_liaison")
    assert "export=xlsx" in client.get("/reminders/notices/", {"level": "urge"}).content.decode()
    rows = rows_of(client.get("/reminders/notices/", {"level": "urge", "export": "xlsx"}))
    assert rows[1][4] == "事项" and [row[4] for row in rows[2:]] == ["推动教育医疗合作"]
    everything = {row[4] for row in rows_of(client.get("/reminders/notices/", {"export": "xlsx"}))[2:]}
    assert everything == {"推动教育医疗合作", "报送跟岗学习人数"}  # not Wenzhou's


def test_the_round_list_exports_the_pairings_rounds(demo, client_for):
    client = client_for("yx_liaison")
    url = f"/pairings/{demo['jy'].pk}/rounds/"
    assert "export=xlsx" in client.get(url).content.decode()
    rows = rows_of(client.get(url, {"export": "xlsx"}))
    assert [row[:2] for row in rows[2:]] == [("2025年四季度进展报送", 2025)]
    assert client_for("wz_liaison").get(url, {"export": "xlsx"}).status_code == 404
