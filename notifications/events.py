"""The notification events domain services record (see notifications.services.notify).

Each event has a label (shown in the preferences form) and the channels it uses by default;
people change the defaults per event and channel on their preferences page. The in-app inbox
receives every event but the private ones (``PRIVATE``: one-time codes).
"""

from django.utils.translation import gettext_lazy as _

SUBMISSION_RECEIVED = "submission.received"
VERSION_SUBMITTED = "submission.version_submitted"
SUBMISSION_WITHDRAWN = "submission.withdrawn"
STATUS_CHANGED = "submission.status_changed"  # eligible/ineligible/shortlisted/finalist/winner/…
TEAM_INVITATION = "team.invitation"
JUROR_INVITED = "judging.juror_invited"
JUROR_ASSIGNED = "judging.juror_assigned"
JUROR_REMINDED = "judging.juror_reminded"
ROUND_CLOSING = "judging.round_closing"
FOLLOWUP_REQUESTED = "judging.followup_requested"  # a round asks the entry for more
FEEDBACK_RELEASED = "judging.feedback_released"  # the jury's feedback on the entry is out
APPEAL_UPDATED = "judging.appeal_updated"  # a step in the team's appeal
CERTIFICATE_ISSUED = "certificates.issued"
MILESTONE_DUE = "incubation.milestone_due"
MILESTONE_OVERDUE = "incubation.milestone_overdue"
REPORT_MISSING = "incubation.report_missing"
TELEGRAM_LINKED = "notifications.telegram_linked"  # confirmation sent to a newly linked chat
PHONE_CODE = "notifications.phone_code"  # a one-time code that confirms a phone number
# A message staff wrote to a group of people (the broadcasts app): subject and body per language
# in the context, see the template notifications/messages/<lang>/broadcasts.message.txt.
BROADCAST = "broadcasts.message"
HACKATHON_PLACE_OFFERED = "hackathon.place_offered"  # a place for you: confirm by …
HACKATHON_CONFIRMED = "hackathon.confirmed"  # attendance confirmed: the check-in code
HACKATHON_OFFER_EXPIRED = "hackathon.offer_expired"  # not confirmed in time: the place went on

EMAIL, SMS, TELEGRAM = "email", "sms", "telegram"

# event: (label, channels on by default). SMS costs money and people read it at once, so it
# is on by default only for decisions about an entry and for deadlines.
EVENTS = {
    SUBMISSION_RECEIVED: (_("Your entry was received"), {EMAIL, TELEGRAM}),
    VERSION_SUBMITTED: (_("A new version of your entry was submitted"), {EMAIL, TELEGRAM}),
    SUBMISSION_WITHDRAWN: (_("Your entry was withdrawn"), {EMAIL, TELEGRAM}),
    STATUS_CHANGED: (_("Decisions about your entry"), {EMAIL, SMS, TELEGRAM}),
    TEAM_INVITATION: (_("Invitations to a team"), {EMAIL, TELEGRAM}),
    JUROR_INVITED: (_("Invitations to a jury"), {EMAIL, TELEGRAM}),
    JUROR_ASSIGNED: (_("Entries assigned to you for review"), {EMAIL, TELEGRAM}),
    JUROR_REMINDED: (_("Reminders about unfinished reviews"), {EMAIL, TELEGRAM}),
    ROUND_CLOSING: (_("A judging round closes soon"), {EMAIL, SMS, TELEGRAM}),
    FOLLOWUP_REQUESTED: (_("A judging round asks your entry for more"), {EMAIL, SMS, TELEGRAM}),
    FEEDBACK_RELEASED: (_("The jury's feedback on your entry"), {EMAIL, TELEGRAM}),
    APPEAL_UPDATED: (_("Your appeal against a jury decision"), {EMAIL, SMS, TELEGRAM}),
    CERTIFICATE_ISSUED: (_("Certificates issued to you"), {EMAIL, TELEGRAM}),
    MILESTONE_DUE: (_("Incubation milestones coming due"), {EMAIL, TELEGRAM}),
    MILESTONE_OVERDUE: (_("Overdue incubation milestones"), {EMAIL, SMS, TELEGRAM}),
    REPORT_MISSING: (_("Missing progress reports"), {EMAIL, TELEGRAM}),
    BROADCAST: (_("Messages from the organisers"), {EMAIL, TELEGRAM}),
    HACKATHON_PLACE_OFFERED: (_("A place at a hackathon for you"), {EMAIL, SMS, TELEGRAM}),
    HACKATHON_CONFIRMED: (_("Your hackathon attendance is confirmed"), {EMAIL, TELEGRAM}),
    HACKATHON_OFFER_EXPIRED: (_("A hackathon place you did not confirm"), {EMAIL, TELEGRAM}),
}

# Events sent whatever the preferences say (they answer something the person just did).
ALWAYS = {TELEGRAM_LINKED: {TELEGRAM}, PHONE_CODE: {SMS}}

# Events that carry a secret (a one-time code): never in the in-app inbox — the account the
# code checks would read it there — and their context is blanked once the delivery is
# settled (sent, failed for good or dead), so the database keeps the code only while the
# outbox may still need it.
PRIVATE = {PHONE_CODE}
BLANKED = {"code": "••••••"}


def label(event):
    return EVENTS.get(event, (event, set()))[0]


def default_channels(event):
    if event in ALWAYS:
        return set(ALWAYS[event])
    return set(EVENTS.get(event, ("", {EMAIL}))[1])
