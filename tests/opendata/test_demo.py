"""Open data on the demo: a public demo challenge publishes non-empty, suppressed counts
and its winners; no file names a demo participant."""

import pytest
from django.contrib.auth import get_user_model

from api.selectors import public_challenges
from cms.demo import judging as judging_demo

pytestmark = pytest.mark.django_db


def test_a_demo_challenge_has_open_data(client, shared_demo):
    assert public_challenges().filter(slug=judging_demo.SLUG).exists()
    document = client.get(f"/en/open-data/{judging_demo.SLUG}/data.json").json()
    tables = {t["name"]: t for t in document["tables"]}
    published = [
        row["count"]
        for name in ("people-by-region", "people-by-gender", "people-by-age-group")
        for row in tables[name]["rows"]
        if row["key"] != "total" and row["count"]
    ]
    assert published, "some counts are large enough to publish"
    assert all(count >= 5 for count in published)
    assert tables["people-by-region"]["rows"][-1]["count"] >= 5
    assert tables["entries-by-status"]["rows"][-1]["count"] >= 5
    # The demo's winners agreed to publicity (cms/demo/results.py).
    statuses = [row["status"] for row in tables["winners"]["rows"]]
    assert statuses.count("winner") + statuses.count("incubated") >= 3

    body = client.get(f"/en/open-data/{judging_demo.SLUG}/data.json").content.decode()
    page = client.get(f"/en/open-data/{judging_demo.SLUG}/").content.decode()
    for user in get_user_model().objects.filter(is_staff=False).exclude(email="")[:200]:
        assert user.email not in body
        assert user.email not in page
