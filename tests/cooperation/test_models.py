from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cooperation.models import Activity, Pairing, PolicyDocument, Region, Unit

pytestmark = pytest.mark.django_db


def test_region_path_contains_its_subtree_and_follows_a_move():
    fujian = Region.objects.create(name="甲省", level="province", code="910000")
    quanzhou = Region.objects.create(name="乙市", level="city", code="910500", parent=fujian)
    jinjiang = Region.objects.create(name="丙县", level="county", code="910582", parent=quanzhou)
    zhejiang = Region.objects.create(name="丁省", level="province", code="920000")
    assert fujian.contains(jinjiang) and quanzhou.contains(jinjiang)
    assert not zhejiang.contains(jinjiang)

    quanzhou.parent = zhejiang  # a wrong move, then corrected: the subtree follows both times
    quanzhou.save()
    jinjiang.refresh_from_db()
    assert zhejiang.contains(jinjiang) and not fujian.contains(jinjiang)


def test_region_code_must_be_six_digits():
    region = Region(name="某县", level="county", code="35058")
    with pytest.raises(ValidationError) as info:
        region.full_clean()
    assert "code" in info.value.message_dict


def test_two_regions_cannot_share_a_code_but_many_may_have_none():
    Region.objects.create(name="某镇甲", level="township")
    Region.objects.create(name="某镇乙", level="township")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(name="重复", level="county", code="350582")  # 晋江市's code


def test_pairing_is_named_after_its_sides_unless_named():
    a = Region.objects.create(name="晋江市", level="county")
    b = Region.objects.create(name="尤溪县", level="county")
    pairing = Pairing.objects.create(coastal_region=a, mountain_region=b, start_year=2024)
    assert pairing.name == "晋江市—尤溪县"
    assert list(pairing.active_years(until=2026)) == [2024, 2025, 2026]


def test_pairing_cannot_end_before_it_starts():
    a = Region.objects.create(name="甲", level="county")
    b = Region.objects.create(name="乙", level="county")
    with pytest.raises(IntegrityError), transaction.atomic():
        Pairing.objects.create(coastal_region=a, mountain_region=b, start_year=2024, end_year=2020)
    with pytest.raises(ValidationError):
        Pairing(coastal_region=a, mountain_region=b, start_year=2024, end_year=2020).full_clean()


def test_document_lists_its_issuers():
    doc = PolicyDocument(title="t", issuers="晋江市人民政府、尤溪县人民政府")
    assert doc.issuer_list == ["晋江市人民政府", "尤溪县人民政府"]


def test_unit_name_is_unique_within_a_region():
    region = Region.objects.create(name="尤溪县", level="county")
    Unit.objects.create(name="尤溪县发展和改革局", region=region)
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(name="尤溪县发展和改革局", region=region)


# --- Scope: who sees which pairing ---------------------------------------------------------


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_liaison_sees_the_pairings_of_his_region(users, demo):
    assert names(Pairing.objects.visible_to(users["yx_liaison"])) == {"晋江市—尤溪县山海协作"}
    jj = names(Pairing.objects.visible_to(users["jj_liaison"]))
    assert "晋江市—尤溪县山海协作" in jj
    assert "温州市山海协作工程升级版" not in jj


def test_city_liaison_sees_the_programme_and_its_five_pairings(users, demo):
    wz = names(Pairing.objects.visible_to(users["wz_liaison"]))
    assert wz == {
        "温州市山海协作工程升级版",
        "瓯海区—永嘉县",
        "龙湾区—苍南县",
        "瑞安市—文成县",
        "鹿城区—泰顺县",
        "乐清市—平阳县",
    }


def test_user_without_unit_sees_nothing_and_superuser_everything(users, demo):
    assert not Pairing.objects.visible_to(users["outsider"]).exists()
    assert Pairing.objects.visible_to(users["admin"]).count() == Pairing.objects.count()


def test_explicit_participant_unit_sees_the_pairing(users, demo):
    region = Region.objects.create(name="杨浦区", level="county")
    unit = Unit.objects.create(name="上海市杨浦区投资促进办公室", region=region)
    outsider = users["outsider"]
    outsider.unit = unit
    outsider.save()
    assert not Pairing.objects.visible_to(outsider).exists()
    demo["jy"].units.add(unit)
    assert names(Pairing.objects.visible_to(outsider)) == {"晋江市—尤溪县山海协作"}


def test_only_liaison_staff_manage_their_pairings_rows(users, demo):
    activity = Activity.objects.filter(pairing=demo["jy"]).first()
    assert Activity.objects.manageable_by(users["yx_liaison"]).filter(pk=activity.pk).exists()
    for persona in ("yx_reporter", "leader", "wz_liaison", "outsider"):
        assert not Activity.objects.manageable_by(users[persona]).filter(pk=activity.pk).exists(), persona


def test_documents_are_scoped_through_their_pairings(users, demo):
    yx_docs = set(
        PolicyDocument.objects.visible_to(users["yx_reporter"]).values_list("doc_number", flat=True)
    )
    assert "晋政文〔2024〕102号" in yx_docs
    assert "温政发〔2018〕26号" not in yx_docs
    # A document of two visible pairings appears once.
    wz_docs = PolicyDocument.objects.visible_to(users["wz_liaison"])
    assert wz_docs.filter(doc_number="温政发〔2018〕26号").count() == 1
