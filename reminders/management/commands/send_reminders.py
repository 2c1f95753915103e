"""`python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]` — the daily sweep, for cron-only sites."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from cooperation.models import User
from reminders import delivery, engine


class Command(BaseCommand):
    help = "生成并发送到期提醒（与每天 08:30 的定时任务相同）；--dry-run 只列出将发送的内容"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按哪一天计算，默认今天（YYYY-MM-DD）")
        parser.add_argument(
            "--dry-run", action="store_true", help="只打印每位收件人将收到的提醒，不做任何修改"
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from None
        with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
            result = engine.sweep(day, dry_run=dry_run)
            if dry_run:
                self._print_plan(day, result.planned)
                return
            sent = delivery.deliver()
        self.stdout.write(
            f"{day}: 记录提醒 {result.recorded} 条，站内通知 {result.notifications} 条，"
            f"邮件 {result.emails} 封待发，Webhook {result.webhooks} 个待发；"
            f"已发送 {sent['sent']}，待重试 {sent['retry']}，失败 {sent['failed']}"
        )

    def _print_plan(self, day, planned):
        by_user = defaultdict(dict)
        for p in planned:
            by_user[p.recipient_id].setdefault(p.item.key, p)
        users = {u.pk: u for u in User.objects.filter(pk__in=by_user).select_related("unit")}
        self.stdout.write(f"{day} 将发送的提醒（演练，未做任何修改）：")
        for user_id, entries in sorted(by_user.items(), key=lambda kv: users[kv[0]].username):
            user = users[user_id]
            self.stdout.write(f"\n{user.username}（{user}，{user.unit or '—'}）")
            for p in sorted(entries.values(), key=lambda p: p.item.due):
                self.stdout.write(f"  - {p.item.summary}（{engine.offset_label(p.offset, p.item.due)}）")
        if not planned:
            self.stdout.write("  （无）")
