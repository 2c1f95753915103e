"""Reading responsibility tables (tasks/importing/table.py): header, merges, units, deadlines, targets.

Each rule with a short table of its own; then seed 001's 附件2 laid out as Excel, and a generated
5,000-row table against the clock. Nothing here touches the database except the seed test's schema
check.
"""

from __future__ import annotations

import time

import pytest

from fixtures.samples import task_table_001, task_table_large
from tasks.importing.plan import validate_plan_json
from tasks.importing.table import read_task_table

from .data.task_tables import table

HEADER = ["序号", "任务", "事项", "责任单位", "完成时限"]


def read(rows, **kwargs):
    return read_task_table(table(rows, **kwargs))


def titles(result) -> list:
    return [
        (n["number"], n["title"], [(c["number"], c["title"]) for c in n["children"]])
        for n in result.plan["nodes"]
    ]


# --- the header ---------------------------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_and_name_the_document():
    result = read(
        [
            ["附件2"],
            ["打造山海协作工程升级版行动计划责任分解表"],
            [],
            HEADER,
            [1, "推进产业项目合作", "1. 围绕提升 5 县特色产业竞争力。", "市经信委", "2018年7月底前"],
        ]
    )
    assert result.ok, result.errors
    assert result.header_line == 4
    assert result.plan["document"]["title"] == "打造山海协作工程升级版行动计划责任分解表"
    assert titles(result) == [("1", "推进产业项目合作", [("1.", "围绕提升 5 县特色产业竞争力")])]


@pytest.mark.parametrize(
    "header",
    [
        ["序 号", "重点任务", "具体事项", "牵头单位", "时间节点"],
        ["序号", "工作任务", "工作措施", "责任单位", "完成时间"],
        ["编号", "任务", "主要内容", "责任\n单位", "完成时限（年月）"],
    ],
)
def test_header_synonyms_spaces_line_breaks_and_notes(header):
    result = read(
        [
            header,
            [
                "1",
                "建好山海协作发展新平台",
                "2. 建立产业园管理运营机制。",
                "市招商局（经合办）",
                "2018年7月底前",
            ],
        ]
    )
    assert result.ok, result.errors
    item = result.plan["nodes"][0]["children"][0]
    assert item["units"] == ["市招商局（经合办）"]
    assert item["deadlines"][0]["date"] == "2018-07-31"


def test_a_header_below_the_tenth_row_is_not_looked_for():
    rows = [[f"说明第 {i} 行"] for i in range(1, 11)] + [HEADER, ["1", "任务", "事项。", "市教育局", ""]]
    result = read(rows)
    assert not result.ok
    assert "在前 10 行中没有找到表头" in result.errors[0]


def test_the_first_sheet_with_a_header_is_read():
    result = read(
        [HEADER, ["1", "促进群众增收和社会事业合作", "6. 加大医疗支持力度。", "市卫计委", ""]],
        extra_sheets=[("填写说明", [["请按第二个工作表填写"]])],
    )
    assert result.ok and result.sheet == "责任分解表"


def test_two_row_header_with_lead_and_cooperating_columns():
    result = read(
        [
            ["序号", "任务", "事项", "责任单位", None, "完成时限"],
            [None, None, None, "牵头单位", "配合单位", None],
            [
                "1",
                "建好山海协作发展新平台",
                "3. 规范编制生态旅游文化产业园发展规划及建设指标。",
                "市招商局（经合办）、市发改委",
                "市国土资源局、市规划局",
                "2018年三季度前",
            ],
        ],
        merges=["D1:E1", "A1:A2", "B1:B2", "C1:C2", "F1:F2"],
    )
    assert result.ok, result.errors
    item = result.plan["nodes"][0]["children"][0]
    assert item["units"] == ["市招商局（经合办）", "市发改委", "市国土资源局", "市规划局"]
    assert result.leads == {"0.0": 2}  # two 牵头 units lead, two 配合 units co-operate
    assert item["deadlines"][0]["date"] == "2018-09-30"


# --- merged cells, continuation ----------------------------------------------------------------


def test_merged_task_and_unit_cells_are_filled_down():
    result = read(
        [
            HEADER[:4],
            ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委、市农办（农业局）"],
            [None, None, "2. 推动合作项目签约落地。", None],
            [None, None, "3. 全市每年实现山海协作产业项目到位资金不少于 40 亿元。", "市招商局（经合办）"],
        ],
        merges=["A2:A4", "B2:B4", "D2:D3"],
    )
    assert result.ok, result.errors
    items = result.plan["nodes"][0]["children"]
    assert [i["units"] for i in items] == [
        ["市经信委", "市农办（农业局）"],
        ["市经信委", "市农办（农业局）"],
        ["市招商局（经合办）"],
    ]
    assert result.lines == {"0": 2, "0.0": 2, "0.1": 3, "0.2": 4}


def test_a_blank_unit_cell_outside_a_merged_range_is_an_error_of_its_row():
    result = read(
        [
            HEADER[:4],
            ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委"],
            [None, None, "2. 推动合作项目签约落地。", None],
        ],
        merges=["A2:A3", "B2:B3"],
    )
    assert result.errors == ["第 3 行，责任单位：为空。与上一行相同时，请合并单元格或再写一遍"]


def test_a_repeated_header_and_a_repeated_task_continue_the_table():
    result = read(
        [
            HEADER[:4],
            ["3", "促进群众增收和社会事业合作", "4. 开展社会事业合作。", "市教育局"],
            HEADER[:4],
            ["3", "促进群众增收和社会事业合作", "5. 加大教育支持力度。", "市教育局"],
        ]
    )
    assert result.ok, result.errors
    assert titles(result) == [
        ("3", "促进群众增收和社会事业合作", [("4.", "开展社会事业合作"), ("5.", "加大教育支持力度")])
    ]


def test_a_numero_per_row_under_a_merged_task_numbers_the_items():
    result = read(
        [
            HEADER[:4],
            ["1", "推进产业项目合作", "强化新兴产业培育。", "市经信委"],
            ["2", None, "推动合作项目签约落地。", "市招商局（经合办）"],
            ["3", "建好山海协作发展新平台", "推进产业园建设。", "市招商局（经合办）"],
            ["4", None, "建立产业园管理运营机制。", "市招商局（经合办）"],
        ],
        merges=["B2:B3"],
    )
    assert result.ok, result.errors
    # Row 3 continues the merged task whatever its 序号; row 5's blank 任务 continues task 3.
    # Items without a number of their own are numbered in order within their task.
    assert titles(result) == [
        ("1", "推进产业项目合作", [("1.", "强化新兴产业培育"), ("2.", "推动合作项目签约落地")]),
        ("3", "建好山海协作发展新平台", [("1.", "推进产业园建设"), ("2.", "建立产业园管理运营机制")]),
    ]


def test_a_row_with_only_a_new_number_is_an_error():
    result = read(
        [HEADER[:4], ["1", "推进产业项目合作", "1. 强化培育。", "市经信委"], ["2", None, None, "市经信委"]]
    )
    assert result.errors == ["第 3 行，任务：为空：序号 2 的任务没有名称"]


def test_a_task_row_without_items_takes_the_units_of_its_row():
    result = read(
        [
            HEADER[:4],
            ["1", "推进产业项目合作", None, "市经信委"],
            ["2", "建好山海协作发展新平台", "1. 推进 5 个生态旅游文化产业园建设。", "市招商局（经合办）"],
        ]
    )
    assert result.ok, result.errors
    first, second = result.plan["nodes"]
    assert (first["units"], first["children"]) == (["市经信委"], [])
    assert second["units"] == [] and second["children"][0]["units"] == ["市招商局（经合办）"]


def test_a_task_row_with_neither_items_nor_units_is_an_error():
    result = read(
        [HEADER[:4], ["1", "推进产业项目合作", None, None], ["2", "建好平台", "1. 建设园区。", "市招商局"]]
    )
    assert result.errors == [
        "第 2 行，事项：为空：任务“推进产业项目合作”下面没有事项，这一行也没有写责任单位"
    ]


def test_a_table_without_items_gives_one_task_per_row_and_without_tasks_a_flat_list():
    by_task = read(
        [
            ["序号", "重点任务", "牵头单位"],
            ["1", "推进产业项目合作", "市经信委"],
            ["2", "建好平台", "市招商局"],
        ]
    )
    assert titles(by_task) == [("1", "推进产业项目合作", []), ("2", "建好平台", [])]
    assert [n["units"] for n in by_task.plan["nodes"]] == [["市经信委"], ["市招商局"]]
    by_item = read(
        [["具体事项", "责任单位"], ["开展督查调研。", "市招商局"], ["加大医疗支持力度。", "市卫计委"]]
    )
    assert titles(by_item) == [("1.", "开展督查调研", []), ("2.", "加大医疗支持力度", [])]


# --- units --------------------------------------------------------------------------------------


def test_unit_cells_are_split_like_the_plan_parser_does():
    result = read(
        [
            HEADER[:4],
            [
                "1",
                "推进产业项目合作",
                "1. 强化新兴产业培育。",
                "市经信委，市农办（农业局）、结对县（市、区）党委和政府",
            ],
        ]
    )
    assert result.plan["nodes"][0]["children"][0]["units"] == [
        "市经信委",
        "市农办（农业局）",
        "结对县（市、区）党委",
        "结对县（市、区）政府",
    ]
    assert result.leads == {}  # the first named leads


def test_line_breaks_in_a_unit_cell_separate_units():
    result = read(
        [HEADER[:4], ["1", "推进产业项目合作", "1. 强化新兴产业培育。", "市经信委\n市农办（农业局）\n"]]
    )
    assert result.plan["nodes"][0]["children"][0]["units"] == ["市经信委", "市农办（农业局）"]


def test_cooperating_units_without_a_lead_are_refused():
    result = read(
        [["任务", "事项", "牵头单位", "配合单位"], ["推进产业项目合作", "1. 强化培育。", None, "市经信委"]]
    )
    assert result.errors == ["第 2 行，牵头单位：为空：有配合单位时须写明牵头单位"]


# --- deadlines and targets ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("2018年7月底前", {"kind": "once", "date": "2018-07-31"}),
        ("2018 年三季度前", {"kind": "once", "date": "2018-09-30"}),
        ("每年4月底前", {"kind": "yearly", "month": 4, "day": 30}),
        ("每年", {"kind": "yearly", "month": 12, "day": 31}),
        ("2020年前", {"kind": "once", "date": "2020-12-31"}),
    ],
)
def test_deadline_cells_follow_the_plan_parsers_rules(cell, expected):
    result = read([HEADER, ["1", "建好平台", "2. 建立产业园管理运营机制。", "市招商局", cell]])
    assert result.ok, result.errors
    deadline = result.plan["nodes"][0]["children"][0]["deadlines"][0]
    assert {k: deadline[k] for k in expected} == expected
    assert deadline["text"] == cell.strip()


def test_an_excel_date_is_a_one_off_deadline():
    import datetime

    result = read([HEADER, ["1", "建好平台", "2. 组建管委会。", "市招商局", datetime.datetime(2018, 7, 31)]])
    deadline = result.plan["nodes"][0]["children"][0]["deadlines"][0]
    assert (deadline["kind"], deadline["date"], deadline["text"]) == ("once", "2018-07-31", "2018年7月31日前")


def test_continuing_work_has_no_deadline_and_keeps_its_words():
    result = read([HEADER, ["1", "建好平台", "4. 开展督查调研。", "市招商局", "长期坚持"]])
    item = result.plan["nodes"][0]["children"][0]
    assert item["deadlines"] == [] and "完成时限：长期坚持" in item["body"]


@pytest.mark.parametrize(
    "cell, message",
    [
        ("尽快", "第 2 行，完成时限：无法识别“尽快”"),
        ("6月底前", "第 2 行，完成时限：“6月底前”没有写明年份"),
    ],
)
def test_an_unreadable_deadline_cell_is_an_error_of_its_row(cell, message):
    result = read([HEADER, ["1", "建好平台", "2. 组建管委会。", "市招商局", cell]])
    assert len(result.errors) == 1 and result.errors[0].startswith(message)


def test_without_a_deadline_column_the_item_text_gives_deadlines_and_targets():
    result = read(
        [
            HEADER[:4],
            [
                "2",
                "建好山海协作发展新平台",
                "2. 建立产业园管理运营机制。2018 年 7 月底前，组建五个生态旅游文化产业园管委会，"
                "成立投资开发公司，首期注册资金不少 2 亿元。",
                "市招商局（经合办）",
            ],
            [None, None, "6. 全市每年实现培训就业（含转移）6000 人次，6月底前报送名单。", "市人社局"],
        ],
        merges=["A2:A3", "B2:B3"],
    )
    first, second = result.plan["nodes"][0]["children"]
    assert first["deadlines"][0]["date"] == "2018-07-31"
    assert [(t["comparator"], t["value"], t["unit"]) for t in first["targets"]] == [(">=", 200000000, "元")]
    assert second["targets"][0]["yearly"] is True and second["deadlines"] == []
    # A deadline in the text without a year is left out, with a warning (not an error).
    assert result.ok and result.warnings == [
        "第 3 行，事项：“6月底前”没有年份，未作为期限；需要时请在完成时限列写明。"
    ]


# --- cell types -----------------------------------------------------------------------------------


def test_formula_cells_in_read_columns_are_refused_not_evaluated():
    result = read(
        [
            HEADER[:4],
            ["1", "建好平台", "placeholder", "市招商局"],
            ["2", "推进合作", "1. 强化培育。", "市经信委"],
        ],
        formulas={"C2": '=CONCATENATE("1. ","组建管委会")', "F3": "=1+1"},
    )
    assert result.errors == [
        '第 2 行，事项：单元格是公式（=CONCATENATE("1. ","组建管委会")）。导入不计算公式，也不读取其缓存结果，'
        "请把它改为文字后重新上传"
    ]  # F3 is in no column the import reads: ignored


def test_text_that_starts_with_an_equals_sign_but_is_stored_as_text_is_read_as_text():
    from openpyxl import load_workbook

    buffer = table([HEADER[:4], ["1", "建好平台", "placeholder", "市招商局"]])
    workbook = load_workbook(buffer)
    cell = workbook.active["C2"]
    cell.value, cell.data_type, cell.quotePrefix = "=开展督查调研。", "s", True  # typed as '=… in Excel
    buffer.seek(0)
    buffer.truncate()
    workbook.save(buffer)
    buffer.seek(0)
    result = read_task_table(buffer)
    assert result.ok, result.errors
    assert result.plan["nodes"][0]["children"][0]["title"] == "=开展督查调研"


def test_error_values_are_refused():
    from openpyxl import load_workbook

    buffer = table([HEADER[:4], ["1", "建好平台", "1. 建设园区。", "市招商局"]])
    workbook = load_workbook(buffer)
    workbook.active["D2"].value = "#REF!"
    workbook.active["D2"].data_type = "e"
    buffer.seek(0)
    buffer.truncate()
    workbook.save(buffer)
    buffer.seek(0)
    result = read_task_table(buffer)
    assert result.errors == ["第 2 行，责任单位：单元格是错误值 #REF!，请改正"]


def test_streaming_and_normal_mode_read_the_same(monkeypatch):
    import tasks.importing.table as module

    streamed = read_task_table(task_table_001.build())
    monkeypatch.setattr(module, "_can_stream", lambda: False)
    full = read_task_table(task_table_001.build())
    assert streamed.plan == full.plan and streamed.lines == full.lines and streamed.ok


# --- seed 001 附件2 ----------------------------------------------------------------------------

SEED_UNITS = {
    "1": [
        "市经信委",
        "市农办（农业局）",
        "市招商局（经合办）",
        "结对县（市、区）党委",
        "结对县（市、区）政府",
    ],
    "2a": ["结对县（市、区）党委", "结对县（市、区）政府"],
    "2b": [
        "市招商局（经合办）",
        "市发改委",
        "市国土资源局",
        "市规划局",
        "市文广新局",
        "市旅游局",
        "结对县（市、区）党委",
        "结对县（市、区）政府",
    ],
    "3a": [
        "市农办",
        "市发改委",
        "市旅游局",
        "市招商局（经合办）",
        "结对县（市、区）党委",
        "结对县（市、区）政府",
    ],
}


def test_seed_001_annex_2_as_excel_gives_its_3_tasks_15_items_and_units(db):
    result = read_task_table(task_table_001.build())
    assert result.ok and result.warnings == [], result.errors
    validate_plan_json(result.plan)
    assert result.plan["document"]["title"] == "打造山海协作工程升级版行动计划责任分解表"
    tasks = result.plan["nodes"]
    # The seed's table lists 3 + 5 + 7 事项 (task 3 continues on the next page under a repeated
    # header and a repeated "3 促进群众增收和社会事业合作" row).
    assert [(t["number"], t["title"], len(t["children"])) for t in tasks] == [
        ("1", "推进产业项目合作", 3),
        ("2", "建好山海协作发展新平台", 5),
        ("3", "促进群众增收和社会事业合作", 7),
    ]
    assert result.task_count == 3 and result.item_count == 15
    units = [[c["units"] for c in t["children"]] for t in tasks]
    assert units[0] == [SEED_UNITS["1"]] * 3
    assert units[1] == [SEED_UNITS["2a"]] * 2 + [SEED_UNITS["2b"]] * 3
    assert units[2] == [
        SEED_UNITS["3a"],
        SEED_UNITS["3a"],
        ["市财政局", "市人社局", "市招商局（经合办）", "结对县（市、区）党委", "结对县（市、区）政府"],
        ["市教育局", "市财政局", "市人社局", "市卫生计生委", "结对县（市、区）党委", "结对县（市、区）政府"],
        ["市教育局", "结对县（市、区）党委", "结对县（市、区）政府"],
        ["市卫计委", "结对县（市、区）党委", "结对县（市、区）政府"],
        ["市农业局", "市商务局", "市招商局（综合办）", "结对县（市、区）党委", "结对县（市、区）政府"],
    ]
    assert all(t["units"] == [] for t in tasks)  # a task's units are its items'
    platform = tasks[1]["children"]
    assert [c["title"] for c in platform][:3] == [
        "围绕协作平台建设，重点推进 5 个生态旅游文化产业园建设，推动共建园区和“飞地”总部经济园区建设",
        "建立产业园管理运营机制",
        "规范编制生态旅游文化产业园发展规划及建设指标",
    ]
    assert [(d["text"], d["date"]) for d in platform[1]["deadlines"]] == [("2018 年 7 月底前", "2018-07-31")]
    assert [(d["text"], d["date"]) for d in platform[2]["deadlines"]] == [("2018 年三季度前", "2018-09-30")]
    money = tasks[0]["children"][2]["targets"][0]
    assert (money["comparator"], money["value"], money["unit"], money["yearly"]) == (
        ">=",
        4000000000,
        "元",
        True,
    )
    training = tasks[2]["children"][2]["targets"][0]
    assert (training["value"], training["unit"], training["yearly"]) == (6000, "人次", True)


def test_the_shipped_sample_is_the_generated_workbook():
    from openpyxl import load_workbook

    shipped = load_workbook(task_table_001.SAMPLE)
    built = load_workbook(task_table_001.build())
    assert [list(r) for r in shipped.active.values] == [list(r) for r in built.active.values]
    assert {str(r) for r in shipped.active.merged_cells.ranges} == {
        str(r) for r in built.active.merged_cells.ranges
    }


# --- size ---------------------------------------------------------------------------------------


def test_a_generated_5000_row_table_is_read_in_a_few_seconds(tmp_path):
    path = task_table_large.build(5000, tmp_path / "5000.xlsx")
    started = time.process_time()
    with path.open("rb") as handle:
        result = read_task_table(handle)
    cpu = time.process_time() - started
    assert result.ok, result.errors[:3]
    assert result.item_count == 5000 and result.task_count == 1001
    # CPU time, not wall time: other processes share this machine. Measured ≈ 3 s on 2 slow cores.
    assert cpu < 15, cpu
