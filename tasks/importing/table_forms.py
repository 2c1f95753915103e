"""The upload form of the responsibility-table import."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.uploads import validate_upload


class TaskTableForm(forms.Form):
    """One .xlsx file. Size, type and emptiness are checked here; its content by the reader."""

    file = forms.FileField(
        label=gettext_lazy("责任分解表"),
        help_text=gettext_lazy("Excel 工作簿（.xlsx），第一个有表头的工作表会被读取"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = PurePath(upload.name or "").name
        if PurePath(name).suffix.lower() != ".xlsx":
            raise ValidationError(
                _("不支持的文件类型“%(ext)s”：请上传 Excel 工作簿（.xlsx）；.xls 或 .et 请先另存为 .xlsx。")
                % {"ext": PurePath(name).suffix or name}
            )
        try:
            validate_upload(upload, extensions=(".xlsx",))
        except ValidationError as error:
            # A file that is not what its name says (renamed text, an encrypted workbook …) gets the
            # reader's more precise message (core/officefiles.py) instead.
            if getattr(error, "code", None) != "file_content":
                raise
        upload.seek(0)
        return upload

    @property
    def too_large(self) -> bool:
        return any(getattr(e, "code", "") == "file_size" for e in self.errors.as_data().get("file", []))
