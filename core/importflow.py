"""The one upload → preview → confirm flow of the importers: where the preview waits, how a refusal looks.

Every import page works in two steps: the upload is read and checked, the page shows what would be
written (nothing is written yet), and the officer confirms. Between the two steps nothing is kept
on the server — no session key, no stored file — so an abandoned preview leaves nothing behind:

- **State.** What the confirm step needs travels in the preview page's form, in one hidden field
  (``PREVIEW_FIELD``): a token made with ``django.core.signing``, compressed, salted per importer
  (``PreviewFlow.name``, so one importer's token never opens another's), bound to the user and to
  the importer's scope (the pairing of the two task importers, nothing for the others), valid for
  ``MAX_AGE``. An importer whose confirm reads the file again carries its bytes (``pack_file``)
  and runs the same checks on them again, all or nothing.
- **Refusals.** ``ImportRefused(errors)``: every reason as a sentence in Chinese for the user (row
  errors as “第 N 行，列名：…”), and the status of the answer (400; 413 for a file over the upload
  limit). A tampered, expired or foreign token is refused with one message each and changes
  nothing. Every import page lists the errors through ``templates/includes/import_errors.html``.

``ImportFlowMixin`` is the pages' share: sign the preview, open it on confirm, render a refusal.
Each importer keeps its own reading, checking, preview table and confirm.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

PREVIEW_FIELD = "preview_token"
MAX_AGE = 12 * 3600  # a preview confirms within a working day
# The confirm form's other fields (the officer's choices and edits) need room beside the token
# within DATA_UPLOAD_MAX_MEMORY_SIZE, or Django refuses the whole POST without a word.
FORM_ROOM = 64 * 1024


class ImportRefused(Exception):
    """Nothing was written; ``errors`` lists every reason, each a sentence in Chinese for the user."""

    def __init__(self, errors: Iterable[str], *, status: int = 400):
        self.errors = [str(error) for error in errors]
        self.status = status
        super().__init__("；".join(self.errors))


@dataclass(frozen=True)
class PreviewFlow:
    """One importer's preview tokens.

    ``name`` salts the tokens; ``command`` names the management command that imports what is too
    large for a browser form (told to the user when a preview is too large to confirm).
    """

    name: str
    command: str = ""

    @property
    def salt(self) -> str:
        return f"core.importflow.{self.name}"

    def sign(self, data: dict[str, Any], *, user, scope: int | None = None, too_large: str = "") -> str:
        """The token for ``data`` (JSON-serialisable), for this user and scope.

        Raises ImportRefused when the token would not fit a browser form (``too_large`` replaces
        the general message).
        """
        token = signing.dumps({"user": user.pk, "scope": scope, "data": data}, salt=self.salt, compress=True)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit and len(token) > limit - FORM_ROOM:
            raise ImportRefused([too_large or self.too_large_message(len(token), limit)])
        return token

    def too_large_message(self, size: int, limit: int) -> str:
        values = {"size": size / 1048576, "limit": limit / 1048576, "command": self.command}
        if self.command:
            return (
                _(
                    "预览数据为 %(size).1f MB，超过浏览器确认的上限 %(limit).1f MB，未做任何修改。"
                    "请分成几个文件上传，或请管理员用命令 %(command)s 导入。"
                )
                % values
            )
        return (
            _(
                "预览数据为 %(size).1f MB，超过浏览器确认的上限 %(limit).1f MB，未做任何修改。请分成几部分分别导入。"
            )
            % values
        )

    def open(self, token: str, *, user, scope: int | None = None) -> dict[str, Any]:
        """The data of a token made by ``sign`` for this user and scope less than MAX_AGE ago.

        Raises ImportRefused with one message for each way it can fail: expired, tampered or
        damaged, made for another user or scope.
        """
        try:
            payload = signing.loads(token, salt=self.salt, max_age=MAX_AGE)
        except signing.SignatureExpired:
            raise ImportRefused(
                [_("预览已超过 %(hours)d 小时，未做任何修改。请重新预览。") % {"hours": MAX_AGE // 3600}]
            ) from None
        except signing.BadSignature:
            raise ImportRefused([_("预览数据已被改动或已损坏，未做任何修改。请重新预览。")]) from None
        if payload.get("user") != user.pk or payload.get("scope") != scope:
            if scope is None:
                message = _("这份预览不属于当前用户，未做任何修改。请重新预览。")
            else:
                message = _("这份预览不属于本结对或当前用户，未做任何修改。请重新预览。")
            raise ImportRefused([message])
        return payload["data"]


def pack_file(data: bytes) -> str:
    """An uploaded file's bytes as text for a token (the token compresses them)."""
    return base64.b64encode(data).decode("ascii")


def unpack_file(text: str) -> bytes:
    """The bytes ``pack_file`` packed (from a token whose signature was checked)."""
    return base64.b64decode(text.encode("ascii"), validate=True)


def form_status(form) -> int:
    """The status of an upload form's refusal: 413 for a file over the upload limit, else 400."""
    too_large = any(
        error.code == "file_size" for errors in form.errors.as_data().values() for error in errors
    )
    return 413 if too_large else 400


class ImportFlowMixin:
    """What the import pages share: sign the preview, open it on confirm, render a refusal.

    A view sets ``flow`` and ``template_name``; it may override ``flow_scope`` (the pairing's id
    for the task importers), ``upload_context`` (what its page needs to show the upload form) and
    ``upload_url`` (where a confirm without a preview goes back to).
    """

    flow: PreviewFlow
    template_name: str

    def flow_scope(self) -> int | None:
        return None

    def upload_context(self) -> dict[str, Any]:
        return {}

    def upload_url(self) -> str:
        return self.request.path

    def sign_preview(self, data: dict[str, Any], *, too_large: str = "") -> str:
        return self.flow.sign(data, user=self.request.user, scope=self.flow_scope(), too_large=too_large)

    def open_preview(self, token: str | None = None) -> dict[str, Any] | None:
        """The data of the posted preview (or of ``token``); None when no preview was posted at all.

        Raises ImportRefused for a token that is expired, tampered with, or someone else's.
        """
        if token is None:
            token = self.request.POST.get(PREVIEW_FIELD)
            if token is None:
                return None
        return self.flow.open(token, user=self.request.user, scope=self.flow_scope())

    def no_preview(self) -> HttpResponse:
        """A confirm without any preview (a bookmarked or replayed form): back to the upload."""
        messages.error(self.request, _("没有待确认的导入，请重新上传文件。"))
        return redirect(self.upload_url())

    def refuse(self, refused: ImportRefused, **context: Any) -> HttpResponse:
        """The upload page again with the errors listed; nothing was written."""
        context = {**self.upload_context(), **context, "errors": refused.errors}
        return render(self.request, self.template_name, context, status=refused.status)

    def refuse_form(self, form, **context: Any) -> HttpResponse:
        """The upload form again with its own errors (400, or 413 for a file over the limit)."""
        return render(
            self.request,
            self.template_name,
            {**self.upload_context(), **context, "form": form},
            status=form_status(form),
        )
