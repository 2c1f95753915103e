"""``manage.py import_tasks FILE --pairing ID [--dry-run] [--json] [--actor NAME]`` and the confirm service.

Seed 001's 附件2 (fixtures/samples/001_附件2_责任分解表.xlsx) goes into the demo's Wenzhou programme.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from fixtures.samples import task_table_001
from tasks.importing.plan import PlanImportRefused, validate_plan_json
from tasks.importing.table import import_table, read_task_table

from .data.task_tables import table
from .test_plan_import import by_number, counts, ordered_units

SAMPLE = str(task_table_001.SAMPLE)
# Names of the table no unit of the demo carries (市招商局（综合办） is the seed's own slip for
# 经合办): proposed as new. 市人社局 and 市卫生计生委 are other spellings of 市人力社保局 and
# 市卫计委: since issue 20 they match those units (人社局 = 人力资源和社会保障局, 卫生计生委 = 卫计委).
NEW_UNITS = {
    "市农办（农业局）",
    "结对县（市、区）党委",
    "结对县（市、区）政府",
    "市招商局（综合办）",
}


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tasks", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def save(buffer, tmp_path, name="表.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_json_prints_the_tree_in_the_schema_and_writes_nothing(demo):
    before = counts()
    out, _err = run(SAMPLE, "--pairing", str(demo["wz"].pk), "--json")
    tree = validate_plan_json(json.loads(out))
    assert set(tree) == {"document", "nodes"}
    assert [len(n["children"]) for n in tree["nodes"]] == [3, 5, 7]
    assert tree["document"]["title"] == "打造山海协作工程升级版行动计划责任分解表"
    assert counts() == before


def test_dry_run_checks_everything_and_writes_nothing(demo):
    before = counts()
    # The benchmark's call: call_command("import_tasks", path, "--pairing", id), id an int.
    out, _err = run(SAMPLE, "--pairing", demo["wz"].pk, "--dry-run")
    assert (
        "检查通过（未写入），将为“温州市山海协作工程升级版”创建任务 18 个（其中任务 3 个、事项 15 个），新增单位 4 个"
        in out
    )
    assert counts() == before


def test_import_creates_the_seed_tree_as_the_system(demo):
    from cooperation.models import PolicyDocument, Unit
    from tasks.models import Task, TaskUnit

    wz = demo["wz"]
    before = set(Task.objects.filter(pairing=wz).values_list("pk", flat=True))
    out, _err = run(SAMPLE, "--pairing", str(wz.pk))
    assert "已为“温州市山海协作工程升级版”创建任务 18 个" in out
    tasks = [t for t in Task.objects.filter(pairing=wz) if t.pk not in before]
    assert len(tasks) == 18
    document = PolicyDocument.objects.get(title="打造山海协作工程升级版行动计划责任分解表")
    assert {t.document_id for t in tasks} == {document.pk} and wz in document.pairings.all()

    plans = by_number(tasks, "2", "3.")
    assert plans.title == "规范编制生态旅游文化产业园发展规划及建设指标"
    assert (plans.deadline_kind, str(plans.deadline_date), plans.deadline_text) == (
        "once",
        "2018-09-30",
        "2018 年三季度前",
    )
    rows = ordered_units(plans)
    assert [(r.role, r.unit.name) for r in rows[:2]] == [
        (TaskUnit.Role.LEAD, "温州市招商局（经合办）"),  # "市招商局（经合办）" matched by its short name
        (TaskUnit.Role.COOPERATING, "温州市发展和改革委员会"),
    ]
    assert {u.name for u in Unit.objects.filter(name__in=NEW_UNITS)} == NEW_UNITS
    first = by_number(tasks, "1", "1.")
    assert [r.unit.name for r in ordered_units(first)][:2] == ["温州市经济和信息化委员会", "市农办（农业局）"]
    money = by_number(tasks, "1", "3.").targets.get(unit="元")
    assert (money.comparator, money.value, money.year) == (">=", 4000000000, None)
    # Written by the system: history rows without a user.
    assert {t.history.earliest().history_user for t in tasks} == {None}


def test_actor_is_named_in_the_history(demo, users):
    from tasks.models import Task

    run(SAMPLE, "--pairing", str(demo["wz"].pk), "--actor", "wz_liaison")
    task = Task.objects.get(
        pairing=demo["wz"], number="2", title="建好山海协作发展新平台", document__title__contains="责任分解表"
    )
    assert task.history.earliest().history_user == users["wz_liaison"]


def test_an_actor_who_is_not_liaison_of_the_pairing_is_refused(demo):
    before = counts()
    with pytest.raises(CommandError, match="只有本结对的联络员可以导入责任分解表"):
        run(SAMPLE, "--pairing", str(demo["wz"].pk), "--actor", "yx_liaison")
    assert counts() == before


def test_one_bad_row_exits_non_zero_with_its_message_and_writes_nothing(demo, tmp_path):
    path = save(
        table(
            [
                ["序号", "任务", "事项", "责任单位", "完成时限"],
                ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委", "2018年7月底前"],
                [None, None, "2. 推动合作项目签约落地。", "市招商局（经合办）", "尽快"],
                [None, None, "3. 全市每年实现到位资金不少于 40 亿元。", None, ""],
            ],
            merges=["A2:A4", "B2:B4"],
        ),
        tmp_path,
    )
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"导入失败，未做任何修改（2 处错误）"):
        call_command("import_tasks", path, "--pairing", str(demo["wz"].pk), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "第 3 行，完成时限：无法识别“尽快”，请写成“2018年7月底前”“2018年三季度前”“每年4月底前”之类，或写“长期坚持”",
        "第 4 行，责任单位：为空。与上一行相同时，请合并单元格或再写一遍",
    ]
    assert counts() == before


def test_the_same_table_twice_is_refused_the_second_time(demo):
    run(SAMPLE, "--pairing", str(demo["wz"].pk))
    before = counts()
    with pytest.raises(CommandError):
        run(SAMPLE, "--pairing", str(demo["wz"].pk))
    assert counts() == before


def test_into_an_existing_document_duplicates_are_refused(demo):
    wz = demo["wz"]
    # The demo already holds 附件2's tasks under 温政发〔2018〕26号 (tasks/demo.py).
    document = wz.documents.get(doc_number="温政发〔2018〕26号")
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_tasks", SAMPLE, "--pairing", str(wz.pk), "--document", str(document.pk), stderr=err
        )
    assert (
        "这些任务已从该文件导入过，未重复创建：1推进产业项目合作、2建好山海协作发展新平台" in err.getvalue()
    )
    assert counts() == before


def test_into_an_existing_document_of_the_pairing(demo):
    from cooperation.models import PolicyDocument
    from tasks.models import Task

    wz = demo["wz"]
    document = PolicyDocument.objects.create(title="2019年山海协作工作要点", kind=PolicyDocument.Kind.PLAN)
    document.pairings.add(wz)
    run(SAMPLE, "--pairing", str(wz.pk), "--document", str(document.pk))
    assert Task.objects.filter(document=document).count() == 18
    with pytest.raises(CommandError):
        run(SAMPLE, "--pairing", str(wz.pk), "--document", str(document.pk))
    assert Task.objects.filter(document=document).count() == 18
    other = PolicyDocument.objects.create(title="别的结对的文件", kind=PolicyDocument.Kind.PLAN)
    with pytest.raises(CommandError, match="不属于该结对"):
        run(SAMPLE, "--pairing", str(wz.pk), "--document", str(other.pk))


@pytest.mark.parametrize(
    "args, message",
    [
        (["/nonexistent/表.xlsx", "--pairing", "1"], "找不到文件"),
        ([SAMPLE, "--pairing", "999999"], "结对不存在：999999"),
        ([SAMPLE, "--pairing", "1", "--actor", "nobody"], "找不到用户：nobody"),
    ],
)
def test_bad_arguments(demo, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_several_lead_units_from_a_lead_column(demo, users, tmp_path):
    from tasks.models import Task, TaskUnit

    buffer = table(
        [
            ["序号", "重点任务", "工作措施", "牵头单位", "配合单位"],
            ["1", "建好山海协作发展新平台", "4. 开展督查调研。", "市招商局（经合办）、市发改委", "市规划局"],
        ],
        title="督查",
    )
    result = read_task_table(buffer)
    assert result.leads == {"0.0": 2}
    import_table(demo["wz"], result.plan, users["wz_liaison"], leads=result.leads)
    task = Task.objects.get(pairing=demo["wz"], title="开展督查调研")
    assert [(r.role, r.unit.name) for r in ordered_units(task)] == [
        (TaskUnit.Role.LEAD, "温州市招商局（经合办）"),
        (TaskUnit.Role.LEAD, "温州市发展和改革委员会"),
        (TaskUnit.Role.COOPERATING, "温州市规划局"),
    ]


def test_the_service_rolls_everything_back_when_writing_fails_halfway(demo, users, monkeypatch):
    from tasks import services

    result = read_task_table(task_table_001.build())
    calls = {"n": 0}
    original = services.new_periods

    # The periods are built after the tasks, their units and targets are inserted.
    def failing(task):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("disk full")
        return original(task)

    monkeypatch.setattr(services, "new_periods", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        import_table(demo["wz"], result.plan, users["wz_liaison"], leads=result.leads, create_units=True)
    assert counts() == before


def test_a_tree_that_breaks_the_schema_is_refused(demo, users):
    result = read_task_table(task_table_001.build())
    result.plan["nodes"][0]["units"] = "市经信委"  # a string, not a list
    with pytest.raises(PlanImportRefused, match="预览数据无效"):
        import_table(demo["wz"], result.plan, users["wz_liaison"])
