from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from cooperation import views as cooperation_views
from cooperation.api.auth import ObtainTokenView

admin.site.site_header = _("山海协作工作台 · 管理后台")
admin.site.site_title = _("山海协作工作台")
admin.site.index_title = _("数据管理")

PROJECT_APPS = ["cooperation", "tasks", "funds", "parks", "reports", "reminders"]


def _module_exists(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# Each project app contributes its pages (`<app>/urls.py`) and its API (`<app>/api/urls.py`).
page_patterns = [path("", include(f"{app}.urls")) for app in PROJECT_APPS if _module_exists(f"{app}.urls")]
api_patterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *[path("", include(f"{app}.api.urls")) for app in PROJECT_APPS if _module_exists(f"{app}.api.urls")],
]

urlpatterns = [
    path("", cooperation_views.home, name="home"),
    path("healthz", cooperation_views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    # The API's description names every endpoint and field: for signed-in users only, like the API
    # (session or token); the docs page sends anonymous visitors to the login page.
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path(
        "api/docs/",
        login_required(
            SpectacularSwaggerView.as_view(url_name="schema", permission_classes=[IsAuthenticated])
        ),
        name="api-docs",
    ),
    *page_patterns,
    path("", include("reminders.round_urls")),
    path("", include("reports.plan_urls")),
    path("", include("reports.assessment_urls")),
    *[path("", include(m)) for m in ("reports.task_import_urls",) if _module_exists(m)],
]
