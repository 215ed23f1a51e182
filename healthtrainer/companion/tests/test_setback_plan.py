"""The setback plan: written by the client or their trainer, each seeing the other's
change, neither overwriting it unseen."""

from django.urls import reverse

from healthtrainer.accounts.roles import Role
from healthtrainer.companion.models import SetbackPlan
from healthtrainer.companion.setback import SetbackDetails, setback_plan_save
from healthtrainer.core.models import AuditEvent

PLAN = {
    "early_signs": "Aching hips after a bad night",
    "what_helps": "Heat pad, short walks, put off the big shop",
    "who_to_contact": "My sister Jo; the health trainer",
}


def test_the_client_writes_their_plan_and_sees_it_on_their_plan_page(signed_in, episode):
    signed_in.post(reverse("companion:setback_plan"), {**PLAN, "version": 0})
    plan = SetbackPlan.objects.get(episode=episode)
    assert (plan.what_helps, plan.version, plan.updated_by) == (PLAN["what_helps"], 1, None)
    home = signed_in.get(reverse("companion:home")).content.decode()
    assert "Heat pad, short walks" in home
    event = AuditEvent.objects.get(action="companion.setback_plan.saved")
    assert event.client_actor_id == episode.client_id
    assert event.changed_fields == ["early_signs", "what_helps", "who_to_contact"]


def test_the_trainer_changes_it_and_the_client_s_stale_save_is_refused(
    signed_in, episode, client_as, world
):
    signed_in.post(reverse("companion:setback_plan"), {**PLAN, "version": 0})
    trainer = client_as(Role.HEALTH_TRAINER)
    url = reverse("companion:staff_setback_plan", args=[world.programme.slug, episode.pk])
    assert "Aching hips" in trainer.get(url).content.decode()
    trainer.post(url, {**PLAN, "what_helps": "Pacing the day", "version": 1})
    stale = signed_in.post(
        reverse("companion:setback_plan"), {**PLAN, "who_to_contact": "Jo", "version": 1}
    )
    page = stale.content.decode()
    assert "changed by someone else" in page
    assert "Pacing the day" in page
    plan = SetbackPlan.objects.get()
    assert (plan.what_helps, plan.who_to_contact, plan.version) == (
        "Pacing the day",
        PLAN["who_to_contact"],
        2,
    )
    assert plan.updated_by == world.people[Role.HEALTH_TRAINER]


def test_an_empty_plan_invites_the_client_to_write_one(signed_in):
    assert "Write your setback plan" in signed_in.get(reverse("companion:home")).content.decode()


def test_saving_twice_from_the_same_page_changes_nothing_the_second_time(episode, world):
    details = SetbackDetails(**PLAN)
    trainer = world.people[Role.HEALTH_TRAINER]
    setback_plan_save(episode=episode, details=details, expected_version=0, actor=trainer)
    again = setback_plan_save(episode=episode, details=details, expected_version=1, actor=trainer)
    assert again.version == 2
    latest = AuditEvent.objects.filter(action="companion.setback_plan.saved").first()
    assert latest.changed_fields == []
