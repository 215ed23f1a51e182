from django.urls import path

from healthtrainer.companion import (
    diary_views,
    language_views,
    pacing_views,
    pwa_views,
    setback_views,
    staff_views,
    views,
    your_data_views,
)

app_name = "companion"

urlpatterns = [
    path("my/", views.home, name="home"),
    path("my/manifest.webmanifest", pwa_views.manifest, name="manifest"),
    path("my/service-worker.js", pwa_views.service_worker, name="service_worker"),
    path("my/sign-in/", views.sign_in, name="sign_in"),
    path("my/language/<slug:language>/", language_views.language, name="language"),
    path("my/sign-in/code/", views.code, name="code"),
    path("my/appointment.ics", views.appointment_calendar, name="appointment_calendar"),
    path("my/devices/", views.devices, name="devices"),
    path("my/diary/", diary_views.diary, name="diary"),
    path("my/diary/new/", diary_views.diary_new, name="diary_new"),
    path("my/diary/<int:entry_id>/", diary_views.diary_entry, name="diary_entry"),
    path("my/goals/<int:goal_id>/check-in", views.goal_check_in, name="goal_check_in"),
    path(
        "my/strategies/<int:strategy_id>/check-in",
        views.strategy_check_in,
        name="strategy_check_in",
    ),
    path(
        "my/questionnaires/<slug:code>/<slug:timepoint>/",
        views.questionnaire_start,
        name="questionnaire_start",
    ),
    path("my/pacing/", pacing_views.pacing, name="pacing"),
    path("my/setback-plan/", setback_views.client_setback_plan, name="setback_plan"),
    path("my/sign-out/", views.sign_out, name="sign_out"),
    path("my/your-record/", your_data_views.your_data, name="your_data"),
    path(
        "my/your-record.<slug:fmt>",
        your_data_views.your_data_download,
        name="your_data_download",
    ),
    path(
        "p/<slug:programme_slug>/episodes/<int:episode_id>/companion/",
        staff_views.companion,
        name="episode",
    ),
    path(
        "p/<slug:programme_slug>/episodes/<int:episode_id>/setback-plan/",
        setback_views.staff_setback_plan,
        name="staff_setback_plan",
    ),
    path(
        "p/<slug:programme_slug>/episodes/<int:episode_id>/companion/summary.pdf",
        staff_views.companion_summary,
        name="episode_summary",
    ),
    path(
        "p/<slug:programme_slug>/episodes/<int:episode_id>/companion/check-ins",
        staff_views.companion_check_ins,
        name="episode_check_ins",
    ),
    path(
        "p/<slug:programme_slug>/episodes/<int:episode_id>/companion/end",
        staff_views.companion_end,
        name="episode_end",
    ),
]
