"""Who is in each segment, and who is not."""

import pytest

from broadcasts.enums import Segment
from broadcasts.services.segments import members

from .helpers import segment_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return segment_world()


def names(w, segment, **kwargs):
    return set(
        members(challenge=w["ch"], segment=segment, **kwargs).values_list("username", flat=True)
    )


def test_entrants_are_everyone_on_an_entry_not_withdrawn(w):
    assert names(w, Segment.ENTRANTS) == {
        "a1",
        "a2",
        "b1",
        "c1",
        "d1",
        "d2",
        "x_lead",
        "p_owner",
        "r_owner",
    }  # not w1 (withdrawn), x (inactive), o1 (other challenge), jurors, mentors


def test_a_track_holds_its_entries_people_only(w):
    assert names(w, Segment.TRACK, track=w["t1"]) == {"a1", "a2", "c1"}
    assert names(w, Segment.TRACK, track=w["t2"]) == {"b1"}


def test_drafts_are_the_people_of_entries_not_yet_submitted(w):
    assert names(w, Segment.DRAFTS) == {"b1", "x_lead"}


def test_finalists_are_finalists_and_winners(w):
    assert names(w, Segment.FINALISTS) == {"c1", "d1", "d2"}


def test_jurors_with_unfinished_reviews_of_this_challenge(w):
    assert names(w, Segment.JURORS) == {"j1"}  # not j2 (done), j3 (invited), j4 (other)


def test_mentors_of_a_cohort_for_this_challenges_projects(w):
    assert names(w, Segment.MENTORS, cohort=w["k"]) == {"m1"}  # m2 mentors another's
    assert names(w, Segment.MENTORS, cohort=w["l"]) == {"m3"}


def test_each_person_counts_once(w):
    # a1 leads the team and owns its entry: one row.
    assert members(challenge=w["ch"], segment=Segment.ENTRANTS).filter(username="a1").count() == 1
