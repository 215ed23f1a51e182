"""Every page, asked with hostile query parameters and sent hostile forms, answers without
a server error.

The pages come from the permission matrix, so a URL added there is fuzzed here too; each is
asked by a person who may see it. A page's GET forms add their field names to the common
query parameters; its POST forms are sent back to it. Pages that only take a POST are sent
the form another page shows for them. Each page gets one pass of the fixed hostile values,
given to every parameter at once, then a few generated mixtures of hostile and ordinary
values, derandomised so a failure is repeatable.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import given
from hypothesis import strategies as st

from healthtrainer.accounts.roles import ADMINISTRATOR, Role
from healthtrainer.conftest import ANONYMOUS, OUTSIDER, PERSONAS
from healthtrainer.tests.hostile import (
    HOSTILE_DATES,
    HOSTILE_VALUES,
    HtmlForm,
    ServerErrors,
    action_path,
    encode_query,
    every_value_in_turn,
    fuzzed,
    hostile_ids,
    hostile_or,
    read_forms,
)
from healthtrainer.tests.test_permission_matrix import MATRIX, _url_for, invitation  # noqa: F401

COMMON_PARAMETERS = (
    "page",
    "q",
    "period",
    "start",
    "end",
    "status",
    "sort",
    "trainer",
    "practice",
    "code",
    "document",
    "format",
    "table",
    "by",
    "instrument",
    "category",
    "role",
    "first",
    "second",
    "next",
    "_count",
)

# The person who asks: the first of these the matrix lets in.
ASKERS = (
    Role.PROGRAMME_MANAGER,
    Role.SUPERVISOR,
    Role.HEALTH_TRAINER,
    Role.EVALUATOR,
    Role.REFERRER,
    ADMINISTRATOR,
    OUTSIDER,
    ANONYMOUS,
)

# Pages that only take a POST, and the page whose form is sent to them.
FORM_SHOWN_ON = {
    "accounts:membership_set_active": "accounts:membership",
    "accounts:invitation_revoke": "accounts:people",
    "accounts:two_factor_reset": "accounts:membership",
    "imports:confirm": "imports:upload",
    "referrals:contact": "referrals:detail",
    "referrals:close": "referrals:detail",
    "casework:escalation_acknowledge": "casework:escalation",
    "casework:escalation_resolve": "casework:escalation",
    "casework:list_item_set_active": "casework:lists",
    "workforce:list_item_set_active": "workforce:lists",
    "measures:link_create": "measures:record",
    "workforce:supervision_rate": "workforce:supervision",
    "workforce:supervision_action_add": "workforce:supervision",
    "workforce:supervision_action_complete": "workforce:supervision",
    "interop:api_client_revoke": "interop:api_clients",
    "qualitative:coding_add": "qualitative:document",
    "qualitative:coding_remove": "qualitative:document",
    "qualitative:coding_report": "qualitative:document",
    "qualitative:memo_add": "qualitative:document",
}

# Answered only to API clients with a token, or by nobody: the FHIR and JSON API suites
# fuzz those with tokens.
FUZZED_WITH_TOKENS = {
    name
    for name, (_, statuses) in MATRIX.items()
    if set(statuses) <= {401, 404, 405} and name not in FORM_SHOWN_ON
}

# Signed in with a password but not yet with the second factor.
SECOND_FACTOR_PAGES = {"accounts:two_factor_verify", "accounts:two_factor_setup"}

GENERATED_EXAMPLES = 4


def _asker(name: str, wanted: tuple[int, ...]) -> str | None:
    statuses = MATRIX[name][1]
    for status in wanted:
        for persona in ASKERS:
            if statuses[PERSONAS.index(persona)] == status:
                return persona
    return None


PAGES = sorted(set(MATRIX) - set(FORM_SHOWN_ON) - FUZZED_WITH_TOKENS)


def test_every_url_is_fuzzed_here_or_with_tokens():
    assert set(PAGES) | set(FORM_SHOWN_ON) | FUZZED_WITH_TOKENS == set(MATRIX)
    assert all(_asker(name, (200, 302)) for name in PAGES)
    assert all(_asker(name, (405,)) for name in FORM_SHOWN_ON)


def _view_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _forms(response, page_path: str) -> list[HtmlForm]:
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    return read_forms(response.content.decode())


def _signed_in(persona: str, name: str, world, client_as):
    if name in SECOND_FACTOR_PAGES:
        client = Client()
        client.force_login(world.people[Role.PROGRAMME_MANAGER])
        return client
    return client_as(persona)


def _query_names(url: str, forms: list[HtmlForm]) -> dict[str, str]:
    names = dict.fromkeys(COMMON_PARAMETERS, "")
    names.update(parse_qsl(urlsplit(url).query))
    for form in forms:
        if form.method == "get":
            names.update(form.fields)
            names.update(
                {name: values[0] if values else "" for name, values in form.multiple.items()}
            )
    return names


def _send_forms(errors: ServerErrors, forms: list[tuple[str, HtmlForm]]) -> None:
    for path, form in forms:
        names = [*form.fields, *form.multiple]
        for values in every_value_in_turn(names):
            body = {
                name: [value, value] if name in form.multiple else value
                for name, value in values.items()
            }
            errors.request("POST", path, body=encode_query(body))
        dates = [name.removesuffix("[day]") for name in form.fields if name.endswith("[day]")]
        for day, month, year in HOSTILE_DATES if dates else ():
            body = form.ordinary()
            for date in dates:
                body.update({f"{date}[day]": day, f"{date}[month]": month, f"{date}[year]": year})
            errors.request("POST", path, body=encode_query(body))


def _fuzz(errors: ServerErrors, url: str, query: dict[str, str], forms) -> None:
    path = url.split("?", 1)[0]
    for values in every_value_in_turn(query):
        errors.request("GET", path, query=encode_query(values))
    _send_forms(errors, forms)

    @fuzzed(GENERATED_EXAMPLES)
    @given(st.data())
    def mixtures(data):
        values = data.draw(
            st.fixed_dictionaries(
                {}, optional={name: hostile_or(value) for name, value in query.items()}
            )
        )
        errors.request("GET", path, query=encode_query(values))
        for form_path, form in forms:
            body = data.draw(
                st.fixed_dictionaries(
                    {
                        **{name: hostile_or(value) for name, value in form.fields.items()},
                        **{name: hostile_ids(options) for name, options in form.multiple.items()},
                    }
                )
            )
            errors.request("POST", form_path, body=encode_query(body))

    mixtures()


@pytest.mark.usefixtures("invitation")
@pytest.mark.parametrize("name", PAGES)
def test_a_page_answers_hostile_input_without_a_server_error(name, world, client_as):
    kind, _ = MATRIX[name]
    url = _url_for(name, kind, world)
    persona = _asker(name, (200, 302))
    with ServerErrors(_signed_in(persona, name, world, client_as)) as errors:
        response = errors.request("GET", url.split("?", 1)[0], query=url.partition("?")[2])
        forms = [
            (action_path(form, url), form)
            for form in _forms(response, url)
            if form.method == "post" and _view_name(action_path(form, url)) == name
        ]
        _fuzz(errors, url, _query_names(url, _forms(response, url)), forms)
    assert not errors.found, errors.report()


@pytest.mark.usefixtures("invitation")
@pytest.mark.parametrize("name", sorted(FORM_SHOWN_ON))
def test_a_form_handler_answers_hostile_input_without_a_server_error(name, world, client_as):
    shown_on = FORM_SHOWN_ON[name]
    source = _url_for(shown_on, MATRIX[shown_on][0], world)
    with ServerErrors(client_as(_asker(name, (405,)))) as errors:

        def shown_forms() -> list[tuple[str, HtmlForm]]:
            response = errors.request("GET", source.split("?")[0], query=source.partition("?")[2])
            return [
                (action_path(form, source), form)
                for form in _forms(response, source)
                if form.method == "post" and _view_name(action_path(form, source)) == name
            ][:1]

        forms = shown_forms()
        if not forms:
            # The page shows the form once there is something for it to act on.
            target = _url_for(name, MATRIX[name][0], world)
            forms = shown_forms() or [
                (target, HtmlForm("post", target, dict.fromkeys(COMMON_PARAMETERS, "")))
            ]
        _send_forms(errors, forms)

        @fuzzed(GENERATED_EXAMPLES)
        @given(st.data())
        def mixtures(data):
            for form_path, form in forms:
                body = data.draw(
                    st.fixed_dictionaries(
                        {
                            **{name: hostile_or(value) for name, value in form.fields.items()},
                            **{
                                name: hostile_ids(options)
                                for name, options in form.multiple.items()
                            },
                        }
                    )
                )
                errors.request("POST", form_path, body=encode_query(body))

        mixtures()
    assert not errors.found, errors.report()


def test_the_hostile_values_arrive_as_sent():
    """The fuzzing is only as good as its encoding: bytes that are not UTF-8 arrive
    replaced, everything else exactly."""
    sent = {f"v{index}": value for index, value in enumerate(HOSTILE_VALUES)}
    received = QueryDict(encode_query(sent))
    for name, value in sent.items():
        if any("\ud800" <= character <= "\udfff" for character in value):
            assert "\ufffd" in received[name]
        else:
            assert received[name] == value
