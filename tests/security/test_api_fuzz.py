"""API fuzzing: schemathesis against /api/schema/ on a live server holding the demo.

For every operation of the OpenAPI description, Hypothesis generates requests (valid ones from the
schema, and for detail URLs also ones aimed at real rows the persona can see), sends them with the
persona's token, and checks: no 5xx, the Content-Type is the documented one, and every documented
response body matches its schema.

In CI the number of examples is bounded (FUZZ_EXAMPLES, default 4 per operation and persona). A
longer run, with shrinking of failures and negative (invalid) data too:

    FUZZ_EXAMPLES=100 FUZZ_NEGATIVE=1 .venv/bin/python -m pytest tests/security/test_api_fuzz.py -q
"""

from __future__ import annotations

import os
import time

import pytest
import requests

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
NEGATIVE = os.environ.get("FUZZ_NEGATIVE", "") not in ("", "0")
# Personas: liaison staff of 晋江—尤溪 (writes everything in the pairing) and a reporter of one unit.
PERSONAS = ["yx_liaison", "yx_reporter"]


def _token(base: str, username: str) -> str:
    response = requests.post(
        f"{base}/api/v1/auth/token/", json={"username": username, "password": "shanhai-demo"}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()["token"]


def _visible_id(session: requests.Session, base: str, list_path: str) -> int | None:
    """The first row of a list as the persona sees it: detail URLs are fuzzed on real rows too."""
    response = session.get(base + list_path, timeout=30)
    if response.status_code != 200:
        return None
    rows = response.json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    return rows[0]["id"] if rows and isinstance(rows[0], dict) and "id" in rows[0] else None


def _describe(error: BaseException) -> str:
    parts = [str(error)]
    for inner in getattr(error, "exceptions", ()):
        parts.append(f"  - {type(inner).__name__}: {inner}")
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_survives_fuzzing_and_matches_its_schema(live_server, demo, persona):
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

    base = live_server.url
    session = requests.Session()
    session.headers["Authorization"] = f"Token {_token(base, persona)}"
    # The schema, like the API, is for signed-in users only: fetched with the persona's token.
    schema = schemathesis.openapi.from_url(
        f"{base}/api/schema/", headers={"Authorization": session.headers["Authorization"]}, timeout=60
    )
    checks = [not_a_server_error, content_type_conformance, response_schema_conformance]
    modes = [schemathesis.GenerationMode.POSITIVE]
    if NEGATIVE:
        modes.append(schemathesis.GenerationMode.NEGATIVE)
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if EXAMPLES > 20 else [])
    failures: list[str] = []
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
        if "{id}" in operation.path:
            real = _visible_id(session, base, operation.path.split("{id}")[0])
            if real is not None:
                strategies += [
                    operation.as_strategy(generation_mode=mode, path_parameters={"id": real})
                    for mode in modes
                ]

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=phases,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=st.one_of(*strategies))
        def run(case):
            case.call_and_validate(base_url=base, session=session, checks=checks, timeout=60)

        try:
            run()
        except (
            Exception,
            BaseExceptionGroup,
        ) as error:  # every operation is tried, failures reported together
            failures.append(f"{operation.label}: {_describe(error)}"[:3000])
    elapsed = time.monotonic() - started
    assert operations > 50, "the schema lists too few operations: is /api/schema/ complete?"
    assert not failures, (
        f"{len(failures)} operations failed as {persona} ({elapsed:.0f} s):\n\n" + "\n\n".join(failures)
    )
