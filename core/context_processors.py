"""The navigation frame: each app adds its entry in settings order once it has pages."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (url name, label). An entry whose URL does not exist yet is left out, so an app can
# land its pages without touching this list's neighbours.
NAV = [
    ("cooperation:pairing_list", _("结对关系")),
    ("tasks:task_list", _("任务")),
    ("funds:fund_list", _("资金")),
    ("parks:park_list", _("园区与项目")),
    ("dashboards:dashboard", _("报表与考核")),
    ("assessment:export_form", _("年度考核")),
    ("indicators:indicator_list", _("发展指标")),
    ("cooperation:document_list", _("政策文件")),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    current = request.path
    for name, label in NAV:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": current.startswith(url)})
    return {"nav_items": items}
