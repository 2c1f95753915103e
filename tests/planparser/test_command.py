"""The ``parse_plan`` command, its JSON against the plan tree's schema, .docx input and speed."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from planparser import PlanFileError, parse_plan, read_docx_text, to_json
from planparser.schema import PLAN_JSON_SCHEMA

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "seeds"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("parse_plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "seed",
    [
        "000_jinjiang_youxi_plan.txt",
        "001_wenzhou_programme.txt",
        "002_jinjiang_work_report.txt",
        "003_minxinan_plan.txt",
        "004_minning_letter.txt",
    ],
)
def test_json_output_validates_against_the_issue_schema(seed):
    data = json.loads(run(str(SEEDS / seed), "--json"))
    jsonschema.validate(data, PLAN_JSON_SCHEMA)
    assert "attachments" not in data  # exactly the schema's keys unless asked


def test_json_of_wenzhou_carries_the_values_a_preview_needs():
    data = json.loads(run(str(SEEDS / "001_wenzhou_programme.txt"), "--json", "--attachments"))
    jsonschema.validate(data, PLAN_JSON_SCHEMA)
    assert data["document"] == {
        "doc_number": "温政发〔2018〕26号",
        "title": "温州市人民政府关于打造山海协作工程升级版的实施意见",
        "issuers": ["温州市人民政府"],
        "issued": "2018-12-07",
    }
    industry = data["nodes"][1]["children"][0]
    assert {
        "text": "全市每年实现山海协作产业项目到位资金不少于 40 亿元（含 3 年内续建项目）",
        "comparator": ">=",
        "value": 4000000000,
        "unit": "元",
        "yearly": True,
    } in industry["targets"]
    founded = data["nodes"][1]["children"][1]["children"][0]["deadlines"][0]
    assert founded == {
        "text": "2018 年 7 月底前",
        "kind": "once",
        "date": "2018-07-31",
        "month": None,
        "day": None,
    }
    assert [a["number"] for a in data["attachments"]] == ["1", "2"]


def test_schema_rejects_a_malformed_tree():
    data = to_json(parse_plan("一、任务\n（一）做事。每年4月底前完成。"))
    jsonschema.validate(data, PLAN_JSON_SCHEMA)
    data["nodes"][0]["children"][0]["deadlines"][0]["kind"] = "monthly"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, PLAN_JSON_SCHEMA)


def test_readable_tree_shows_units_deadlines_targets_and_counts():
    out = run(str(SEEDS / "000_jinjiang_youxi_plan.txt"))
    assert out.startswith("晋政文〔2024〕102号 晋江市人民政府 尤溪县人民政府关于印发")
    assert "    （四）推进任务落实\n" in out
    assert "期限：每年 4月30日　〔每年4月底前〕" in out
    assert "指标：= 12,000,000 元（每年）" in out
    assert "        1. 推动产业园区合作共建" in out
    assert "共 30 个节点（第1层 3，第2层 10，第3层 17）" in out
    assert out.rstrip().endswith(
        "编号任务 30 个；责任单位 0 个（0 处），角色 0 处；期限 3 个；指标 5 个；往年实绩 0 个；前后不一致 0 处"
    )
    wz = run(str(SEEDS / "001_wenzhou_programme.txt"))
    assert "责任单位：市招商局〈经合办〉、结对县〈市、区〉党委、结对县〈市、区〉政府" in wz
    assert "附件2：打造山海协作工程升级版行动计划责任分解表" in wz


def test_missing_file_is_a_clear_error():
    with pytest.raises(CommandError, match="无法读取文件"):
        run("/nonexistent/plan.txt")


def test_gb18030_text_file_is_read(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("某政发〔2020〕5号\n一、任务\n（一）做事。每年3月底前完成。".encode("gb18030"))
    data = json.loads(run(str(path), "--json"))
    assert data["document"]["doc_number"] == "某政发〔2020〕5号"
    assert data["nodes"][0]["children"][0]["deadlines"][0]["month"] == 3


# --- .docx -------------------------------------------------------------------------------------


def _docx_xml(paragraphs: list[str], table: list[list[str]] | None = None) -> str:
    def para(text: str) -> str:
        runs = "".join(
            f'<w:r><w:t xml:space="preserve">{piece}</w:t></w:r>'
            + ("<w:r><w:tab/></w:r>" if i < text.count("\t") else "")
            for i, piece in enumerate(text.split("\t"))
        )
        return f"<w:p>{runs}</w:p>"

    body = "".join(para(p) for p in paragraphs)
    if table:
        rows = "".join(
            "<w:tr>" + "".join(f"<w:tc>{para(c)}</w:tc>" for c in row) + "</w:tr>" for row in table
        )
        body += f"<w:tbl>{rows}</w:tbl>"
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'


def make_docx(
    document_xml: str, extra: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables_are_read(tmp_path):
    seed = (SEEDS / "000_jinjiang_youxi_plan.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "plan.docx"
    path.write_bytes(make_docx(_docx_xml(seed, table=[["序号", "任务"], ["1", "推进合作"]])))
    data = json.loads(run(str(path), "--json"))
    jsonschema.validate(data, PLAN_JSON_SCHEMA)
    assert data["document"]["doc_number"] == "晋政文〔2024〕102号"
    assert [len(a["children"]) for a in data["nodes"][1]["children"]] == [6, 3, 2, 3, 3]
    text = read_docx_text(path.read_bytes())
    assert text.endswith("序号\t任务\n1\t推进合作")


def test_docx_tabs_inside_paragraphs_are_kept():
    text = read_docx_text(make_docx(_docx_xml(["甲\t乙"])))
    assert text == "甲\t乙"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip at all", "不是有效的 Word"),
        (
            make_docx(_docx_xml(["x"])).replace(b"word/document.xml", b"word/documenx.xml"),
            "缺少 word/document.xml",
        ),
        (make_docx(_docx_xml(["x"]), extra={"../evil.txt": b"x"}), "不安全的路径"),
        (make_docx(_docx_xml(["x"]), extra={"word/media/zeros.bin": b"\0" * 5_000_000}), "压缩炸弹"),
        (make_docx(_docx_xml(["x"]), extra={f"f{i}.xml": b"x" for i in range(600)}), "个条目"),
    ],
)
def test_unsafe_or_broken_docx_is_refused_with_a_chinese_message(data, message):
    with pytest.raises(PlanFileError, match=message):
        read_docx_text(data)


def test_xml_entity_bombs_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>'
    )
    with pytest.raises(PlanFileError, match="无法解析|不安全的实体"):
        read_docx_text(make_docx(bomb))


def test_command_reports_a_bad_docx(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(CommandError, match="docx"):
        run(str(path))


# --- speed -------------------------------------------------------------------------------------


def generated_plan(min_bytes: int = 100_000) -> str:
    """A plan of the genre, repeated until it is at least ``min_bytes`` of UTF-8."""
    parts = [
        "某市人民政府文件",
        "某政发〔2024〕9号",
        "某市人民政府关于印发山海协作实施方案的通知",
        "各县（市、区）人民政府：",
        "现印发。",
    ]
    top = 0
    while len("\n".join(parts).encode("utf-8")) < min_bytes:
        top += 1
        parts.append(f"{'一二三四五六七八九'[top % 9]}、第{top}部分任务")
        for g in range(1, 6):
            parts.append(f"（{'一二三四五'[g - 1]}）推进第{g}组协作。")
            for i in range(1, 7):
                parts.append(
                    f"{i}. 推动第{i}项合作建设。每年4月底前安排专项资金{100 * i}万元，全市每年实现到位资金不少于 {i} 亿元，"
                    f"2026年7月底前完成园区规划，每年召开联席会议不少于{i}次，培训就业{1000 * i}人次，占 {10 + i}%。"
                    "（责任单位：市招商局〈经合办〉、市发改委，结对县〈市、区〉党委、政府）"
                )
                parts.append("")
                parts.append(f"— {i} —")
    parts += ["某市人民政府", "2024年6月12日", "抄送：省发改委。"]
    return "\n".join(parts)


@pytest.mark.serial  # measures wall time
def test_parsing_a_100_kb_plan_takes_well_under_a_second():
    text = generated_plan()
    size = len(text.encode("utf-8"))
    assert size >= 100_000
    start = time.perf_counter()
    tree = parse_plan(text)
    elapsed = time.perf_counter() - start
    print(f"\nparse_plan: {size / 1024:.0f} KB, {sum(tree.level_counts())} nodes in {elapsed * 1000:.0f} ms")
    leaves = [n for n in tree.walk() if n.level == 2]
    assert len(leaves) == 30 * len(tree.nodes)
    assert all(len(n.units) == 4 and len(n.targets) == 5 and len(n.deadlines) == 2 for n in leaves)
    assert elapsed < 5  # generous bound for slow CI machines; the measured figure is printed


def test_letter_with_its_plan_in_an_attachment_prints_the_plan_the_request_and_the_counts():
    out = run(str(SEEDS / "004_minning_letter.txt"))
    assert "方案在附件1中：任务树读自该附件。" in out
    assert "        1. 提升产业质效" in out
    assert "责任单位：两省区农业农村厅、两省区发展改革委、两省区商务厅、两省区农科院" in out
    assert "角色（非单位）：各市、县〔区〕" in out
    assert "请于2024年10月18日前书面反馈我办" in out and "期限：2024-10-18" in out
    assert out.rstrip().endswith(
        "编号任务 18 个；责任单位 27 个（49 处），角色 9 处；期限 0 个；指标 2 个；往年实绩 0 个；前后不一致 0 处"
    )


def test_conflicts_are_printed_with_both_sentences():
    out = run(str(SEEDS / "001_wenzhou_programme.txt"))
    assert "文件前后不一致（期限）：2018 年四季度前 ↔ 2018 年三季度前" in out
    assert "文件前后不一致（数字）：237.7亿元 ↔ 100亿元" in out
    assert "    ① 2020 年 5 个生态旅游文化产业园计划总投资 237.7 亿元" in out
