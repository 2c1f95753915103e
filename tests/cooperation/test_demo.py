"""The demo data holds the facts of the source documents, and loading it twice duplicates nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit, User

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Region, Unit, Pairing, PolicyDocument, Activity, User)]


def test_load_demo_twice_changes_nothing(demo):
    before = counts()
    history_before = Pairing.history.count()
    call_command("load_demo", "--quiet")
    assert counts() == before
    assert Pairing.history.count() == history_before


def test_jinjiang_youxi_pairing_as_in_seed_000(demo):
    jy = demo["jy"]
    assert (jy.coastal_region.name, jy.mountain_region.name) == ("晋江市", "尤溪县")
    assert (jy.coastal_region.code, jy.mountain_region.code) == ("350582", "350426")
    assert jy.coastal_liaison.name == "晋江市农业农村局"
    assert jy.mountain_liaison.short_name == "尤溪县发改局"
    doc = jy.documents.get(doc_number="晋政文〔2024〕102号")
    assert doc.issued.isoformat() == "2024-06-12"
    assert (doc.horizon_start, doc.horizon_end) == (2024, 2030)
    assert "每年4月底前安排山海协作专项资金1200万元" in doc.full_text


def test_the_five_wenzhou_pairings_under_the_city_programme(demo):
    children = Pairing.objects.filter(parent=demo["wz"])
    pairs = {(p.mountain_region.name, p.coastal_region.name) for p in children}
    assert pairs == {
        ("永嘉县", "瓯海区"),
        ("苍南县", "龙湾区"),
        ("文成县", "瑞安市"),
        ("泰顺县", "鹿城区"),
        ("平阳县", "乐清市"),
    }
    assert all(p.documents.filter(doc_number="温政发〔2018〕26号").exists() for p in children)


def test_co_built_parks_of_seed_003_and_the_east_west_pairing(demo):
    assert Pairing.objects.filter(
        name__contains="晋江（长汀）工业园区", mountain_region__name="长汀县"
    ).exists()
    assert Pairing.objects.filter(name__contains="龙海泰宁产业园").exists()
    mn = demo["mn"]
    assert (mn.coastal_region.name, mn.mountain_region.name) == ("福建省", "宁夏回族自治区")
    assert mn.coastal_region.level == mn.mountain_region.level == "province"


def test_demo_accounts_sign_in_with_the_demo_password(demo, client):
    for username in [
        "admin",
        "jj_liaison",
        "yx_liaison",
        "yx_reporter",
        "jj_reporter",
        "wz_liaison",
        "leader",
    ]:
        assert client.login(username=username, password="shanhai-demo"), username
    assert User.objects.get(username="yx_reporter").unit.region.name == "尤溪县"
    assert User.objects.get(username="leader").role == "viewer"
