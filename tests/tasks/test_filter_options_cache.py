"""The task list's unit and area options are kept in the cache; a renamed unit or area shows at once.

Transactional tests with the cache on (the rest of the suite reads the options live).
"""

from __future__ import annotations

import datetime

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


def test_a_renamed_pairing_is_offered_by_its_new_name_and_stays_chosen(cached_options, demo, client_for):
    client = client_for("jj_liaison")
    pairing = demo["jy"]
    url = f"/tasks/?pairing={pairing.pk}"
    chosen = f'<option value="{pairing.pk}" selected>{pairing.name}</option>'
    assert chosen in options(client.get(url).content.decode(), "pairing")
    assert f'<option value="{pairing.pk}">{pairing.name}</option>' in options(
        client.get("/tasks/").content.decode(), "pairing"
    )  # the same options from the cache, none chosen

    pairing.name = "晋江尤溪新名称测试"
    pairing.save()

    page = client.get(url).content.decode()
    assert f'<option value="{pairing.pk}" selected>晋江尤溪新名称测试</option>' in options(page, "pairing")


def test_the_lists_total_follows_a_deleted_task_and_a_period_done(cached_options, demo, client_for):
    from tasks.models import Task, TaskPeriod

    client = client_for("jj_liaison")

    def total(url: str) -> int:
        return client.get(url).context["paginator"].count

    everything = total("/tasks/")
    done = total("/tasks/?status=done")
    assert total("/tasks/") == everything  # from the cache

    period = TaskPeriod.objects.filter(task__pairing=demo["jy"]).exclude(task__periods__status="done").first()
    period.status = TaskPeriod.Status.DONE
    period.completed_on = period.due_date or datetime.date(period.year, 6, 30)
    period.save()
    assert total("/tasks/?status=done") == done + 1

    task = Task.objects.filter(pairing=demo["jy"], children__isnull=True).exclude(pk=period.task_id).first()
    task.delete()
    assert total("/tasks/") == everything - 1


def test_a_user_of_no_pairing_gets_the_list_with_no_options(cached_options, client_for):
    # His scope is an empty list of pairings: a query that cannot match (and has no SQL to key by).
    response = client_for("outsider").get("/tasks/")
    assert response.status_code == 200
    assert options(response.content.decode(), "area").endswith('<option value="">全部</option>')


def test_the_list_reads_each_version_token_once_per_request(cached_options, demo, client_for):
    """Its three option lists, its total and the user's pairings are all cached under the scope
    or figures token: both are read from the database once per request, in one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("jj_liaison")
    client.get("/tasks/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tasks/").status_code == 200
    tokens = [q["sql"] for q in queries.captured_queries if "core_dataversion" in q["sql"]]
    assert len(tokens) == 1, tokens


def test_a_token_changed_within_a_request_is_read_again(cached_options, demo):
    from core import freshness

    before = freshness.token(freshness.SCOPE)
    with freshness.same_tokens():
        assert freshness.token(freshness.SCOPE) == before
        freshness.changed(freshness.SCOPE)  # outside a transaction: changed at once
        after = freshness.token(freshness.SCOPE)
        assert after != before
        assert freshness.token(freshness.SCOPE) == after
    assert freshness.token(freshness.SCOPE) == after


def test_users_of_other_pairings_get_their_own_options_from_the_cache(
    cached_options, demo, client_for, users
):
    """The options are kept per scope: one user's list is never served to a user of other pairings."""
    from cooperation.models import Pairing

    for name in ["wz_liaison", "jj_liaison", "wz_liaison", "admin", "jj_liaison"]:
        page = client_for(name).get("/tasks/").content.decode()
        offered = options(page, "pairing")
        visible = Pairing.objects.visible_to(users[name])
        assert offered.count("<option value=") == visible.count() + 1  # and the empty choice
        for pairing in Pairing.objects.exclude(pk__in=visible.values("pk")):
            assert f'<option value="{pairing.pk}">' not in offered
