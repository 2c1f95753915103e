"""Django's makemessages, also reading the project's short names for gettext_lazy (`_l`, `_lazy`).

xgettext only knows the names it is told: strings marked `_l("得分")` or `_lazy("全部")` were never
extracted, so the English pages and workbooks showed them in Chinese.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=_lazy"]
