"""The pairings a unit sees are kept in the cache, and a change of who takes part shows at once.

Transactional tests with the cache on (the rest of the suite reads the scope live): the writes
commit as in production and change the scope's version token (core/freshness.py).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached_scope(settings):
    settings.FIGURES_CACHE = True


def test_a_unit_added_to_a_pairing_sees_it_at_once_and_loses_it_at_once(
    cached_scope, demo, client_for, users
):
    reporter, wenzhou = users["yx_reporter"], demo["wz"]
    client = client_for("yx_reporter")
    url = f"/pairings/{wenzhou.pk}/"
    own = f"/pairings/{demo['jy'].pk}/"
    assert client.get(own).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404  # from the cache, still refused

    wenzhou.units.add(reporter.unit)
    assert client.get(url).status_code == 200

    wenzhou.units.remove(reporter.unit)
    assert client.get(url).status_code == 404
    assert client.get(own).status_code == 200


def test_a_unit_moved_to_another_region_loses_the_pairings_of_the_old_one(
    cached_scope, demo, client_for, users
):
    from cooperation.models import Region

    reporter = users["yx_reporter"]
    client = client_for("yx_reporter")
    own = f"/pairings/{demo['jy'].pk}/"
    assert client.get(own).status_code == 200
    unit = reporter.unit
    elsewhere = Region.objects.exclude(path__startswith=unit.region.path).exclude(
        pk__in=[demo["jy"].coastal_region_id, demo["jy"].mountain_region_id]
    )
    # A region that contains neither side of Jinjiang–Youxi, nor is inside the unit's region.
    target = next(
        r
        for r in elsewhere.order_by("-level", "pk")
        if not demo["jy"].mountain_region.path.startswith(r.path)
        and not demo["jy"].coastal_region.path.startswith(r.path)
    )
    # The reporter sees the pairing through his unit's region only (not named on the pairing itself):
    # what moving the unit must take away.
    assert not unit.pairings.filter(pk=demo["jy"].pk).exists()
    assert unit.pk not in (demo["jy"].coastal_liaison_id, demo["jy"].mountain_liaison_id)
    unit.region = target
    unit.save()
    assert client.get(own).status_code == 404
