from django.urls import path

from healthtrainer.referrals import views

app_name = "referrals"

P = "p/<slug:programme_slug>/"

urlpatterns = [
    path(f"{P}refer/", views.practice_home, name="practice_home"),
    path(f"{P}refer/referrals/", views.own_practice_referrals, name="own_practice_referrals"),
    path(
        f"{P}practices/<int:practice_id>/referrals/",
        views.practice_referrals,
        name="practice_referrals",
    ),
    path(f"{P}practices/<int:practice_id>/referrals/new/", views.refer, name="refer"),
    path(f"{P}referrals/new/", views.record, name="record"),
    path(f"{P}triage/", views.triage, name="triage"),
    path(f"{P}referrals/<int:referral_id>/", views.detail, name="detail"),
    path(f"{P}referrals/<int:referral_id>/contact/", views.contact, name="contact"),
    path(f"{P}referrals/<int:referral_id>/accept/", views.accept, name="accept"),
    path(f"{P}referrals/<int:referral_id>/close/", views.close, name="close"),
]
