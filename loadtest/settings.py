"""Settings of the load run: the production settings (DEBUG=0 from the environment), except one thing.

Static files are named without the manifest: with it, every run would first need `collectstatic`,
which compresses ~40 MB of vendored files (over three minutes on two busy cores). The scenario
requests pages, not static files, and `{% static %}` costs a dictionary lookup either way.
"""

from shanhai.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
