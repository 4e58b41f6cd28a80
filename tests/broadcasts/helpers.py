"""A challenge whose people fall into every segment, and a broadcast factory."""

import factory
from django.contrib.auth.models import Group

from tests.factories import (
    ChallengeFactory,
    CohortFactory,
    JurorFactory,
    ProjectFactory,
    ReviewFactory,
    RoundFactory,
    SubmissionFactory,
    TeamFactory,
    TeamMembershipFactory,
    TrackFactory,
    UserFactory,
    participant,
)


class BroadcastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "broadcasts.Broadcast"

    challenge = factory.SubFactory(ChallengeFactory)
    segment = "entrants"
    subject = "Muhim xabar"
    body = "Ertaga soat 10:00 da onlayn uchrashuv boʻladi."
    subject_ru = "Важное сообщение"
    body_ru = "Завтра в 10:00 онлайн-встреча."
    subject_en = "Important news"
    body_en = "There is an online meeting tomorrow at 10:00."


def person(username, **kwargs):
    return participant(user=UserFactory(username=username), **kwargs)


def staff(username, *challenges):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Challenge managers")[0])
    for challenge in challenges:
        challenge.managers.add(user)
    return user


def entry(challenge, lead, *members, status="submitted", track=None, individual=False):
    if individual:
        return SubmissionFactory(
            challenge=challenge, team=None, owner=lead, status=status, track=track
        )
    team = TeamFactory(challenge=challenge, lead=lead)
    for member in members:
        TeamMembershipFactory(team=team, challenge=challenge, user=member)
    return SubmissionFactory(challenge=challenge, team=team, status=status, track=track)


PEOPLE = "a1 a2 b1 c1 d1 d2 w1 x_lead o1 j1 j2 j3 j4 m1 m2 m3 p_owner q_owner r_owner"


def segment_world():
    """Challenge ``ch`` (tracks ``t1``, ``t2``, cohorts ``k`` and ``l``) and ``other``.

    Entries of ``ch``: team of a1+a2 submitted in t1; team of b1 a draft in t2; c1 alone,
    finalist in t1; team of d1+d2 winner; w1's entry withdrawn; x (inactive) member of a
    draft team of x_lead. Jurors: j1 has an unfinished review, j2 only submitted ones, j3 is
    still invited, j4 has an unfinished review in ``other``. Mentors: m1 of ch's project p
    in cohort k, m2 of other's project in k, m3 of ch's project in l.
    """
    ch = ChallengeFactory(title="Raqamli mahalla")
    other = ChallengeFactory(title="Boshqa tanlov")
    t1 = TrackFactory(challenge=ch)
    t2 = TrackFactory(challenge=ch)
    u = {name: person(name) for name in PEOPLE.split()}
    u["x"] = person("x")
    u["x"].is_active = False
    u["x"].save(update_fields=["is_active"])
    entry_a = entry(ch, u["a1"], u["a2"], track=t1)
    entry(ch, u["b1"], status="draft", track=t2)
    entry(ch, u["c1"], status="finalist", track=t1, individual=True)
    entry(ch, u["d1"], u["d2"], status="winner")
    entry(ch, u["w1"], status="withdrawn", track=t1)
    entry(ch, u["x_lead"], u["x"], status="draft")
    entry(other, u["o1"])

    round_ = RoundFactory(challenge=ch)
    for name, state, status in (
        ("j1", "draft", "active"),
        ("j2", "submitted", "active"),
        ("j3", "assigned", "invited"),
    ):
        juror = JurorFactory(challenge=ch, user=u[name], status=status)
        ReviewFactory(round=round_, juror=juror, submission=entry_a, state=state)
    ReviewFactory(
        round=RoundFactory(challenge=other),
        juror=JurorFactory(challenge=other, user=u["j4"]),
        submission=entry(other, person("o2")),
    )

    k = CohortFactory(challenges=[ch, other])
    cohort_l = CohortFactory(challenges=[ch])
    mentored = [
        (k, ch, "p_owner", "m1"),
        (k, other, "q_owner", "m2"),
        (cohort_l, ch, "r_owner", "m3"),
    ]
    for cohort, challenge, owner, mentor in mentored:
        submission = entry(challenge, u[owner], status="incubated")
        project = ProjectFactory(cohort=cohort, challenge=challenge, submission=submission)
        project.mentors.add(u[mentor])
    return {"ch": ch, "other": other, "t1": t1, "t2": t2, "k": k, "l": cohort_l, **u}
