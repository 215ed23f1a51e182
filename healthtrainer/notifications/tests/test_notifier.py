import ast
import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from uuid import uuid4

import pytest
import requests
from django.core.management import call_command

from healthtrainer.notifications.models import OutboxMessage, OutboxReply
from healthtrainer.notifications.notifier import (
    GovUkNotifyNotifier,
    NotificationFailed,
    OutboxNotifier,
    get_notifier,
)

API_KEY = f"healthtrainer_test-{uuid4()}-{uuid4()}"
TEMPLATES = {
    "appointment_reminder": {"sms": str(uuid4()), "email": str(uuid4())},
    "follow_up_reminder": {"sms": str(uuid4()), "email": str(uuid4())},
}
PERSONALISATION = {"first_name": "Alex", "date": "Tuesday 3 November 2026", "time": "9am"}


class FakeNotifyApi:
    """Stands in for the network under the real Notify client: every request the client
    builds is recorded, and the answer is what GOV.UK Notify would send back."""

    def __init__(self, status=201, body=None, error=None):
        self.status = status
        self.body = body if body is not None else {"id": "6f1c1e2a-notify-id"}
        self.error = error
        self.requests = []

    def __call__(self, method, url, **kwargs):
        self.requests.append({"method": method, "url": url, **kwargs})
        if self.error is not None:
            raise self.error
        response = requests.Response()
        response.status_code = self.status
        response.url = url
        response.reason = "Created" if self.status < 400 else "Bad Request"
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(self.body).encode()
        return response

    def sent(self):
        (request,) = self.requests
        return request["method"], request["url"], json.loads(request["data"])


@pytest.fixture
def notify_api(monkeypatch):
    def install(**answer):
        api = FakeNotifyApi(**answer)
        monkeypatch.setattr(
            requests.Session,
            "request",
            lambda session, method, url, **kwargs: api(method, url, **kwargs),
        )
        return api

    return install


@pytest.mark.django_db
def test_the_outbox_stores_each_message_and_sends_nothing():
    outbox = OutboxNotifier()

    sms_id = outbox.send_sms(
        phone_number="07700900123",
        template="appointment_reminder",
        personalisation=PERSONALISATION,
        reference="reminder-1",
    )
    email_id = outbox.send_email(
        email_address="alex@example.com",
        template="follow_up_reminder",
        personalisation={"first_name": "Alex", "programme": "Home programme"},
        reference="reminder-2",
    )

    sms, email = OutboxMessage.objects.all()
    assert (sms.channel, sms.to, sms.template) == ("sms", "07700900123", "appointment_reminder")
    assert sms.personalisation == PERSONALISATION
    assert sms.reference == "reminder-1"
    assert (email.channel, email.to, email.template) == (
        "email",
        "alex@example.com",
        "follow_up_reminder",
    )
    assert sms_id == f"outbox-{sms.pk}"
    assert email_id == f"outbox-{email.pk}"


@pytest.mark.django_db
def test_the_outbox_refuses_a_template_the_settings_do_not_name():
    with pytest.raises(ValueError, match="appointment_remindr"):
        OutboxNotifier().send_sms(
            phone_number="07700900123",
            template="appointment_remindr",
            personalisation={},
            reference="reminder-1",
        )
    assert not OutboxMessage.objects.exists()


def test_govuk_notify_sends_a_text_message_with_the_mapped_template(notify_api):
    api = notify_api(body={"id": "740e5834-3a29-46b4-9a6f-16142fde533a"})
    notifier = GovUkNotifyNotifier(api_key=API_KEY, templates=TEMPLATES)

    provider_id = notifier.send_sms(
        phone_number="07700900123",
        template="appointment_reminder",
        personalisation=PERSONALISATION,
        reference="reminder-7",
    )

    assert provider_id == "740e5834-3a29-46b4-9a6f-16142fde533a"
    method, url, body = api.sent()
    assert method == "POST"
    assert url.endswith("/v2/notifications/sms")
    assert body == {
        "phone_number": "07700900123",
        "template_id": TEMPLATES["appointment_reminder"]["sms"],
        "personalisation": PERSONALISATION,
        "reference": "reminder-7",
    }
    assert api.requests[0]["headers"]["Authorization"].startswith("Bearer ")


def test_govuk_notify_sends_an_email_with_the_mapped_template(notify_api):
    api = notify_api(body={"id": "1b9a5c1e-0000-4000-8000-000000000001"})
    notifier = GovUkNotifyNotifier(api_key=API_KEY, templates=TEMPLATES)

    provider_id = notifier.send_email(
        email_address="alex@example.com",
        template="follow_up_reminder",
        personalisation={"first_name": "Alex", "programme": "Home programme"},
        reference="reminder-8",
    )

    assert provider_id == "1b9a5c1e-0000-4000-8000-000000000001"
    method, url, body = api.sent()
    assert method == "POST"
    assert url.endswith("/v2/notifications/email")
    assert body["email_address"] == "alex@example.com"
    assert body["template_id"] == TEMPLATES["follow_up_reminder"]["email"]
    assert body["reference"] == "reminder-8"


def test_a_refusal_by_govuk_notify_becomes_notification_failed_with_its_reason(notify_api):
    notify_api(
        status=400,
        body={
            "status_code": 400,
            "errors": [
                {
                    "error": "BadRequestError",
                    "message": "Can't send to this recipient using a team-only API key",
                }
            ],
        },
    )
    notifier = GovUkNotifyNotifier(api_key=API_KEY, templates=TEMPLATES)

    with pytest.raises(NotificationFailed) as failure:
        notifier.send_sms(
            phone_number="07700900123",
            template="appointment_reminder",
            personalisation=PERSONALISATION,
            reference="reminder-9",
        )

    assert failure.value.reason == (
        "GOV.UK Notify answered 400: Can't send to this recipient using a team-only API key"
    )
    assert "07700900123" not in failure.value.reason


def test_an_unreachable_govuk_notify_becomes_notification_failed(notify_api):
    notify_api(error=requests.ConnectionError("connection refused"))
    notifier = GovUkNotifyNotifier(api_key=API_KEY, templates=TEMPLATES)

    with pytest.raises(NotificationFailed, match="answered 503: Request failed"):
        notifier.send_email(
            email_address="alex@example.com",
            template="appointment_reminder",
            personalisation=PERSONALISATION,
            reference="reminder-10",
        )


def test_a_long_reason_is_cut_to_fit_the_reminder_record():
    assert len(NotificationFailed("x" * 1000).reason) == 300


def test_the_outbox_is_the_default_notifier():
    assert isinstance(get_notifier(), OutboxNotifier)


def test_the_notifier_setting_chooses_govuk_notify(settings):
    settings.NOTIFIER = "govuk_notify"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_TEMPLATES = TEMPLATES
    assert isinstance(get_notifier(), GovUkNotifyNotifier)


def test_notifications_depend_on_no_other_app_but_core():
    package = Path(__file__).resolve().parents[1]
    for path in package.rglob("*.py"):
        if "tests" in path.parts:
            continue
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
        others = {
            name
            for name in imported
            if name.startswith("healthtrainer.")
            and not name.startswith(("healthtrainer.core", "healthtrainer.notifications"))
        }
        assert not others, f"{path.name} imports {sorted(others)}"


@pytest.mark.django_db
def test_show_outbox_lists_the_newest_messages_oldest_first():
    outbox = OutboxNotifier()
    for number in range(3):
        outbox.send_sms(
            phone_number=f"0770090012{number}",
            template="appointment_reminder",
            personalisation={"first_name": f"Person {number}"},
            reference=f"reminder-{number}",
        )
    out = StringIO()

    call_command("show_outbox", "--last", "2", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "sms to 07700900121 appointment_reminder reminder-1" in lines[0]
    assert '{"first_name": "Person 2"}' in lines[1]


@pytest.mark.django_db
def test_show_outbox_says_when_it_is_empty():
    out = StringIO()
    call_command("show_outbox", stdout=out)
    assert out.getvalue() == "The outbox is empty.\n"


def test_govuk_notify_reads_received_texts_page_by_page_until_they_are_too_old(monkeypatch):
    def text(number, content, at):
        return {
            "id": str(uuid4()),
            "user_number": number,
            "notify_number": "07700900000",
            "content": content,
            "created_at": at,
            "service_id": str(uuid4()),
        }

    pages = [
        [text("447700900123", "1", "2026-12-05T10:00:00.000000Z")],
        [
            text("447700900456", "2", "2026-12-04T09:00:00.000000Z"),
            text("447700900789", "3", "2026-11-20T09:00:00.000000Z"),
        ],
        [text("447700900999", "never asked for", "2026-11-19T09:00:00.000000Z")],
    ]
    asked = []

    def answer(session, method, url, **kwargs):
        asked.append(url)
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        links = {"current": url}
        response._content = json.dumps(
            {"received_text_messages": pages[len(asked) - 1], "links": links}
        ).encode()
        return response

    monkeypatch.setattr(requests.Session, "request", answer)
    notifier = GovUkNotifyNotifier(api_key=API_KEY, templates=TEMPLATES)
    since = datetime(2026, 11, 28, tzinfo=UTC)

    texts = list(notifier.received_texts(since=since))

    assert [(text.from_number, text.content) for text in texts] == [
        ("447700900123", "1"),
        ("447700900456", "2"),
    ]
    assert texts[0].received_at == datetime(2026, 12, 5, 10, tzinfo=UTC)
    assert len(asked) == 2
    assert asked[0].endswith("/v2/received-text-messages")
    assert asked[1].endswith(f"?older_than={pages[0][0]['id']}")


@pytest.mark.django_db
def test_the_outbox_gives_back_made_up_replies_newest_first():
    first = OutboxReply.objects.create(from_number="07700900123", content="1")
    second = OutboxReply.objects.create(from_number="07700900123", content="2")
    texts = list(OutboxNotifier().received_texts(since=first.received_at))
    assert [text.provider_id for text in texts] == [
        f"outbox-reply-{second.pk}",
        f"outbox-reply-{first.pk}",
    ]
