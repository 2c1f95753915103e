"""Permission problems the matrix work turned up, kept as regression tests.

Policy documents belong to several pairings (many-to-many). A document is visible when any of its
pairings is in the user's scope, but manageable only when all of them are, and it names only the
pairings the user sees. 闽西南协同发展区发展规划 is
linked to ten co-built-park pairings; jj_liaison sees one of them (晋江—长汀).
"""

from __future__ import annotations

import pytest

from cooperation.models import Pairing, PolicyDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_plan(demo):
    return PolicyDocument.objects.get(title="闽西南协同发展区发展规划")


def test_a_shared_document_names_only_the_pairings_the_user_sees(api_for, users, shared_plan):
    visible = set(Pairing.objects.visible_to(users["jj_liaison"]).values_list("name", flat=True))
    names = api_for("jj_liaison").get(f"/api/v1/documents/{shared_plan.pk}/").json()["pairing_names"]
    assert set(names) <= visible, sorted(set(names) - visible)


def test_a_liaison_cannot_unlink_a_shared_document_from_pairings_he_does_not_manage(api_for, shared_plan):
    before = set(shared_plan.pairings.values_list("pk", flat=True))
    mine = Pairing.objects.get(name__startswith="晋江市—长汀县")
    response = api_for("jj_liaison").patch(
        f"/api/v1/documents/{shared_plan.pk}/", {"pairings": [mine.pk]}, format="json"
    )
    assert set(shared_plan.pairings.values_list("pk", flat=True)) == before, response.status_code


def test_a_liaison_cannot_delete_a_document_other_pairings_rely_on(api_for, shared_plan):
    response = api_for("jj_liaison").delete(f"/api/v1/documents/{shared_plan.pk}/")
    assert response.status_code == 403
    assert PolicyDocument.objects.filter(pk=shared_plan.pk).exists()
