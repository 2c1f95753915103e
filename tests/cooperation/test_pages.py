"""Pages as liaison staff, reporters and leaders see them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.models import Activity, Pairing

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, demo):
    for url in ["/", "/pairings/", f"/pairings/{demo['jy'].pk}/", "/documents/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_login_page_is_chinese_by_default(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "登录" in page and 'lang="zh-hans"' in page


def test_english_is_available(client_for, demo):
    client = client_for("jj_liaison")
    client.post("/i18n/setlang/", {"language": "en", "next": "/pairings/"})
    page = client.get("/pairings/").content.decode()
    assert "Pairings" in page and 'lang="en"' in page


def test_pairing_list_shows_the_users_pairings(client_for, demo):
    page = client_for("wz_liaison").get("/pairings/").content.decode()
    for name in ["瓯海区—永嘉县", "龙湾区—苍南县", "瑞安市—文成县", "鹿城区—泰顺县", "乐清市—平阳县"]:
        assert name in page
    assert "晋江市—尤溪县山海协作" not in page


def test_pairing_list_filters(client_for, demo):
    page = client_for("admin").get("/pairings/", {"kind": "east_west"}).content.decode()
    assert "宁夏回族自治区" in page and "晋江市—尤溪县山海协作" not in page
    page = client_for("admin").get("/pairings/", {"q": "长汀"}).content.decode()
    assert "晋江（长汀）工业园区" in page and "温州" not in page


def test_pairing_page_shows_sides_liaison_units_documents_and_activities(client_for, demo):
    page = client_for("leader").get(f"/pairings/{demo['jy'].pk}/").content.decode()
    for text in [
        "晋江市",
        "尤溪县",
        "350582",
        "晋江市农业农村局",
        "尤溪县发展和改革局",
        "晋政文〔2024〕102号",
        "晋江—尤溪山海协作党政联席会议",
    ]:
        assert text in page, text
    assert "登记活动" not in page  # a viewer gets no edit buttons (and the server refuses anyway)


def test_other_pairings_page_is_not_found(client_for, demo):
    assert client_for("yx_reporter").get(f"/pairings/{demo['wz'].pk}/").status_code == 404


def test_liaison_records_an_activity_in_the_browser(client_for, demo, users):
    jy = demo["jy"]
    client = client_for("yx_liaison")
    response = client.post(
        f"/pairings/{jy.pk}/activities/new/",
        {
            "kind": "exchange",
            "title": "尤溪一中赴晋江一中跟岗学习",
            "date": "2025-10-15",
            "field": "教育",
            "headcount": "8",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="尤溪一中赴晋江一中跟岗学习")
    assert activity.pairing == jy and activity.history.get().history_user == users["yx_liaison"]
    page = client.get(f"/pairings/{jy.pk}/").content.decode()
    assert "尤溪一中赴晋江一中跟岗学习" in page


def test_activity_form_shows_errors_in_chinese(client_for, demo):
    response = client_for("yx_liaison").post(
        f"/pairings/{demo['jy'].pk}/activities/new/", {"kind": "exchange", "title": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "该字段是必填项" in page


@pytest.mark.parametrize("persona", ["yx_reporter", "leader", "wz_liaison"])
def test_others_cannot_add_edit_or_delete_activities(client_for, demo, persona):
    jy = demo["jy"]
    activity = Activity.objects.filter(pairing=jy).first()
    client = client_for(persona)
    expected = 404 if persona == "wz_liaison" else 403
    assert (
        client.post(
            f"/pairings/{jy.pk}/activities/new/", {"kind": "event", "title": "x", "date": "2025-01-01"}
        ).status_code
        == expected
    )
    assert (
        client.post(
            f"/activities/{activity.pk}/edit/", {"kind": "event", "title": "x", "date": "2025-01-01"}
        ).status_code
        == expected
    )
    assert client.post(f"/activities/{activity.pk}/delete/").status_code == expected
    assert Activity.objects.filter(pk=activity.pk, title=activity.title).exists()
    assert not Activity.objects.filter(title="x").exists()


def test_refusal_page_explains_why(client_for, demo):
    response = client_for("yx_reporter").get(f"/pairings/{demo['jy'].pk}/edit/")
    assert response.status_code == 403 and "联络员" in response.content.decode()


def test_pairing_edit_is_recorded_in_history_on_the_page(client_for, demo):
    jy = demo["jy"]
    client = client_for("jj_liaison")
    data = {
        "name": jy.name,
        "kind": jy.kind,
        "status": "active",
        "start_year": 2024,
        "end_year": 2030,
        "coastal_liaison": jy.coastal_liaison_id,
        "mountain_liaison": jy.mountain_liaison_id,
        "notes": "新备注",
    }
    assert client.post(f"/pairings/{jy.pk}/edit/", data).status_code == 302
    page = client.get(f"/pairings/{jy.pk}/").content.decode()
    assert "新备注" in page and "晋江联络员" in page


def test_pairing_list_runs_a_constant_number_of_queries(client_for, demo):
    client = client_for("admin")

    def query_count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/pairings/").status_code == 200
        return len(ctx.captured_queries)

    small = query_count()
    jy = demo["jy"]
    for i in range(25):
        Pairing.objects.create(
            name=f"镇结对{i}",
            coastal_region=jy.coastal_region,
            mountain_region=jy.mountain_region,
            start_year=2025,
            parent=jy,
            coastal_liaison=jy.coastal_liaison,
        )
    assert query_count() == small


def test_no_template_loads_anything_from_the_internet():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"""(src|href)=["']https?://""", text) or "@import url(http" in text:
            offenders.append(str(path))
    assert offenders == []


@pytest.mark.slow
def test_static_assets_are_served_by_the_app_in_production(db, settings, tmp_path):
    """collectstatic + whitenoise, as deployed: the stylesheet and Swagger UI's assets come from the app."""
    from django.core.management import call_command
    from django.templatetags.static import static
    from django.test import Client

    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    client = Client()  # a new client builds its middleware (whitenoise) with these settings
    for asset in ["css/app.css", "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"]:
        url = static(asset)
        assert url != f"/static/{asset}"  # hashed name, cacheable forever
        response = client.get(url)
        assert response.status_code == 200, asset


def test_static_assets_are_served_without_debug_and_without_collectstatic(db, settings):
    """The embedded default (`make run`, DEBUG unset) serves the stylesheet from the app folders."""
    from django.test import Client

    assert settings.DEBUG is False
    client = Client()  # a new client builds its middleware (whitenoise) with these settings
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert b"topbar" in b"".join(response.streaming_content)


def test_health_check(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_pairing_page_runs_at_most_15_queries_whatever_its_size(client_for, demo):
    """Issue 21's bound for the pairing page, at the demo's size and with many more sub-pairings and
    activities: the sub-pairings come with the pairing, the activities are read once."""
    client = client_for("jj_liaison")
    jy = demo["jy"]

    def load():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/pairings/{jy.pk}/")
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    small, _ = load()
    for i in range(12):
        Pairing.objects.create(
            name=f"镇级结对{i:02d}",
            coastal_region=jy.coastal_region,
            mountain_region=jy.mountain_region,
            start_year=2025,
            parent=jy,
        )
    for i in range(60):
        Activity.objects.create(
            pairing=jy,
            kind=Activity.Kind.VISIT,
            title=f"互访{i:02d}",
            date=f"2024-03-{i % 28 + 1:02d}",
        )
    large, page = load()
    assert small <= 15 and large == small
    # What the one query read is on the page: every sub-pairing, the new activities counted.
    assert all(f"镇级结对{i:02d}" in page for i in range(12))
    assert "2024 高层互访：60" in page
