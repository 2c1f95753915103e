from django.urls import path

from reminders import urging_views, views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.notification_list, name="notification_list"),
    path("reminders/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("reminders/read-all/", views.notification_read_all, name="notification_read_all"),
    path("reminders/preferences/", views.preferences, name="preferences"),
    path("reminders/log/", views.reminder_log, name="log"),
    path("reminders/notices/", views.notice_list, name="notice_list"),
    path("reminders/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("reminders/notices/<int:pk>/evidence/", views.notice_evidence, name="notice_evidence"),
    path("reminders/overdue/", urging_views.overdue_list, name="overdue_list"),
    path("reminders/urge/<str:key>/", urging_views.urge_item, name="urge"),
    path("pairings/<int:pairing_pk>/reminder-policy/", views.policy_edit, name="policy_edit"),
]
