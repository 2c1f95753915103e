"""A 50 MB upload through the real middleware stack: refused with 413 in Chinese before Django
reads the body, and nothing stored.

Django has no upload limit of its own (RELIABILITY.md): `core.middleware.UploadLimitMiddleware`
answers from CONTENT_LENGTH before any view or parser touches the body. These tests stream the
body instead of handing the test client 50 MB of bytes: once to the WSGI handler with a stream
that counts what is read (nothing may be), once over a real socket to the live server.
"""

from __future__ import annotations

import http.client
import json
import sys
from urllib.parse import urlparse

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tasks.models import Evidence

FIFTY_MB = 50 * 1024 * 1024
BOUNDARY = "----shanhai-badinput"


class CountingStream:
    """A request body of `size` bytes produced on demand; remembers how much was read."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        self.read_bytes += n
        return b"0" * n

    def readline(self, n: int = -1) -> bytes:
        return self.read(1 if n is None or n < 0 else min(n, 1))


def multipart_head(filename: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
    ).encode()


CSRF = "a" * 32  # a CSRF secret sent as cookie and header, as a browser's page script would


def call_wsgi(path: str, body: CountingStream, *, length: int | None, cookie: str = "") -> tuple:
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "HTTP_COOKIE": f"{cookie}; csrftoken={CSRF}",
        "HTTP_X_CSRFTOKEN": CSRF,
        "HTTP_ACCEPT": "application/json",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    # As Django's test client does: the test's transaction must survive the request signals.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return captured["status"], captured["headers"], content.decode()


@pytest.fixture
def session_cookie(client_for, users):
    def make(username: str) -> str:
        client = client_for(username)
        client.get("/")  # the session exists once a request has used it
        return f"sessionid={client.cookies['sessionid'].value}"

    return make


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, path, content_type",
    [
        ("yx_reporter", "/api/v1/progress-reports/{report}/evidence/", "application/json"),
        ("yx_reporter", "/tasks/reports/{report}/evidence/", "text/plain"),
        ("wz_liaison", "/parks/import/", "text/plain"),
        ("yx_liaison", "/indicators/import/", "text/plain"),
        ("jj_finance", "/api/v1/disbursements/", "application/json"),
        ("jj_finance", "/funds/{commitment}/pay/", "text/plain"),
        ("yx_liaison", "/pairings/{pairing}/plans/import/", "text/plain"),
    ],
)
def test_fifty_megabytes_are_refused_before_the_body_is_read(
    session_cookie, draft_report, open_2026, fresh, users, unchanged, who, path, content_type
):
    from cooperation.models import User

    users.setdefault("jj_finance", User.objects.get(username="jj_finance"))
    url = path.format(report=draft_report.pk, commitment=open_2026.pk, pairing=fresh.pk)
    cookie = session_cookie(who)
    body = CountingStream(FIFTY_MB)
    with unchanged():
        status, headers, text = call_wsgi(url, body, length=FIFTY_MB, cookie=cookie)
    assert status == 413
    assert headers["Content-Type"].startswith(content_type)
    message = json.loads(text)["detail"] if content_type == "application/json" else text
    assert message == "上传内容为 50.0 MB，超过 10 MB 的上限，未做任何修改。"
    assert body.read_bytes == 0  # not one byte of the body was read


@pytest.mark.django_db
def test_a_body_without_a_length_is_never_read(session_cookie, draft_report, unchanged):
    """Chunked bodies reach Django without CONTENT_LENGTH: Django reads nothing of them, so the
    upload is simply missing (a clear 400), and 50 MB are not buffered anywhere."""
    body = CountingStream(FIFTY_MB)
    with unchanged():
        status, _headers, text = call_wsgi(
            f"/api/v1/progress-reports/{draft_report.pk}/evidence/",
            body,
            length=None,
            cookie=session_cookie("yx_reporter"),
        )
    assert status == 400 and "file" in json.loads(text)
    assert body.read_bytes == 0


@pytest.mark.django_db(transaction=True)
def test_fifty_megabytes_over_a_real_socket_get_413_and_nothing_is_stored(live_server, demo, users):
    """The same through the live server: the client streams 50 MB in 1 MB chunks."""
    from django.test import Client

    from tasks import services
    from tasks.models import Task

    edu = Task.objects.get(pairing=demo["jy"], title="推动教育医疗合作")
    report = services.save_report(edu.periods.get(year=2026), users["yx_reporter"], text="大文件测试")
    client = Client()
    client.force_login(users["yx_reporter"])
    client.get("/")
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    evidence_before = Evidence.objects.count()
    history_before = Evidence.history.count()

    head = multipart_head("巨大.xlsx")
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + FIFTY_MB + len(tail)

    def chunks():
        yield head
        for _ in range(50):
            yield b"0" * (1024 * 1024)
        yield tail

    server = urlparse(live_server.url)
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=120)
    connection.putrequest("POST", f"/api/v1/progress-reports/{report.pk}/evidence/")
    connection.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    connection.putheader("Content-Length", str(length))
    connection.putheader("Cookie", cookie)
    connection.putheader("Accept-Language", "zh-hans")
    connection.endheaders()
    try:
        for chunk in chunks():
            connection.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # a server may stop listening once it has answered; the answer is still there to read
    response = connection.getresponse()
    body = json.loads(response.read().decode())
    connection.close()
    assert response.status == 413
    assert body["detail"] == "上传内容为 50.0 MB，超过 10 MB 的上限，未做任何修改。"
    assert Evidence.objects.count() == evidence_before and Evidence.history.count() == history_before
