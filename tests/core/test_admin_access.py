import pytest

from tests.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_wagtail_admin_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_django_admin_refuses_staff_who_are_not_superusers(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get("/django-admin/")

    assert response.status_code == 302
    assert "/django-admin/login/" in response["Location"]


def test_django_admin_opens_for_superusers(client):
    client.force_login(SuperuserFactory())

    response = client.get("/django-admin/")

    assert response.status_code == 200
    assert "Tanlov — Django admin" in response.content.decode()
