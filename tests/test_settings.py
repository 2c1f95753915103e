"""The settings switch: embedded default vs DATABASE_URL/REDIS_URL, and production refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import django
import pytest

ROOT = Path(__file__).resolve().parent.parent
# Variables each test sets itself (the last one only ever belongs to the browser tests).
CONTROLLED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
GOOD_KEY = "k" * 20 + "A9b8C7d6E5f4G3h2I1j0K9l8M7n6O5p4Q3r2S1t0-_x"


def run_settings(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; " + code,
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "shanhai.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_is_sqlite_with_in_process_celery():
    result = run_settings(
        {},
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.TIME_ZONE, s.LANGUAGE_CODE)",
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "Asia/Shanghai", "zh-hans"], (
        result.stderr
    )


def test_embedded_default_serves_without_debug_pages_and_without_the_public_key():
    """Nothing set — what `make run` serves: no debug pages, plain HTTP on this machine, static files
    from the app folders, and a secret key of this checkout rather than the one in the source."""
    result = run_settings(
        {},
        "print(s.DEBUG, s.PRODUCTION, s.SECRET_KEY.startswith('django-insecure'), len(s.SECRET_KEY) >= 50, "
        "s.WHITENOISE_USE_FINDERS, 'benchmarks' in s.INSTALLED_APPS, '127.0.0.1' in s.ALLOWED_HOSTS, "
        "getattr(s, 'SECURE_SSL_REDIRECT', False))",
    )
    assert result.stdout.split() == ["False", "False", "False", "True", "True", "False", "True", "False"], (
        result.stderr
    )


def test_embedded_default_keeps_its_key_across_restarts():
    """Sessions survive a restart of `make run`: the generated key is read back, not made anew."""
    first = run_settings({}, "print(s.SECRET_KEY)")
    second = run_settings({}, "print(s.SECRET_KEY)")
    assert first.stdout.strip() and first.stdout == second.stdout, first.stderr + second.stderr


def test_developers_get_debug_pages_with_debug_1():
    result = run_settings({"DEBUG": "1"}, "print(s.DEBUG, s.PRODUCTION, 'benchmarks' in s.INSTALLED_APPS)")
    assert result.stdout.split() == ["True", "False", "True"], result.stderr


def test_database_and_redis_urls_switch_to_postgresql_and_a_real_broker():
    env = {
        "DATABASE_URL": "postgres://u:p@db.internal:5433/shanhai",
        "REDIS_URL": "redis://cache.internal:6380/2",
    }
    result = run_settings(
        env,
        "d=s.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "5433",
        "shanhai",
        "redis://cache.internal:6380/2",
        "False",
    ], result.stderr


@pytest.mark.parametrize("key", [None, "short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(key):
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "shanhai.example.gov.cn"}
    if key is not None:
        env["SECRET_KEY"] = key
    result = run_settings(env, "print('started')")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr and "started" not in result.stdout


def test_malformed_boolean_stops_the_start():
    result = run_settings({"DEBUG": "maybe"}, "print('started')")
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr


def test_check_deploy_is_clean_in_production():
    env = {"DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "shanhai.example.gov.cn"}
    clean = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_a_government_office_expects():
    env = {"DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "shanhai.example.gov.cn"}
    code = (
        "print(s.SESSION_COOKIE_AGE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.REST_FRAMEWORK['DEFAULT_PERMISSION_CLASSES'][0], "
        "min(v.get('OPTIONS', {}).get('min_length', 99) for v in s.AUTH_PASSWORD_VALIDATORS))"
    )
    result = run_settings(env, code)
    assert result.stdout.split() == [
        "32400",
        "True",
        "True",
        "True",
        "core.api.permissions.ScopedPermission",
        "10",
    ], result.stderr


@pytest.mark.skipif(
    django.VERSION < (6, 0), reason="Django 5.2 has no built-in CSP: the app starts without it"
)
def test_production_sends_a_content_security_policy_without_inline_code():
    env = {"DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "shanhai.example.gov.cn"}
    code = (
        "m = s.MIDDLEWARE; print(m.index('django.middleware.csp.ContentSecurityPolicyMiddleware') == "
        "m.index('django.middleware.security.SecurityMiddleware') + 1); "
        "print(' '.join(f'{k}={\",\".join(v)}' for k, v in sorted(s.SECURE_CSP.items())))"
    )
    result = run_settings(env, code)
    first, policy = result.stdout.splitlines()
    assert first == "True", result.stderr
    assert "script-src='self'" in policy.split() and "style-src='self'" in policy.split()
    assert "frame-ancestors='none'" in policy and "object-src='none'" in policy
    assert "base-uri='self'" in policy and "form-action='self'" in policy
    assert "unsafe" not in policy
