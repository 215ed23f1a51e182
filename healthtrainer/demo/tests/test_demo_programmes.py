from django.core.management import call_command

from healthtrainer.accounts.models import Membership, User
from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.core.models import AuditEvent
from healthtrainer.demo.programmes import DEMO_PASSWORD, load_demo
from healthtrainer.programmes.models import Organisation, Programme


def counts():
    return [
        model.objects.count() for model in (Programme, Organisation, User, Membership, AuditEvent)
    ]


def test_loading_the_demo_twice_changes_nothing(db):
    load_demo()
    first = counts()
    hashes = dict(User.objects.values_list("email", "password"))

    load_demo()

    assert counts() == first
    assert dict(User.objects.values_list("email", "password")) == hashes


def test_the_demo_has_one_person_per_role(db):
    people = load_demo()
    roles = {person.role for person in people}
    assert roles == {*Role.values, ADMINISTRATOR}
    for person in people:
        assert User.objects.get(email=person.email).check_password(DEMO_PASSWORD)
    assert Membership.objects.get(user__email="gp@example.com").organisation.is_gp_practice


def test_the_demo_command_prints_the_sign_in_details(db, settings, capsys):
    settings.DEMO_MODE = True
    call_command("load_demo")
    output = capsys.readouterr().out
    assert "trainer@example.com" in output
    assert DEMO_PASSWORD in output
