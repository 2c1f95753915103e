"""The navigation frame: each app adds its entry in settings order once it has pages."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core.roles import is_viewer, liaison_or_superuser

# (url name, label, who sees it). An entry whose URL does not exist yet is left out, so an app can
# land its pages without touching this list's neighbours; an entry a role cannot use is not shown.
NAV = [
    ("dashboards:workbench", _("工作台")),
    ("tasks:my_tasks", _("我的任务")),
    ("cooperation:pairing_list", _("结对关系")),
    ("tasks:task_list", _("任务")),
    ("funds:fund_list", _("资金")),
    ("parks:park_list", _("园区与项目")),
    ("dashboards:dashboard", _("报表与考核")),
    ("assessment:export_form", _("年度考核"), "liaison_or_viewer"),
    ("indicators:indicator_list", _("发展指标")),
    ("cooperation:document_list", _("政策文件")),
]


def _may_see(user, who: str) -> bool:
    if who == "liaison_or_viewer":  # the assessment export: reporters get a 403 there
        return liaison_or_superuser(user) or is_viewer(user)
    return True


# The entries' URLs (None: not routed) by URLconf and script prefix: reversed once per process,
# not ten times on every page.
_nav_urls: dict[tuple, list[str | None]] = {}


def _urls() -> list[str | None]:
    from django.conf import settings
    from django.urls import get_script_prefix, get_urlconf

    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    urls = _nav_urls.get(key)
    if urls is None:
        urls = []
        for name, *_rest in NAV:
            try:
                urls.append(reverse(name))
            except NoReverseMatch:
                urls.append(None)
        _nav_urls[key] = urls
    return urls


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = request.path
    for (_name, label, *who), url in zip(NAV, _urls(), strict=True):
        if url is None or (who and not _may_see(request.user, who[0])):
            continue
        items.append({"url": url, "label": label, "active": False})
    # One entry is current: the longest URL the path starts with (我的任务 /tasks/mine/, not 任务 /tasks/).
    matching = [item for item in items if current.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
