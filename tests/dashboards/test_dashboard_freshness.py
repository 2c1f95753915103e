"""The dashboard keeps its figures in the cache, and a figure is never older than the last write.

Transactional tests: the writes really commit, as in production, so the version token of the
figures (core/freshness.py) changes at commit. The cache is on here (the rest of the suite computes
the figures live: its tests roll back their writes).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from funds import services as fund_services
from funds.models import FundCommitment
from tasks.models import TaskPeriod

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2025
URL = f"/dashboard/?year={YEAR}"


@pytest.fixture
def cached_figures(settings):
    settings.FIGURES_CACHE = True


def tile(html: str, tile_id: str) -> str:
    match = re.search(rf'id="{tile_id}"[^>]*>(.*?)</', html, re.S)
    assert match, f"no #{tile_id}"
    return unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def load(client, url: str = URL) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def open_period(demo) -> TaskPeriod:
    return (
        TaskPeriod.objects.filter(task__pairing=demo["jy"], year=YEAR)
        .exclude(status__in=[TaskPeriod.Status.DONE, TaskPeriod.Status.PAUSED])
        .order_by("pk")
        .first()
    )


def test_a_period_marked_done_shows_on_the_next_load(cached_figures, demo, client_for):
    client = client_for("jj_liaison")
    first, fresh_queries = load(client)
    again, cached_queries = load(client)
    # Unchanged data: the same page, from the cache (the aggregates are not run again).
    assert tile(again, "tile-done") == tile(first, "tile-done")
    assert cached_queries < fresh_queries

    period = open_period(demo)
    period.status = TaskPeriod.Status.DONE
    period.completed_on = datetime.date(YEAR, 3, 1)
    period.save()

    after, _ = load(client)
    assert int(tile(after, "tile-done")) == int(tile(first, "tile-done")) + 1


def test_a_payment_shows_on_the_next_load(cached_figures, demo, client_for):
    # 2026 is still open in the demo (12,000,000 promised by 晋江市, nothing paid yet).
    client, url = client_for("jj_liaison"), "/dashboard/?year=2026"
    before, _ = load(client, url)
    load(client, url)  # kept in the cache
    commitment = FundCommitment.objects.get(pairing=demo["jy"], year=2026)
    fund_services.record_disbursement(
        commitment, user=None, date=datetime.date(2026, 6, 1), amount=Decimal("3000000")
    )

    after, _ = load(client, url)
    assert paid(after) - paid(before) == Decimal("3000000")


def test_a_write_is_read_back_inside_its_own_transaction(cached_figures, demo, client_for):
    client = client_for("jj_liaison")
    first, _ = load(client)
    with transaction.atomic():
        period = open_period(demo)
        period.status = TaskPeriod.Status.DONE
        period.completed_on = datetime.date(YEAR, 3, 1)
        period.save()
        inside, _ = load(client)
        assert int(tile(inside, "tile-done")) == int(tile(first, "tile-done")) + 1
        transaction.set_rollback(True)
    # Rolled back: the figures are those of before the write.
    after, _ = load(client)
    assert tile(after, "tile-done") == tile(first, "tile-done")


def paid(html: str) -> Decimal:
    return Decimal(tile(html, "tile-paid").lstrip("¥").replace(",", ""))


def test_an_import_in_bulk_shows_on_the_next_load(cached_figures, demo, users, client_for):
    """The responsibility-table import writes without post_save; it says so once (tasks_imported)."""
    from tests.tasks.importing.test_task_import_bulk import confirm

    client, url = client_for("admin"), f"/dashboard/?year=2019&pairing={demo['wz'].pk}"
    before, _ = load(client, url)
    load(client, url)  # kept in the cache
    confirm(demo["wz"], users["wz_liaison"], 10, "甲")
    after, _ = load(client, url)
    assert int(tile(after, "tile-total")) > int(tile(before, "tile-total"))


def badge(html: str, state: str) -> int:
    match = re.search(rf'data-state="{state}"[^>]*>[^<]*<b>(\d+)</b>', html)
    assert match, f"no {state} badge"
    return int(match.group(1))


def test_the_pairing_page_counts_a_period_marked_done_on_the_next_load(cached_figures, demo, client_for):
    """The pairing page's task counts are kept in the cache too, under the same token."""
    from django.utils import timezone

    today = timezone.localdate()
    client, url = client_for("jj_liaison"), f"/pairings/{demo['jy'].pk}/"
    first, _ = load(client, url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    finished = ("done", "done_late")
    assert [badge(again, s) for s in finished] == [badge(first, s) for s in finished]
    # The counts came from the cache: the periods were not counted again.
    assert not [q for q in queries.captured_queries if 'FROM "tasks_taskperiod"' in q["sql"]]

    period = (
        TaskPeriod.objects.filter(task__pairing=demo["jy"], year=today.year)
        .exclude(status__in=[TaskPeriod.Status.DONE, TaskPeriod.Status.PAUSED])
        .order_by("pk")
        .first()
    )
    period.status = TaskPeriod.Status.DONE
    period.completed_on = today
    period.save()

    after, _ = load(client, url)
    assert sum(badge(after, s) for s in finished) == sum(badge(first, s) for s in finished) + 1
