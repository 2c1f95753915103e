from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from cooperation import views as cooperation_views
from core.api.auth import ObtainTokenView
from core.discovery import app_modules

admin.site.site_header = _("山海协作工作台 · 管理后台")
admin.site.site_title = _("山海协作工作台")
admin.site.index_title = _("数据管理")

# Each project app contributes its pages (`<app>/urls.py`) and its API (`<app>/api/urls.py`).
page_patterns = [path("", include(module.__name__)) for module in app_modules("urls")]
api_patterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    *[path("", include(module.__name__)) for module in app_modules("api.urls")],
]
# Sections of an app with URL names of their own (namespaces "rounds", "plans", "task_import").
section_patterns = [
    path("", include("reminders.round_urls")),
    path("", include("tasks.importing.plan_urls")),
    path("", include("tasks.importing.table_urls")),
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
    *section_patterns,
]
