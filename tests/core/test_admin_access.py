import pytest

from tests.factories import SuperuserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_wagtail_admin_asks_anonymous_visitors_to_log_in(client):
    response = client.get("/admin/", follow=True)

    assert response.status_code == 200
    assert response.request["PATH_INFO"].endswith("/accounts/login/")
    assert 'name="login"' in response.text


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


def test_missing_admin_page_answers_404_without_language_redirect(client):
    client.force_login(SuperuserFactory())

    response = client.get("/admin/no-such-thing/")

    assert response.status_code == 404


def test_unprefixed_public_path_redirects_to_the_language_prefix(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 302
    assert response["Location"] == "/ru/accounts/login/"
