"""Every model of the project's apps has a factory in tests/factories.py, and each one makes
a valid row."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

APPS = {
    "core",
    "challenges",
    "submissions",
    "judging",
    "certificates",
    "incubation",
    "notifications",
    "hackathons",
}
EMPTY = (None, "", [], {})
FACTORIES = [
    member
    for _name, member in inspect.getmembers(factories, inspect.isclass)
    if issubclass(member, factory.django.DjangoModelFactory)
    and member is not factory.django.DjangoModelFactory
]


def _model(factory_class):
    return factory_class._meta.get_model_class()


def test_every_model_has_a_factory():
    models = {m for m in apps.get_models() if m._meta.app_label in APPS}
    covered = {_model(f) for f in FACTORIES}
    assert sorted(m._meta.label for m in models - covered) == []


@pytest.mark.django_db
@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda f: f.__name__)
def test_factory_makes_a_valid_row(factory_class):
    instance = factory_class()

    # Fields left empty are the ones code fills later (nullable FKs, timestamps).
    empty = [f.name for f in instance._meta.fields if getattr(instance, f.attname) in EMPTY]
    instance.clean_fields(exclude=empty)  # choices, lengths, validators of what is set
    instance.clean()
    instance.validate_constraints()
    assert type(instance).objects.filter(pk=instance.pk).exists()
