"""The responsibility-table import writes in bulk: its query count does not grow with the table.

A table of 10 items and one of 60 (the same units, deadlines and a new unit in both) are confirmed
into the demo's Wenzhou programme; both imports run the same number of queries, and every row
written (tasks, their units, targets, periods) has its history row naming the liaison officer.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tasks.importing.table import import_table, read_task_table

from .data.task_tables import table

# 完成时限 of 温政发〔2018〕26号's 附件2: yearly, one-off, and continuing work (no period due date).
DEADLINES = ["每年4月底前", "2019年6月底前", "长期坚持", "2018年三季度前"]
# Units of the table: known to the demo (short names), several per row, and one it does not know
# (seed 001's own names that no demo unit carries: each import creates one).
UNITS = ["市经信委", "市招商局（经合办）、市发改委", "{new}", "市发改委、市经信委"]
NEW_UNIT = {"甲": "市农办（农业局）", "乙": "市招商局（综合办）", "丙": "市农办（农业局）"}


def rows(n: int, group: str) -> list[list]:
    """A 附件2-style table of ``n`` items in tasks of five items each."""
    found = [["序号", "任务", "事项", "责任单位", "完成时限"]]
    for i in range(n):
        found.append(
            [
                str(i // 5 + 1),
                f"{group}重点任务{i // 5 + 1}：推进产业项目合作",
                f"{i % 5 + 1}. 第{i + 1}项：强化新兴产业培育，全市每年实现到位资金不少于 {i + 1} 亿元。",
                UNITS[i % len(UNITS)].format(new=NEW_UNIT[group]),
                DEADLINES[i % len(DEADLINES)],
            ]
        )
    return found


def confirm(pairing, user, n: int, group: str):
    from cooperation.models import Pairing

    # As the import's page and command read it.
    pairing = Pairing.objects.select_related("coastal_region", "mountain_region").get(pk=pairing.pk)
    parsed = read_task_table(table(rows(n, group), name=f"{group}责任分解表.xlsx"))
    assert parsed.ok, parsed.errors
    with CaptureQueriesContext(connection) as queries:
        result = import_table(
            pairing,
            parsed.plan,
            user,
            leads=parsed.leads,
            new_document={"title": f"{group}责任分解表"},
            unit_regions={NEW_UNIT[group]: pairing.coastal_region_id},
        )
    return result, len(queries)


@pytest.mark.django_db
def test_the_import_runs_as_many_queries_for_60_items_as_for_10(demo, users):
    from tasks.models import TaskPeriod

    wz, liaison = demo["wz"], users["wz_liaison"]
    small, small_queries = confirm(wz, liaison, 10, "甲")
    large, large_queries = confirm(wz, liaison, 60, "乙")

    assert (len(small.tasks), len(large.tasks)) == (2 + 10, 12 + 60)
    assert small_queries == large_queries, (small_queries, large_queries)
    # Everything was written: each item has its units, its target and its periods.
    item = next(t for t in large.tasks if t.title.startswith("第60项"))
    assert [(u.role, u.unit.name) for u in item.task_units.order_by("role", "order")] == [
        ("cooperating", "温州市经济和信息化委员会"),
        ("lead", "温州市发展和改革委员会"),
    ]
    assert item.targets.get().value == 60 * 100000000
    assert TaskPeriod.objects.filter(task__in=large.tasks).count() > len(large.tasks)


@pytest.mark.django_db
def test_every_row_the_import_writes_has_its_history_naming_the_officer(demo, users):
    from tasks.models import Target, Task, TaskPeriod, TaskUnit

    wz, liaison = demo["wz"], users["wz_liaison"]
    result, _queries = confirm(wz, liaison, 12, "丙")
    ids = [t.pk for t in result.tasks]
    for model, rows_of in (
        (Task, {"id__in": ids}),
        (TaskUnit, {"task_id__in": ids}),
        (Target, {"task_id__in": ids}),
        (TaskPeriod, {"task_id__in": ids}),
    ):
        written = set(model.objects.filter(**rows_of).values_list("pk", flat=True))
        history = model.history.filter(**rows_of)
        assert written and set(history.values_list("id", flat=True)) == written, model
        assert {(h.history_type, h.history_user_id) for h in history} == {("+", liaison.pk)}, model
    # A child's history row names its parent, as the task itself does.
    child = next(t for t in result.tasks if t.parent_id)
    assert child.history.get().parent_id == child.parent_id
    (unit,) = result.units_created
    assert unit.history.get().history_user == liaison


@pytest.mark.django_db
def test_the_preview_and_confirm_pages_run_as_many_queries_for_60_items_as_for_10(client_for, demo):
    """The preview is built from the table in memory (units matched in one read of the sides' units)
    and the confirm writes in bulk: neither page runs a query per row."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_task_import_pages import confirm_data, url

    wz = demo["wz"]
    client = client_for("wz_liaison")
    client.get(url("upload", wz))  # the session and the user, read once before counting

    def through_pages(n: int, group: str) -> tuple[int, int]:
        workbook = table(rows(n, group), name=f"{group}责任分解表.xlsx").getvalue()
        upload = SimpleUploadedFile(f"{group}责任分解表.xlsx", workbook)
        with CaptureQueriesContext(connection) as previewed:
            shown = client.post(url("upload", wz), {"file": upload})
        assert shown.status_code == 200 and f"{group}重点任务1" in shown.content.decode()
        with CaptureQueriesContext(connection) as confirmed:
            done = client.post(url("confirm", wz), confirm_data(shown))
        assert done.status_code == 302, done.content.decode()[-2000:]
        return len(previewed), len(confirmed)

    small = through_pages(10, "甲")
    large = through_pages(60, "乙")
    assert small == large, (small, large)
