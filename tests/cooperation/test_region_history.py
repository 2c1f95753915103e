"""A region's history shows where it sat in the tree after each change, not before it."""

from __future__ import annotations

import pytest

from cooperation.models import Region

pytestmark = pytest.mark.django_db


def test_history_of_a_new_and_of_a_moved_region_records_the_new_path(demo):
    fujian = Region.objects.get(code="350000")
    sanming = Region.objects.get(name="三明市")
    quanzhou = Region.objects.get(name="泉州市")
    town = Region.objects.create(name="西城镇", level="township", parent=sanming)
    village = Region.objects.create(name="西城镇某村", level="township", parent=town)
    created = town.history.get()
    assert created.history_type == "+" and created.path == town.path == f"{sanming.path}{town.pk}/"
    assert town.path.startswith(fujian.path)

    town.parent = quanzhou  # filed under the wrong city, then moved
    town.save()
    moved = town.history.latest()
    assert moved.history_type == "~"
    assert moved.path == f"{quanzhou.path}{town.pk}/" and moved.parent_id == quanzhou.pk
    assert Region.objects.get(pk=town.pk).path == moved.path
    village.refresh_from_db()
    assert village.path == f"{quanzhou.path}{town.pk}/{village.pk}/"  # the subtree followed

    town.name = "西城镇（更名）"
    town.save(update_fields=["name"])
    assert town.history.latest().path == moved.path and town.history.count() == 3
