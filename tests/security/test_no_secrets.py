"""No secret in the repository: no private key, no token of a known service, no password in the code
other than the documented demo password and obvious test values.

Scans the files git tracks (and, outside a git checkout, every file under the project but the virtualenv).
"""

from __future__ import annotations

import math
import re
import subprocess
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

# Documented, deliberately public values.
ALLOWED = {
    "shanhai-demo",  # the demo accounts' password (README, "Demo accounts")
    "django-insecure-shanhai-development-only-never-use-in-production",  # refused when DEBUG=0
}
SKIPPED_SUFFIXES = {".png", ".jpg", ".svg", ".pdf", ".xlsx", ".docx", ".mo", ".map", ".ico", ".zip", ".gz"}
SKIPPED_PARTS = {".venv", "node_modules", ".git", "staticfiles", "media", "test-artifacts", "__pycache__"}

PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[baprs]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    "URL with a password": re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:([^/\s@'\"]{3,})@"),
}
# `password = "…"`, `"secret_key": "…"`, `token='…'`, `--password=…` and the like.
ASSIGNMENT = re.compile(
    r"""(?ix)(?:password|passwd|secret|secret_key|api_key|apikey|token|access_key)\w*["']?\s*(?:[:=]|=>)\s*
        (?:[rbuf]{0,2})["']([^"'\s]{6,})["']"""
)
# Obvious test values: in tests only, and low in entropy or self-describing.
TEST_VALUE = re.compile(r"(?i)(test|pass|wrong|demo|example|dummy|fake|secret|12345|x{4,}|k{8,}|pw)")
# Placeholders in documentation (`postgres://user:pass@…`, `${PGPASSWORD}`, `<password>`).
PLACEHOLDER = re.compile(
    r"^(?:\$\{?[A-Z_]+\}?|<[^>]+>|\*+|\.\.\.|None|null|changeme|pass|password|secret)$", re.I
)


def tracked_files() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, timeout=60
        ).stdout.decode()
        files = [ROOT / name for name in out.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        files = [p for p in ROOT.rglob("*") if p.is_file() and not SKIPPED_PARTS & set(p.parts)]
    return [p for p in files if p.suffix.lower() not in SKIPPED_SUFFIXES and p.is_file()]


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def acceptable(value: str, path: Path) -> bool:
    if value in ALLOWED or PLACEHOLDER.match(value):
        return True
    relative = path.relative_to(ROOT).as_posix()
    # Tests hold made-up credentials for made-up users: fine while they read as such.
    return relative.startswith("tests/") and (TEST_VALUE.search(value) is not None or entropy(value) < 3.5)


def findings() -> list[str]:
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tests/security/test_no_secrets.py":
            continue  # this file names the patterns it looks for
        for number, line in enumerate(text.splitlines(), 1):
            for what, pattern in PATTERNS.items():
                match = pattern.search(line)
                if match and not (what == "URL with a password" and acceptable(match.group(1), path)):
                    found.append(f"{relative}:{number}: {what}")
            for match in ASSIGNMENT.finditer(line):
                if not acceptable(match.group(1), path):
                    found.append(f"{relative}:{number}: a literal credential {match.group(1)[:4]}…")
    return found


def test_no_secret_is_committed():
    assert len(tracked_files()) > 100
    found = findings()
    assert not found, "possible secrets in the repository:\n" + "\n".join(found)


def test_no_key_or_environment_file_is_committed():
    names = {p.name for p in tracked_files()}
    bad = sorted(
        n for n in names if n in {".env", "id_rsa", "id_ed25519"} or n.endswith((".pem", ".key", ".p12"))
    )
    assert not bad, bad


def test_the_scanner_finds_what_it_looks_for(tmp_path):
    """The patterns catch real-looking secrets (so a clean result means something)."""
    samples = {
        "-----BEGIN RSA PRIVATE KEY-----": "private key",
        "key = 'AKIAIOSFODNN7EXAMPLE'": "AWS access key",
        "DATABASE_URL=postgres://shanhai:Zq8vT2pLm@db.internal/shanhai": "URL with a password",
    }
    for line, what in samples.items():
        assert PATTERNS[what].search(line), what
    assert ASSIGNMENT.search('EMAIL_HOST_PASSWORD = "Zq8vT2pLm9wXr"')
    assert not acceptable("Zq8vT2pLm9wXr", ROOT / "shanhai" / "settings.py")
    assert acceptable("shanhai-demo", ROOT / "fixtures" / "demo_cooperation.py")
    assert acceptable("outsider-pass-1", ROOT / "tests" / "conftest.py")
