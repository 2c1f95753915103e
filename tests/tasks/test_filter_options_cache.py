"""The task list's unit and area options are kept in the cache; a renamed unit or area shows at once.

Transactional tests with the cache on (the rest of the suite reads the options live).
"""

from __future__ import annotations

import pytest

from tasks.models import Area

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cached_options(settings):
    settings.FIGURES_CACHE = True


def options(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def test_a_renamed_unit_or_area_is_offered_by_its_new_name(cached_options, demo, client_for, users):
    client = client_for("jj_liaison")
    unit = users["yx_reporter"].unit
    area = Area.objects.filter(pairing=demo["jy"]).order_by("pk").first()
    page = client.get("/tasks/").content.decode()
    assert f">{unit.name}</option>" in options(page, "unit")
    assert f">{area.name}</option>" in options(page, "area")
    client.get("/tasks/")  # from the cache

    unit.name = "尤溪县新名称测试局"
    unit.save()
    area.name = "新名称测试领域"
    area.save()

    page = client.get("/tasks/").content.decode()
    assert ">尤溪县新名称测试局</option>" in options(page, "unit")
    assert ">新名称测试领域</option>" in options(page, "area")
