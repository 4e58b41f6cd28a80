"""The shared demo (tests/conftest.py): loaded once; what a test changes in it rolls back;
a test that did not ask for it does not see it."""

import pytest
from django.contrib.auth import get_user_model

from challenges.models import Challenge

COVID = "covid-19-challenge-2020"


@pytest.mark.django_db
def test_a_test_may_change_the_shared_demo(shared_demo):
    assert Challenge.objects.filter(slug=COVID).update(title="Changed by a test") == 1


@pytest.mark.django_db
def test_the_next_one_sees_the_demo_as_loaded(shared_demo):
    assert Challenge.objects.get(slug=COVID).title == "COVID-19 Challenge 2020"


@pytest.mark.django_db(transaction=True)
def test_a_test_that_did_not_ask_for_it_runs_without_the_demo():
    # Transactional tests run after those sharing the demo: it must have been rolled back.
    assert not Challenge.objects.filter(slug=COVID).exists()
    assert not get_user_model().objects.filter(username="participant").exists()
