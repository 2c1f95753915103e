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
