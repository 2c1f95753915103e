"""Every seed document parsed and compared with its gold file (tests/planparser/gold/), written
from the document itself: groups and tasks (number path and title), responsible units per task
(both sides' "两省区…" kept as one name per side), roles, deadlines and targets.

The parser must keep at least 95 % of the numbered tasks and 90 % of the unit links of every
seed; deadlines and targets are compared in full (a target the document does not set is as
wrong as one it misses).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from planparser import parse_plan

ROOT = Path(__file__).resolve().parents[2]
GOLD = Path(__file__).resolve().parent / "gold"
SEEDS = sorted(p.stem for p in GOLD.glob("*.json"))


def _flatten(nodes, path=()):
    for node in nodes:
        here = (*path, node.number)
        yield "/".join(here), node
        yield from _flatten(node.children, here)


def _target(t) -> tuple:
    value = int(t.value) if t.value == t.value.to_integral_value() else float(t.value)
    field = (
        t.text.split("：")[0]
        if "：" in t.text and t.text.split("：")[0] in t.text.split("：", 1)[1]
        else None
    )
    return (t.comparator, value, t.unit, bool(t.yearly), t.year, field)


def _gold_target(t: dict) -> tuple:
    return (t["comparator"], t["value"], t["unit"], bool(t.get("yearly")), t.get("year"), t.get("field"))


def _deadline(d) -> tuple:
    return (d.text, d.kind, d.date.isoformat() if d.date else None, d.month if d.kind == "yearly" else None)


def _gold_deadline(d: dict) -> tuple:
    return (d["text"], d["kind"], d.get("date"), d.get("month"))


@pytest.fixture(scope="module", params=SEEDS)
def seed(request):
    gold = json.loads((GOLD / f"{request.param}.json").read_text(encoding="utf-8"))
    text = (ROOT / "fixtures" / "seeds" / f"{request.param}.txt").read_text(encoding="utf-8")
    return gold, parse_plan(text)


def test_every_seed_has_a_gold_file():
    assert SEEDS == sorted(p.stem for p in (ROOT / "fixtures" / "seeds").glob("*.txt"))


def test_document_record(seed):
    gold, tree = seed
    doc = tree.document
    assert doc.doc_number == gold["document"]["doc_number"]
    assert doc.title == gold["document"]["title"]
    assert doc.issuers == gold["document"]["issuers"]
    assert (doc.issued.isoformat() if doc.issued else None) == gold["document"]["issued"]
    assert tree.plan_attachment == gold["plan_attachment"]


def test_at_least_95_percent_of_numbered_tasks_kept(seed):
    gold, tree = seed
    parsed = {(path, node.title) for path, node in _flatten(tree.nodes)}
    expected = [(n["path"], n["title"]) for n in gold["nodes"]]
    kept = sum(1 for item in expected if item in parsed)
    assert kept / len(expected) >= 0.95, [item for item in expected if item not in parsed]
    assert len(parsed) <= len(expected) * 1.05  # no invented tasks either


def test_at_least_90_percent_of_units_and_no_invented_ones(seed):
    gold, tree = seed
    parsed = dict(_flatten(tree.nodes))
    expected = [(n["path"], u) for n in gold["nodes"] for u in n.get("units", [])]
    found = [(p, u) for p, u in expected if p in parsed and u in parsed[p].units]
    if expected:
        assert len(found) / len(expected) >= 0.90, sorted(set(expected) - set(found))
    invented = [(p, u) for p, n in parsed.items() for u in n.units if (p, u) not in expected]
    assert len(invented) <= len(expected) * 0.10, invented
    roles = [(n["path"], r) for n in gold["nodes"] for r in n.get("roles", [])]
    assert [(p, r) for p, n in parsed.items() for r in n.roles] == roles


def test_deadlines_and_targets_as_the_document_sets_them(seed):
    gold, tree = seed
    parsed = dict(_flatten(tree.nodes))
    for entry in gold["nodes"]:
        node = parsed[entry["path"]]
        assert [_deadline(d) for d in node.deadlines] == [
            _gold_deadline(d) for d in entry.get("deadlines", [])
        ], entry["path"]
        assert [_target(t) for t in node.targets] == [_gold_target(t) for t in entry.get("targets", [])], (
            entry["path"]
        )


def test_notice_items_and_conflicts(seed):
    gold, tree = seed
    assert [(n.title, [_deadline(d) for d in n.deadlines]) for n in tree.notice_items] == [
        (n["title"], [_gold_deadline(d) for d in n["deadlines"]]) for n in gold["notice_items"]
    ]
    assert [(c.kind, [c.first_value, c.second_value]) for c in tree.conflicts] == [
        (c["kind"], c["values"]) for c in gold["conflicts"]
    ]


# --- what the issue found wrong, stated directly ---------------------------------------------


def test_minning_letter_is_read_from_its_attachment_with_units_of_both_provinces():
    tree = parse_plan((ROOT / "fixtures" / "seeds" / "004_minning_letter.txt").read_text(encoding="utf-8"))
    assert tree.plan_attachment == "1"
    assert tree.document.issued == date(2024, 10, 14)
    tasks = [n for n in tree.walk() if n.number.endswith(".")]
    assert len(tasks) == 11
    groups = [n for n in tree.walk() if n.number.startswith("（")]
    assert len(groups) == 4
    names = {u for n in tree.walk() for u in n.units}
    assert not names & {"各市", "县〔区〕", "两省区农业农村厅、发展改革委"}
    assert "两省宁东管委会" not in names and "宁东管委会" in names
    # the letter's own request is not a task of the plan but a one-off item with its date
    [request] = tree.notice_items
    assert request.deadlines[0].date == date(2024, 10, 18)
    assert not any("反馈" in n.title for n in tree.walk())


def test_work_report_results_of_the_past_year_are_facts_not_targets():
    tree = parse_plan(
        (ROOT / "fixtures" / "seeds" / "002_jinjiang_work_report.txt").read_text(encoding="utf-8")
    )
    review = tree.nodes[0]
    assert review.title == "2024年工作回顾"
    assert all(not n.targets for n in review.walk())
    assert any(
        f.value == Decimal("-27.2") and f.unit == "%" for f in review.facts
    )  # "刑事案件下降 27.2%" keeps its sign
    texts = [t.text for n in tree.walk() for t in n.targets]
    assert not any("二十大" in t or "一件事" in t or "八项规定" in t for t in texts)
    [gdp] = [t for t in tree.nodes[1].targets if "地区生产总值" in t.text]
    assert (gdp.comparator, gdp.value, gdp.year) == ("≈", 6, 2025)
