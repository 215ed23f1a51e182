from django.urls import path

from healthtrainer.accounts.views import (
    access_review,
    audit,
    home,
    password,
    people,
    sign_in,
    site_accounts,
)

app_name = "accounts"

urlpatterns = [
    path("", home.home, name="home"),
    path("sign-in/", sign_in.sign_in, name="sign_in"),
    path("sign-in/two-factor/", sign_in.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/", sign_in.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", sign_in.sign_out, name="sign_out"),
    path("password/reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/password/", password.PasswordChangeView.as_view(), name="password_change"),
    path("programmes/", home.choose_programme, name="choose_programme"),
    path("audit/", audit.site_audit, name="site_audit"),
    path("accounts/", site_accounts.accounts, name="accounts"),
    path("accounts/<int:user_id>/deactivate/", site_accounts.deactivate, name="deactivate"),
    path("invitations/<str:token>/", people.accept_invitation, name="accept_invitation"),
    path("p/<slug:programme_slug>/", home.programme_home, name="programme_home"),
    path("p/<slug:programme_slug>/people/", people.people, name="people"),
    path("p/<slug:programme_slug>/people/invite/", people.invite, name="invite"),
    path(
        "p/<slug:programme_slug>/people/<int:membership_id>/",
        people.membership_detail,
        name="membership",
    ),
    path(
        "p/<slug:programme_slug>/people/<int:membership_id>/access/",
        people.membership_set_active,
        name="membership_set_active",
    ),
    path(
        "p/<slug:programme_slug>/people/<int:membership_id>/two-factor/reset/",
        people.two_factor_reset,
        name="two_factor_reset",
    ),
    path(
        "p/<slug:programme_slug>/invitations/<int:invitation_id>/withdraw/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "p/<slug:programme_slug>/access-review/",
        access_review.access_review,
        name="access_review",
    ),
    path("p/<slug:programme_slug>/audit/", audit.programme_audit, name="audit"),
]
