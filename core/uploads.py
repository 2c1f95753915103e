"""Uploaded evidence: allowed types checked by name *and* content, a size limit, protected serving.

Files are stored under a random name (no user text reaches the file system) and the original
name is kept in the model for the download. They are never served from MEDIA_URL: a view checks
that the user may see the object first, then calls `protected_download`.
"""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from core.officefiles import DOCX, OLE_SIGNATURE, XLSX, UnsafeFile, check_ooxml

# Extension → possible leading bytes of such a file.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}
EVIDENCE_EXTENSIONS = tuple(SIGNATURES)
# What a download of such a file answers with (FileResponse guesses it from the name, as here): the
# API schema documents these, so a client (and the API fuzzing) knows a PDF from a photo.
DOWNLOAD_MEDIA_TYPES = tuple(
    sorted(
        {mimetypes.guess_type(f"file{ext}")[0] or "application/octet-stream" for ext in EVIDENCE_EXTENSIONS}
        | {"application/octet-stream"}
    )
)
# Office Open XML files: checked as archives too (core/officefiles.py), not by their first bytes only.
OOXML_KINDS = {".xlsx": XLSX, ".docx": DOCX}


def max_upload_bytes() -> int:
    return settings.UPLOAD_MAX_BYTES


def validate_upload(uploaded, extensions: tuple[str, ...] = EVIDENCE_EXTENSIONS) -> None:
    """Refuse a file whose size, extension or content is not what it claims, with a clear message."""
    name = PurePath(uploaded.name or "").name
    ext = PurePath(name).suffix.lower()
    if ext not in extensions:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，只接受：%(allowed)s。"),
            params={"ext": ext or name, "allowed": "、".join(e.lstrip(".") for e in extensions)},
            code="file_type",
        )
    if uploaded.size is not None and uploaded.size > max_upload_bytes():
        raise ValidationError(
            _("文件“%(name)s”为 %(size).1f MB，超过 %(limit)d MB 的上限。"),
            params={"name": name, "size": uploaded.size / 1048576, "limit": max_upload_bytes() // 1048576},
            code="file_size",
        )
    if uploaded.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。"), params={"name": name}, code="file_empty")
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(position)
    if ext in OOXML_KINDS and head.startswith((b"PK\x03\x04", OLE_SIGNATURE)):
        # A zip is not yet a workbook: a renamed archive, an encrypted file (an OLE container) or a
        # zip bomb is refused here with its own message. The XML inside is never parsed for
        # evidence (it is stored as the user's document), only by the importers.
        uploaded.seek(0)
        try:
            check_ooxml(uploaded, OOXML_KINDS[ext])
        except UnsafeFile as error:
            raise ValidationError(
                _("文件“%(name)s”：%(reason)s"),
                params={"name": name, "reason": str(error)},
                code="file_content",
            ) from error
        finally:
            uploaded.seek(position)
    if not any(head.startswith(sig) for sig in SIGNATURES.get(ext, ())):
        raise ValidationError(
            _("文件“%(name)s”的内容与扩展名“%(ext)s”不符，可能已损坏或被改名。"),
            params={"name": name, "ext": ext},
            code="file_content",
        )


@deconstructible
class upload_to:  # noqa: N801 — used like a function: FileField(upload_to=upload_to("evidence"))
    """An `upload_to` for FileFields: `<folder>/<year>/<month>/<uuid><ext>`; migrations can serialise it."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        now = timezone.localdate()
        return f"{self.folder}/{now:%Y/%m}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"

    def __eq__(self, other) -> bool:
        return isinstance(other, upload_to) and other.folder == self.folder


def protected_download(field_file, original_name: str) -> FileResponse:
    """Serve a stored file as an attachment under its original name (call after the permission check)."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=True, filename=original_name or field_file.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
