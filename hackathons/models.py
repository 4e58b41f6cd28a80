"""A hackathon: the event settings of a challenge of kind "hackathon", the people who
registered (with the waitlist), who is looking for a team, teams' open roles, requests to
join, and the check-ins at the door.

Hacking starts and ends with the challenge's submission phase: the end *is* the submission
deadline, read from the phases (``Event.hacking_starts``/``hacking_ends``), never stored
twice. Application questions reuse the entry form builder: the challenge's
``challenges.EntryField`` rows of stage "application" (never on the entry form nor a
follow-up; no file questions, a registration has no upload window) are asked when a person
registers and frozen with their labels on ``Registration.answers``. The older single
free-text ``Event.question`` still works beside them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from challenges.enums import PhaseKind
from challenges.models import Challenge, Track
from challenges.services.phases import phase_of_kind
from submissions.models import Team

from .enums import HOLDS_PLACE, Admission, RegistrationState, RequestState, Skill


class Event(models.Model):
    challenge = models.OneToOneField(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="hackathon"
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    capacity = models.PositiveIntegerField(_("places"))
    admission = models.CharField(
        _("admission"), max_length=12, choices=Admission.choices, default=Admission.IN_ORDER
    )
    hours_to_confirm = models.PositiveSmallIntegerField(
        _("hours to confirm a place"),
        default=48,
        help_text=_("An offered place not confirmed in time goes to the next on the waitlist."),
    )
    question = models.CharField(
        _("application question"),
        max_length=300,
        blank=True,
        help_text=_("Optional; everyone who registers answers it."),
    )
    certificates_need_checkin = models.BooleanField(
        _("participation certificates only for people checked in"), default=False
    )
    #: People who may check others in at the door (and do nothing else): the check-in role.
    volunteers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("check-in volunteers"),
        blank=True,
        related_name="hackathons_volunteered",
    )

    class Meta:
        verbose_name = _("hackathon")
        verbose_name_plural = _("hackathons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_closes__gt=models.F("registration_opens")),
                name="hackathon_registration_closes_after_it_opens",
            )
        ]

    def __str__(self):
        return str(self.challenge)

    def _submission_phase(self):
        return phase_of_kind(list(self.challenge.phases.all()), PhaseKind.SUBMISSION)

    @property
    def hacking_starts(self):
        phase = self._submission_phase()
        return phase.starts_at if phase else None

    @property
    def hacking_ends(self):
        """The challenge's submission deadline."""
        phase = self._submission_phase()
        return phase.ends_at if phase else None


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hackathon_registrations"
    )
    track = models.ForeignKey(
        Track, verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL
    )
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=RegistrationState.choices,
        default=RegistrationState.WAITLISTED,
    )
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    #: The application questions' answers, frozen with their labels as asked
    #: (``submissions.services.answers.freeze``: a list, read through ``shown``).
    answers = models.JSONField(_("application answers"), default=list, blank=True)
    #: Waitlist order: the time of the (last) registration; a re-registration goes last.
    registered_at = models.DateTimeField(_("registered"))
    offered_at = models.DateTimeField(null=True, blank=True)
    confirm_by = models.DateTimeField(_("confirm by"), null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Finding teammates
    looking_for_team = models.BooleanField(_("looking for a team"), default=False)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    tags = models.CharField(_("other skills"), max_length=200, blank=True)
    idea = models.TextField(_("idea"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("hackathon registration")
        verbose_name_plural = _("hackathon registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_registration_per_person")
        ]
        indexes = [models.Index(fields=["event", "state", "registered_at"])]

    def __str__(self):
        return f"{self.user} @ {self.event}"

    @property
    def holds_place(self):
        return self.state in HOLDS_PLACE

    def skill_labels(self):
        known = dict(Skill.choices)
        return [str(known[s]) for s in self.skills or [] if s in known]

    def tag_list(self):
        return [t.strip().lower() for t in self.tags.split(",") if t.strip()]


class CheckIn(models.Model):
    """One per registration (the database says so): a second scan changes nothing."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="check_in"
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    #: When the volunteer's phone recorded it (it may have been offline).
    recorded_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self):
        return str(self.registration)


class OpenRole(models.Model):
    """A role a team still looks for, with the skills it needs."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="open_roles")
    title = models.CharField(_("role"), max_length=120)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("open role")
        verbose_name_plural = _("open roles")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class TeamRequest(models.Model):
    """A team asks a person to join it, or a person asks to join a team; the other side
    accepts (then the person joins the team) or declines. Contact details are shared only
    when both sides agreed, by the person joining the team."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="hackathon_requests")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="team_requests"
    )
    from_team = models.BooleanField(default=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    state = models.CharField(
        max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team request")
        verbose_name_plural = _("team requests")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "registration"],
                condition=models.Q(state="pending"),
                name="one_pending_team_request",
            )
        ]

    def __str__(self):
        return f"{self.team} ↔ {self.registration}"
