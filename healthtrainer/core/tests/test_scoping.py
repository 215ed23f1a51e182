import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from healthtrainer.accounts.models import Membership
from healthtrainer.accounts.roles import ADMINISTRATOR, Permission, Role
from healthtrainer.conftest import OUTSIDER
from healthtrainer.core.scoping import get_for_user_or_404
from healthtrainer.programmes.models import Organisation, Programme
from healthtrainer.tests.factories import MembershipFactory, OrganisationFactory


def test_a_member_reaches_their_programmes_objects(world):
    organisation = OrganisationFactory(programme=world.programme)
    found = get_for_user_or_404(
        Organisation.objects.all(),
        world.people[Role.PROGRAMME_MANAGER],
        Permission.MANAGE_PROGRAMME,
        pk=organisation.pk,
    )
    assert found == organisation


def test_another_programmes_object_is_not_found(world):
    theirs = OrganisationFactory(programme=world.other_programme)
    with pytest.raises(Http404):
        get_for_user_or_404(
            Organisation.objects.all(),
            world.people[Role.PROGRAMME_MANAGER],
            Permission.MANAGE_PROGRAMME,
            pk=theirs.pk,
        )


def test_a_role_without_the_permission_reaches_nothing(world):
    organisation = OrganisationFactory(programme=world.programme)
    with pytest.raises(Http404):
        get_for_user_or_404(
            Organisation.objects.all(),
            world.people[Role.HEALTH_TRAINER],
            Permission.MANAGE_PROGRAMME,
            pk=organisation.pk,
        )


def test_a_removed_membership_reaches_nothing(world):
    manager = world.people[Role.PROGRAMME_MANAGER]
    Membership.objects.filter(user=manager).update(is_active=False)
    manager.refresh_from_db()
    assert not Programme.objects.visible_to(manager, Permission.VIEW_PROGRAMME).exists()


def test_the_administrator_reaches_every_programme(world):
    visible = Programme.objects.visible_to(world.people[ADMINISTRATOR], Permission.VIEW_PROGRAMME)
    assert set(visible) == {world.programme, world.other_programme}


def test_anonymous_visitors_reach_nothing(world):
    assert not Programme.objects.visible_to(AnonymousUser(), Permission.VIEW_PROGRAMME).exists()


def test_a_person_with_two_programmes_has_the_role_of_each(world):
    outsider = world.people[OUTSIDER]
    MembershipFactory(user=outsider, programme=world.programme, role=Role.EVALUATOR)
    outsider = type(outsider).objects.get(pk=outsider.pk)
    assert outsider.role_in(world.programme.pk) == Role.EVALUATOR
    assert outsider.role_in(world.other_programme.pk) == Role.PROGRAMME_MANAGER
    assert outsider.programme_ids_with(Permission.MANAGE_PEOPLE) == {world.other_programme.pk}


@pytest.mark.parametrize(
    ("url_name", "kind"),
    [("accounts:membership", "membership"), ("programmes:organisation", "organisation")],
)
def test_an_object_of_another_programme_is_not_found_even_under_ones_own_programme(
    world, client_as, url_name, kind
):
    if kind == "membership":
        theirs = MembershipFactory(programme=world.other_programme).pk
    else:
        theirs = OrganisationFactory(programme=world.other_programme).pk
    response = client_as(Role.PROGRAMME_MANAGER).get(
        reverse(url_name, args=[world.programme.slug, theirs])
    )
    assert response.status_code == 404
