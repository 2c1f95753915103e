import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shanhai.settings")
application = get_wsgi_application()

# The app is loaded: keep the garbage collector's full passes off it (core/runtime.py).
from core.runtime import tune_gc  # noqa: E402

tune_gc()
