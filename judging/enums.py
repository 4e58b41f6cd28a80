from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


class RoundScope(models.TextChoices):
    ELIGIBLE = "eligible", _("All eligible entries")
    ADVANCED = "advanced", _("Entries advanced from the previous round")


class Method(models.TextChoices):
    """How one entry's review scores become its score (see judging/services/aggregation.py)."""

    MEAN = "mean", _("Mean")
    NORMALISED = "normalised", _("Juror-normalised (z-scores)")
    TRIMMED = "trimmed", _("Trimmed mean")
    BIAS = "bias", _("Least-squares juror-bias correction")


# The method named by the issue that staff can re-check from the scores CSV in a spreadsheet;
# `bias` ranks slightly better on biased panels (bench/judging_fairness.py, docs/judging.md)
# and stays available per round.
DEFAULT_METHOD = Method.NORMALISED


class ReviewState(models.TextChoices):
    ASSIGNED = "assigned", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class JurorStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")


class ConflictKind(models.TextChoices):
    TEAM = "team", _("A team")
    ORGANISATION = "organisation", _("An organisation")
    REGION = "region", _("A region")
    PERSON = "person", _("A named person")


class Flag(models.TextChoices):
    INCOMPLETE = "incomplete", _("fewer reviews than expected")
    DISAGREEMENT = "disagreement", _("reviews disagree")
    MUST_PASS = "must_pass", _("below a must-pass threshold")
    FAST = "fast", _("review finished very quickly")
    NO_COMMENT = "no_comment", _("review without comments")
    OUTLIER_JUROR = "outlier_juror", _("juror mean far from the panel")


METHODS_ORDER = [Method.MEAN, Method.NORMALISED, Method.TRIMMED, Method.BIAS]


class RoundMode(models.TextChoices):
    """What a round asks of its jurors (docs/forms.md, "The screening round")."""

    SCORED = "scored", _("Scored: criteria, weights and a ranking")
    SCREENING = "screening", _("Screening: eligible or ineligible, with a reason")
    PAIRWISE = "pairwise", _("Pairwise expo: judges walk the tables and compare projects")


class VisitState(models.TextChoices):
    """Where a judge of a pairwise round stands with one table (docs/judging.md)."""

    SENT = "sent", _("On the way")
    SEEN = "seen", _("Seen")
    SKIPPED = "skipped", _("Skipped (absent or busy)")


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Ineligible")


class IneligibleReason(models.TextChoices):
    """Why an entry does not meet the conditions: the team reads it, in its language."""

    INCOMPLETE = "incomplete", _("The entry is incomplete")
    OUT_OF_SCOPE = "out_of_scope", _("The entry is outside the challenge's topic")
    ELIGIBILITY = "eligibility", _("The team does not meet the age or other eligibility rules")
    DUPLICATE = "duplicate", _("The entry duplicates another entry")
    PLAGIARISM = "plagiarism", _("The entry copies someone else's work")
    LATE = "late", _("The entry arrived after the deadline")
    OTHER = "other", _("Another reason given by the organisers")


class OutcomeSource(models.TextChoices):
    SCREENERS = "screeners", _("The screeners agreed")
    STAFF = "staff", _("Staff decided")


#: How many screeners may look at each entry of a screening round.
SCREENERS_PER_ENTRY = (1, 2)


class CutRule(models.TextChoices):
    """Where a round's ranking decides (``judging.services.uncertainty.Cut``)."""

    TOP = "top", _("The top N entries")
    TOP_PER_TRACK = "top_per_track", _("The top N entries of each track")
    THRESHOLD = "threshold", _("Every entry scoring at least a threshold")


class CommentState(models.TextChoices):
    """Where a juror comment marked "share with the team" stands in moderation."""

    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    WITHHELD = "withheld", _("Withheld")


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    REREVIEW = "rereview", _("Re-review requested")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


#: Appeals still waiting for a decision.
APPEAL_OPEN = (AppealStatus.FILED, AppealStatus.REREVIEW)
