"""Every list page exports what it shows, with its current filters, to .xlsx through the safe writer.

A list view mixes in `XlsxExportMixin`, names its `export_title` and `export_columns`
(`core.excel.Column`) and turns one object into one row in `export_row()`. The link "导出 Excel"
(`{% export_link %}`) adds `export=xlsx` to the page's own query string: the rows are the filtered
queryset, every page of it, not only the one on screen. Cells go through `core.excel` (text is
never a formula, money typed in 元), the file is written in constant memory.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.excel import Column, Exporter, new_workbook, write_sheet

EXPORT_PARAM = "export"
# A list of a province may be long: the export streams, but stops at this many rows (said in the sheet).
EXPORT_LIMIT = 50_000


class _ListExporter(Exporter):
    def __init__(self, title: str, columns: list[Column], rows: Iterator[list]) -> None:
        # A sheet's name: at most 31 characters, none of []:*?/\ (an English title may hold a colon).
        self.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
        self.columns = columns
        self._rows = rows

    def rows(self) -> Iterator[list]:
        yield from self._rows


def xlsx_response(title: str, columns: list[Column], rows: Iterator[list], *, user) -> FileResponse:
    """A workbook of one sheet, streamed to a temporary file and sent as a download."""
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    today = timezone.localdate().isoformat()
    workbook = new_workbook(
        path,
        title=title,
        creator=str(user),
        subject=title,
        description=_("导出于 %(date)s，按页面当前的筛选条件") % {"date": today},
    )
    line = _("%(title)s（导出于 %(date)s，按页面当前的筛选条件）") % {"title": title, "date": today}
    write_sheet(workbook, _ListExporter(title, columns, rows), line)
    workbook.close()
    stream = open(path, "rb")  # noqa: SIM115 — FileResponse closes it
    os.unlink(path)  # the open handle keeps the data until the response is sent
    name = f"{title}-{today}.xlsx"
    response = FileResponse(stream, as_attachment=True, filename=name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def export_requested(request) -> bool:
    """True when the page's export link was followed (`?export=xlsx`); for list pages written as functions."""
    return request.GET.get(EXPORT_PARAM) == "xlsx"


def export_list(request, title, columns: list[Column], objects, row) -> FileResponse:
    """The function-view form of `XlsxExportMixin`: `objects` already filtered and scoped as the page's."""
    rows = (row(obj) for obj in objects[:EXPORT_LIMIT])
    return xlsx_response(str(title), columns, rows, user=request.user)


class XlsxExportMixin:
    """For a list view (a FilterView or ListView): `?export=xlsx` answers the filtered list as .xlsx."""

    export_title: str = ""
    export_columns: list[Column] = []

    def export_row(self, obj) -> list:
        raise NotImplementedError

    def export_queryset(self):
        return self.object_list

    def render_to_response(self, context, **kwargs):
        if not export_requested(self.request):
            return super().render_to_response(context, **kwargs)
        rows = (self.export_row(obj) for obj in self.export_queryset()[:EXPORT_LIMIT])
        return xlsx_response(str(self.export_title), self.export_columns, rows, user=self.request.user)
