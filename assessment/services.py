"""Build the annual assessment workbook: one function, called by the Celery job and the command alike.

The workbook is streamed (XlsxWriter, constant memory) into a temporary file beside the destination and
renamed into place only when complete, so a reader never sees a half-written file.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.official import RankingSheet, SchemeSheet, write_official
from assessment.scoring import (
    Chunk,
    as_of_date,
    collect_adjustments,
    collect_chunk,
    initial_facts,
    pairing_chunks,
    scheme_for,
)
from assessment.sheets import DETAIL_SHEETS, PairingExporter, SummarySheet
from cooperation.models import Pairing
from core.excel import SheetWriter, new_workbook

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[int, str], None]

# Pairings named one by one in the title line; beyond that, "… 等 N 个结对".
TITLE_NAMES = 3


def title_line(year: int, pairings: list[Pairing]) -> str:
    names = [p.name for p in pairings]
    shown = "、".join(names[:TITLE_NAMES])
    if len(names) > TITLE_NAMES:
        shown = _("%(names)s 等 %(n)d 个结对") % {"names": shown, "n": len(names)}
    return _("%(year)d 年度山海协作考核表 · %(pairings)s") % {"year": year, "pairings": shown}


def build(
    year: int,
    pairings: Iterable[Pairing],
    progress_callback: ProgressCallback | None = None,
    *,
    dest: str | os.PathLike,
    today: datetime.date | None = None,
    creator: str = "",
) -> Path:
    """Write the assessment workbook of `year` for `pairings` to `dest` (atomically) and return its path.

    `progress_callback(percent, message)` is called as the work advances (0 … 100). The caller
    decides which pairings the user may export; this function exports exactly those given.
    """
    report = progress_callback or (lambda percent, message: None)
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        pairings = sorted(
            Pairing.objects.filter(pk__in=[p.pk for p in pairings]).select_related(
                "coastal_region", "mountain_region"
            ),
            key=lambda p: p.pk,
        )
        as_of = as_of_date(year, today)
        report(2, _("正在计算得分…"))
        scheme = scheme_for(year)
        facts = initial_facts(pairings, year)  # filled chunk by chunk below
        # Every sheet says the day its figures are as of (the cut-off; day counts run to it).
        title = title_line(year, pairings)
        line = title + _("（统计截至 %(date)s，天数按日历日计至该日）") % {"date": as_of.isoformat()}

        summary = [SummarySheet(pairings, scheme, facts)]
        if len(pairings) > 1:
            summary.append(RankingSheet(pairings, scheme, facts))
        summary.append(SchemeSheet(scheme))
        details = [cls(pairings, year, as_of) for cls in DETAIL_SHEETS]
        sheets = summary + details
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        # XlsxWriter creates the file only when the workbook is closed (the rows wait in anonymous
        # temporary files): a worker killed while writing sheets leaves nothing beside the export.
        temp = dest.parent / f".assessment-{secrets.token_hex(8)}.xlsx.part"
        try:
            workbook = new_workbook(
                temp,
                title=title,
                creator=creator or str(_("山海协作工作台")),
                subject=_("%(year)d 年度考核") % {"year": year},
                description=_("考核方案：%(scheme)s；统计截至 %(date)s")
                % {"scheme": scheme.name, "date": as_of.isoformat()},
            )
            # The sheets in their order first; they are filled in turns (each one's rows in order).
            official = workbook.add_worksheet(str(_("考核情况表")))
            writers = [SheetWriter(workbook, sheet, f"{line} · {sheet.title}") for sheet in sheets]
            by_sheet = dict(zip(sheets, writers, strict=True))
            # One pass over the pairings, a chunk at a time: the chunk's year is read once and feeds
            # the scores and every detail sheet, so memory holds one chunk whatever the province.
            chunks = pairing_chunks(pairings)
            chunked = [sheet for sheet in details if isinstance(sheet, PairingExporter) and sheet.chunked]
            for number, chunk_pairings in enumerate(chunks, start=1):
                chunk = Chunk(chunk_pairings, year, as_of)
                collect_chunk(chunk, facts)
                for sheet in chunked:
                    for row in sheet.chunk_rows(chunk):
                        by_sheet[sheet].add(row)
                del chunk
                report(
                    5 + int(75 * number / len(chunks)),
                    _("已处理 %(done)d / %(total)d 个结对")
                    % {"done": sum(map(len, chunks[:number])), "total": len(pairings)},
                )
            for sheet in details:
                if sheet not in chunked:
                    for row in sheet.rows():
                        by_sheet[sheet].add(row)
            collect_adjustments(pairings, year, scheme, facts)
            write_official(
                workbook, pairings, scheme, facts, year, as_of, today or timezone.localdate(), official
            )
            for sheet in summary:
                for row in sheet.rows():
                    by_sheet[sheet].add(row)
            for index, sheet in enumerate(sheets, start=1):
                by_sheet[sheet].close()
                report(
                    80 + int(10 * index / len(sheets)), _("已生成工作表“%(name)s”") % {"name": sheet.title}
                )
            workbook.close()
            os.replace(temp, dest)  # atomic on one file system: the file appears complete or not at all
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        report(100, _("已完成"))
    return dest


def export_file_path(export) -> str:
    """Where an export's finished file lives, relative to MEDIA_ROOT (ASCII; the download keeps a Chinese name)."""
    return f"assessments/{export.pk}/assessment-{export.year}-{export.pk}.xlsx"


def run_export(export_id: int) -> str:
    """Run one export job: claim it, build the workbook with progress on the row, and record the result.

    Safe to run twice (Celery delivers at least once): a finished job is left alone, and a job
    re-delivered after a worker died is simply built again into the same place. Returns the status.
    """
    from django.conf import settings

    from assessment.models import AssessmentExport

    Status = AssessmentExport.Status
    claimed = AssessmentExport.objects.filter(
        pk=export_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, percent=1, message=str(_("开始生成…")), heartbeat_at=timezone.now())
    if claimed != 1:
        return AssessmentExport.objects.filter(pk=export_id).values_list("status", flat=True).first() or ""
    export = AssessmentExport.objects.select_related("requested_by").get(pk=export_id)
    user = export.requested_by
    visible = Pairing.objects.visible_to(user)
    # The user's scope at run time: a pairing he lost access to since asking is not exported.
    pairings = visible if export.all_pairings else visible.filter(pk__in=export.pairings.values("pk"))

    def progress(percent: int, message: str) -> None:
        # Never above 99 before the row says done, so the page shows the link only with the file.
        # Each step is also the job's heartbeat (see assessment.tasks.requeue_exports).
        AssessmentExport.objects.filter(pk=export_id, status=Status.RUNNING).update(
            percent=min(percent, 99), message=str(message)[:300], heartbeat_at=timezone.now()
        )

    relative = export_file_path(export)
    try:
        with translation.override("zh-hans"):
            if not pairings.exists():
                raise ValueError(_("没有可导出的结对。"))
            build(
                export.year,
                list(pairings),
                progress,
                dest=Path(settings.MEDIA_ROOT) / relative,
                creator=str(user),
            )
            file_name = _("%(year)d年度山海协作考核表.xlsx") % {"year": export.year}
    except Exception as error:  # recorded on the row for the user; the job itself ends
        AssessmentExport.objects.filter(pk=export_id).update(
            status=Status.FAILED,
            message=(_("生成失败：%(error)s") % {"error": error})[:300],
            finished=timezone.now(),
        )
        if not isinstance(error, ValueError):
            logger.exception("assessment export %s failed", export_id)
        return Status.FAILED
    AssessmentExport.objects.filter(pk=export_id).update(
        status=Status.DONE,
        percent=100,
        message=str(_("已完成")),
        file_path=relative,
        file_name=file_name,
        finished=timezone.now(),
    )
    return Status.DONE


# --- The scheme page (superusers) --------------------------------------------------------------


def save_scheme(scheme_form, formsets) -> bool:
    """Save a scheme and its sections, items and grade bands together, or nothing: returns False
    (and saves nothing) when any form has an error."""
    from django.db import transaction

    if not (scheme_form.is_valid() and all(f.is_valid() for f in formsets)):
        return False
    with transaction.atomic():
        scheme_form.save()
        for formset in formsets:
            formset.save()
    return True


def copy_scheme(scheme, *, year: int, name: str):
    """A new scheme for `year` only, copied from `scheme`: its sections, bonus and deduction items
    and grade bands (the entries of a year stay with that year's scheme)."""
    from django.db import transaction

    from assessment.models import AssessmentScheme

    with transaction.atomic():
        copy = AssessmentScheme.objects.create(
            name=name,
            year_from=year,
            year_to=year,
            notes=_("复制自“%(name)s”。") % {"name": scheme.name}
            + (f"\n{scheme.notes}" if scheme.notes else ""),
        )
        for section in scheme.sections.all():
            section.pk = None
            section.scheme = copy
            section.save()
        for item in scheme.adjustments.all():
            item.pk = None
            item.scheme = copy
            item.save()
        for band in scheme.grades.all():
            band.pk = None
            band.scheme = copy
            band.save()
    return copy
