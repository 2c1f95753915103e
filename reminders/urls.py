from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("reminders/", views.notification_list, name="notification_list"),
    path("reminders/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("reminders/read-all/", views.notification_read_all, name="notification_read_all"),
    path("reminders/preferences/", views.preferences, name="preferences"),
    path("reminders/log/", views.reminder_log, name="log"),
    path("reminders/notices/", views.notice_list, name="notice_list"),
    path("reminders/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("pairings/<int:pairing_pk>/reminder-policy/", views.policy_edit, name="policy_edit"),
]
