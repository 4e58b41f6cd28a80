"""Open data is published for public challenges only: the API tests' fixtures make them."""

from tests.api.conftest import challenge_index, page_for, public_challenge  # noqa: F401
