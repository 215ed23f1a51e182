"""The triage queue narrowed by name or referral ID, status and practice: as a plain page
without JavaScript, and as results alone when htmx asks to update them in place."""

import pytest
from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.referrals.triage import Status
from healthtrainer.tests.factories import PracticeFactory, ReferralFactory


@pytest.fixture
def queue(world):
    practice = PracticeFactory(programme=world.programme, name="High Street Surgery")
    other = PracticeFactory(programme=world.programme, name="Other Street Surgery")
    return {
        "ada": ReferralFactory(practice=practice, given_name="Ada", family_name="Lovelace"),
        "alan": ReferralFactory(
            practice=other,
            given_name="Alan",
            family_name="Turing",
            status=Status.CONTACT_ATTEMPTED,
        ),
        "grace": ReferralFactory(practice=practice, given_name="Grace", family_name="Hopper"),
        "closed": ReferralFactory(
            practice=practice, given_name="Adam", family_name="Closed", status=Status.DECLINED
        ),
        "other_practice": other,
    }


def shown(client, **params):
    page = client.get(reverse("referrals:triage", args=["home-programme"]), params)
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def manager(client_as):
    return client_as(Role.PROGRAMME_MANAGER)


def test_a_name_narrows_the_queue_to_waiting_referrals_that_match(manager, queue):
    page = shown(manager, q="ada")
    assert "Ada Lovelace" in page
    assert "Alan Turing" not in page
    assert "Grace Hopper" not in page
    assert "Adam Closed" not in page  # closed referrals are never in the queue
    assert "1 referral match the filters" in page


def test_every_word_must_match_and_a_referral_id_matches_too(manager, queue):
    assert "Ada Lovelace" in shown(manager, q="ada love")
    assert "Ada Lovelace" not in shown(manager, q="ada hopper")
    page = shown(manager, q=queue["grace"].reference)
    assert "Grace Hopper" in page
    assert "Ada Lovelace" not in page


def test_status_and_practice_narrow_it(manager, queue):
    page = shown(manager, status=Status.CONTACT_ATTEMPTED)
    assert "Alan Turing" in page
    assert "Ada Lovelace" not in page
    page = shown(manager, practice=queue["other_practice"].pk)
    assert "Alan Turing" in page
    assert "Grace Hopper" not in page


def test_a_bad_value_is_shown_and_the_rest_of_the_filters_still_apply(manager, queue, world):
    page = shown(manager, q="grace", practice="99999999999999999999999")
    assert "Select a valid choice" in page
    assert "Grace Hopper" in page
    assert "Ada Lovelace" not in page


def test_a_practice_of_another_programme_is_not_a_choice(manager, queue, world):
    elsewhere = PracticeFactory(programme=world.other_programme)
    page = shown(manager, practice=elsewhere.pk)
    assert "Select a valid choice" in page


def test_without_filters_the_whole_queue_shows_with_the_filter_form(manager, queue):
    page = shown(manager)
    assert all(name in page for name in ("Ada Lovelace", "Alan Turing", "Grace Hopper"))
    assert "3 referrals waiting" in page
    assert 'role="search"' in page
    assert ">Filter<" in page.replace("\n", "").replace(" ", "")


def test_htmx_gets_the_results_alone_with_their_count_for_screen_readers(manager, queue):
    page = manager.get(
        reverse("referrals:triage", args=["home-programme"]),
        {"q": "turing"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in page
    assert "Alan Turing" in page
    assert "Ada Lovelace" not in page
    assert 'hx-swap-oob="true"' in page
    assert "1 referral match the filters" in page


def test_a_history_restore_gets_the_whole_page(manager, queue):
    page = manager.get(
        reverse("referrals:triage", args=["home-programme"]),
        {"q": "turing"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    ).content.decode()
    assert "<html" in page
    assert "Alan Turing" in page


def test_the_next_page_keeps_the_filters(manager, world):
    practice = PracticeFactory(programme=world.programme)
    for _ in range(51):
        ReferralFactory(practice=practice, family_name="Many")
    page = shown(manager, q="many")
    assert "?q=many&amp;page=2" in page
