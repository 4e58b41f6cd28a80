"""The access layer's contract: 404 out of scope, 403 visible but not allowed, rules decide."""

import json

import pytest
import rules
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from core.access import UnknownPermission, allowed, obtain, require, with_object
from core.errors import Conflict, NotAllowed, Refused, as_json, show

User = get_user_model()


@rules.predicate
def _is_self(user, other):
    return other is not None and user.pk == other.pk


@rules.predicate
def _is_staff_user(user, other):
    return user.is_authenticated and user.is_staff


@pytest.fixture(autouse=True)
def _test_rules():
    rules.add_perm("tests.see_user", _is_self | _is_staff_user)
    rules.add_perm("tests.change_user", _is_self)
    yield
    rules.remove_perm("tests.see_user")
    rules.remove_perm("tests.change_user")


@pytest.fixture
def people(db):
    return {
        "ann": User.objects.create_user("ann", password="x"),
        "bob": User.objects.create_user("bob", password="x"),
        "staff": User.objects.create_user("staffer", password="x", is_staff=True),
        "root": User.objects.create_superuser("root", password="x"),
    }


def test_require_raises_not_allowed_which_is_a_permission_denied(people):
    with pytest.raises(NotAllowed) as caught:
        require(people["bob"], "tests.change_user", people["ann"])
    assert isinstance(caught.value, PermissionDenied)
    assert caught.value.status == 403
    assert caught.value.code == "forbidden:tests.change_user"
    require(people["ann"], "tests.change_user", people["ann"])  # allowed: no exception


def test_require_does_not_wave_superusers_through(people):
    # user.has_perm() would say yes to any superuser; the rule decides here.
    assert people["root"].has_perm("tests.change_user", people["ann"])
    assert not allowed(people["root"], "tests.change_user", people["ann"])


def test_unknown_permission_is_a_programming_error(people):
    with pytest.raises(UnknownPermission):
        require(people["ann"], "tests.no_such_rule", people["ann"])


def test_obtain_answers_404_out_of_scope_and_for_missing_or_malformed_ids(people):
    ann = people["ann"]
    for lookup in ({"pk": people["bob"].pk}, {"pk": 10**9}, {"pk": "abc"}):
        with pytest.raises(Http404):
            obtain(ann, User, see="tests.see_user", **lookup)


def test_obtain_answers_403_when_visible_but_not_allowed(people):
    with pytest.raises(NotAllowed):
        obtain(
            people["staff"], User, see="tests.see_user", do="tests.change_user", pk=people["ann"].pk
        )
    assert (
        obtain(
            people["ann"], User, see="tests.see_user", do="tests.change_user", pk=people["ann"].pk
        )
        == people["ann"]
    )


def test_with_object_passes_the_checked_object(people):
    @with_object(User.objects.all(), see="tests.see_user", url_kwarg="user_id")
    def view(request, user):
        return user.username

    request = RequestFactory().get("/")
    request.user = people["ann"]
    assert view(request, user_id=people["ann"].pk) == "ann"
    with pytest.raises(Http404):
        view(request, user_id=people["bob"].pk)


def test_as_json_carries_message_code_field_and_status():
    response = as_json(Conflict("Changed meanwhile.", code="stale", field="comment"))
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "error": "Changed meanwhile.",
        "code": "stale",
        "field": "comment",
    }


def test_show_puts_the_message_on_the_named_field_or_the_form():
    from django import forms

    class Form(forms.Form):
        title = forms.CharField(required=False)

    form = Form({})
    form.is_valid()
    show(None, Refused("Too long.", field="title"), form=form)
    show(None, Refused("Closed.", field="nonexistent"), form=form)
    assert form.errors == {"title": ["Too long."], "__all__": ["Closed."]}
