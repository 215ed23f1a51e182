from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from healthtrainer.accounts.roles import Role
from healthtrainer.clients.models import Client
from healthtrainer.core.models import AuditEvent
from healthtrainer.demo.deprivation import load_demo_deprivation
from healthtrainer.deprivation.lookup import deprivation_for_postcode, local_quintile
from healthtrainer.deprivation.words import FIFTHS
from healthtrainer.referrals.models import Referral
from healthtrainer.referrals.triage import Status
from healthtrainer.referrals.views import TRIAGE_PAGE_SIZE
from healthtrainer.tests.factories import MembershipFactory, PracticeFactory, ReferralFactory


def referral_form(**changes):
    data = {
        "given_name": "Ada",
        "family_name": "Lovelace",
        "nhs_number": "943 476 5919",
        "date_of_birth[day]": "27",
        "date_of_birth[month]": "3",
        "date_of_birth[year]": "1960",
        "sex": "female",
        "postcode": "s1 2he",
        "pain_duration_months": "24",
        "pain_sites": "lower back",
        "consent_given": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def practice(world):
    return world.people[Role.REFERRER].memberships.get().organisation


@pytest.fixture
def referrer(world, client_as):
    return client_as(Role.REFERRER)


def refer_url(world, practice):
    return reverse("referrals:refer", args=[world.programme.slug, practice.pk])


def test_a_referrer_sends_a_referral_for_their_own_practice(world, practice, referrer):
    response = referrer.post(refer_url(world, practice), referral_form())
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.practice, referral.nhs_number, referral.postcode) == (
        practice,
        "9434765919",
        "S1 2HE",
    )
    assert referral.referred_by == world.people[Role.REFERRER]
    listing = referrer.get(response.url).content.decode()
    assert referral.reference in listing
    assert "Received" in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "This is not a valid NHS number"),
        ({"nhs_number": "12345"}, "Enter an NHS number of 10 digits"),
        ({"date_of_birth[year]": str(date.today().year + 1)}, "must be today or in the past"),
        ({"date_of_birth[year]": "1890"}, "older than 120"),
        ({"date_of_birth[month]": "13"}, "must be a real date"),
        ({"date_of_birth[day]": ""}, "must include a day"),
        ({"pain_duration_months": "-3"}, "cannot be negative"),
        ({"postcode": "S1"}, "Enter a full UK postcode"),
        ({"given_name": ""}, "Enter the first name"),
        ({"consent_given": None}, "Confirm that the patient has agreed"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(
    world, practice, referrer, changes, message
):
    response = referrer.post(refer_url(world, practice), referral_form(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'value="Lovelace"' in page
    assert not Referral.objects.exists()


def test_an_unknown_but_well_formed_postcode_is_accepted(world, practice, referrer):
    referrer.post(refer_url(world, practice), referral_form(postcode="ZZ9 9ZZ"))
    referral = Referral.objects.get()
    assert (referral.postcode, referral.imd_decile) == ("ZZ9 9ZZ", None)


def test_a_referrer_cannot_refer_or_look_for_another_practice(world, referrer):
    other_practice = PracticeFactory(programme=world.programme)
    assert referrer.post(refer_url(world, other_practice), referral_form()).status_code == 404
    listing = reverse(
        "referrals:practice_referrals", args=[world.programme.slug, other_practice.pk]
    )
    assert referrer.get(listing).status_code == 404
    assert not Referral.objects.exists()


def test_a_referrer_sees_only_their_own_practices_referrals(world, practice, client_as):
    ours = ReferralFactory(practice=practice, given_name="Ours")
    ReferralFactory(practice=PracticeFactory(programme=world.programme), given_name="Theirs")
    page = client_as(Role.REFERRER).get(
        reverse("referrals:practice_referrals", args=[world.programme.slug, practice.pk])
    )
    text = page.content.decode()
    assert ours.reference in text
    assert "Theirs" not in text


def test_a_referrer_cannot_open_a_referral_in_triage(world, practice, client_as):
    referral = ReferralFactory(practice=practice)
    url = reverse("referrals:detail", args=[world.programme.slug, referral.pk])
    assert client_as(Role.REFERRER).get(url).status_code == 403


def test_the_triage_queue_lists_open_referrals_oldest_first(world, practice, client_as):
    today = timezone.localdate()
    newer = ReferralFactory(practice=practice, received_date=today - timedelta(days=2))
    older = ReferralFactory(practice=practice, received_date=today - timedelta(days=9))
    ReferralFactory(practice=practice, status=Status.DECLINED, given_name="Closed")
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("referrals:triage", args=[world.programme.slug])
    )
    text = page.content.decode()
    assert text.index(older.reference) < text.index(newer.reference)
    assert "Closed" not in text
    assert "2 referrals waiting" in text


def test_a_long_triage_queue_comes_in_pages_of_the_oldest_first(world, practice, client_as):
    today = timezone.localdate()
    for days in range(TRIAGE_PAGE_SIZE + 3):
        ReferralFactory(practice=practice, received_date=today - timedelta(days=days + 1))
    manager = client_as(Role.PROGRAMME_MANAGER)
    url = reverse("referrals:triage", args=[world.programme.slug])
    first = manager.get(url).content.decode()
    assert f"{TRIAGE_PAGE_SIZE + 3} referrals waiting, 1 to {TRIAGE_PAGE_SIZE} shown" in first
    assert (today - timedelta(days=TRIAGE_PAGE_SIZE + 3)).strftime("%d %b %Y") in first
    assert (today - timedelta(days=1)).strftime("%d %b %Y") not in first
    second = manager.get(url + "?page=2").content.decode()
    assert (today - timedelta(days=1)).strftime("%d %b %Y") in second


def test_staff_record_a_self_referral_without_a_practice(world, client_as):
    manager = client_as(Role.PROGRAMME_MANAGER)
    response = manager.post(
        reverse("referrals:record", args=[world.programme.slug]),
        referral_form(
            source="self",
            **{
                "received_date[day]": "1",
                "received_date[month]": "10",
                "received_date[year]": "2026",
            },
        ),
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.source, referral.practice, referral.received_date) == (
        "self",
        None,
        date(2026, 10, 1),
    )


def test_staff_must_name_the_practice_of_a_gp_referral(world, client_as):
    response = client_as(Role.PROGRAMME_MANAGER).post(
        reverse("referrals:record", args=[world.programme.slug]),
        referral_form(
            source="gp",
            **{
                "received_date[day]": "1",
                "received_date[month]": "10",
                "received_date[year]": "2026",
            },
        ),
    )
    assert "Select the GP practice that made the referral" in response.content.decode()


def test_triage_through_the_pages_ends_with_an_accepted_client(world, practice, client_as):
    manager = client_as(Role.PROGRAMME_MANAGER)
    referral = ReferralFactory(practice=practice, received_date=date(2026, 10, 1))
    slug = world.programme.slug
    manager.post(
        reverse("referrals:contact", args=[slug, referral.pk]),
        {
            "attempted_on[day]": "5",
            "attempted_on[month]": "10",
            "attempted_on[year]": "2026",
            "method": "phone",
            "outcome": "contacted",
        },
    )
    trainer = world.people[Role.HEALTH_TRAINER]
    accept_page = manager.get(reverse("referrals:accept", args=[slug, referral.pk]))
    assert trainer.full_name in accept_page.content.decode()
    response = manager.post(
        reverse("referrals:accept", args=[slug, referral.pk]),
        {"trainer": trainer.pk, "client": "new"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.days_to_first_contact) == (Status.ACCEPTED, 4)
    assert referral.client is not None


def test_an_illegal_transition_through_the_pages_is_refused_with_a_message(
    world, practice, client_as
):
    manager = client_as(Role.PROGRAMME_MANAGER)
    referral = ReferralFactory(practice=practice, status=Status.WITHDRAWN)
    response = manager.post(
        reverse("referrals:close", args=[world.programme.slug, referral.pk]),
        {"status": "declined", "reason": "Changed their mind"},
        follow=True,
    )
    assert "cannot become declined" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_a_contact_attempt_before_the_referral_arrived_is_refused(world, practice, client_as):
    referral = ReferralFactory(practice=practice, received_date=date(2026, 10, 10))
    response = client_as(Role.PROGRAMME_MANAGER).post(
        reverse("referrals:contact", args=[world.programme.slug, referral.pk]),
        {
            "attempted_on[day]": "1",
            "attempted_on[month]": "10",
            "attempted_on[year]": "2026",
            "method": "phone",
            "outcome": "no_answer",
        },
    )
    assert response.status_code == 400
    assert "cannot be before the referral was received" in response.content.decode()
    assert not referral.contact_attempts.exists()


def test_every_view_of_a_client_record_is_audited(world, client_as):
    client = Client.objects.create(
        programme=world.programme,
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=date(1960, 3, 27),
        sex="female",
    )
    ReferralFactory(
        practice=world.people[Role.REFERRER].memberships.get().organisation,
        client=client,
        status=Status.ACCEPTED,
        assigned_trainer=world.people[Role.HEALTH_TRAINER],
    )
    url = reverse("clients:detail", args=[world.programme.slug, client.pk])
    trainer = client_as(Role.HEALTH_TRAINER)
    trainer.get(url)
    trainer.get(url)
    events = AuditEvent.objects.filter(action="clients.client.viewed", object_id=str(client.pk))
    assert events.count() == 2
    assert set(events.values_list("actor", flat=True)) == {world.people[Role.HEALTH_TRAINER].pk}


def test_a_referrer_who_moves_practice_sees_the_new_practice_only(world, practice, client_as):
    membership = world.people[Role.REFERRER].memberships.get()
    new_practice = PracticeFactory(programme=world.programme)
    membership.organisation = new_practice
    membership.save()
    old = reverse("referrals:practice_referrals", args=[world.programme.slug, practice.pk])
    assert client_as(Role.REFERRER).get(old).status_code == 404


def test_a_referrer_in_one_programme_is_not_narrowed_in_another(world):
    user = world.people[Role.PROGRAMME_MANAGER]
    MembershipFactory(
        user=user,
        programme=world.other_programme,
        role=Role.REFERRER,
        organisation=PracticeFactory(programme=world.other_programme),
    )
    ReferralFactory(practice=PracticeFactory(programme=world.programme))
    fresh = type(user).objects.get(pk=user.pk)
    assert Referral.objects.visible_to(fresh, "referrals.triage").count() == 1


def test_the_referral_page_gives_national_and_local_deprivation(world, practice, client_as):
    load_demo_deprivation()
    world.programme.local_authority_code = "E08000019"
    world.programme.save()
    referral = ReferralFactory(practice=practice)
    found = deprivation_for_postcode("S2 1GS")
    referral.lsoa_code, referral.imd_decile, referral.imd_edition = (
        found.lsoa_code,
        found.imd_decile,
        found.edition,
    )
    referral.save()
    page = client_as(Role.PROGRAMME_MANAGER).get(
        reverse("referrals:detail", args=[world.programme.slug, referral.pk])
    )
    text = page.content.decode()
    summary, about = text.split("About this figure", 1)
    fifth = FIFTHS[found.national_quintile]
    year = found.edition.removeprefix("iod")
    assert f"{fifth} of areas in England (IMD {year} decile {found.imd_decile})" in summary
    expected_local = local_quintile(found.lsoa_code, "E08000019", found.edition)
    assert f"{FIFTHS[expected_local]} of areas in the programme&#39;s local authority" in summary
    assert "E08000019" not in summary
    assert found.lsoa_code not in summary
    assert f"national quintile {found.national_quintile} of 5" in about
    assert f"quintile {expected_local} of 5 within local authority E08000019" in about
    assert f"(LSOA) {found.lsoa_code}" in about


def test_refer_a_patient_in_the_header_opens_the_form_and_the_list_is_one_link_away(
    world, practice, referrer
):
    home = referrer.get(reverse("accounts:programme_home", args=[world.programme.slug]))
    refer_link = reverse("referrals:practice_home", args=[world.programme.slug])
    assert f'href="{refer_link}"' in home.content.decode()
    form = referrer.get(refer_link, follow=True)
    assert form.redirect_chain[-1][0] == refer_url(world, practice)
    assert 'name="nhs_number"' in form.content.decode()
    listing = referrer.get(
        reverse("referrals:own_practice_referrals", args=[world.programme.slug]), follow=True
    )
    assert listing.redirect_chain[-1][0] == reverse(
        "referrals:practice_referrals", args=[world.programme.slug, practice.pk]
    )
