"""Staff pages of the people's choice vote (Wagtail admin): set it up, review the votes the
detector held back (accept or void, in bulk, with a reason), publish the results."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from challenges.models import Challenge
from challenges.selectors import managed_by
from core.access import obtain, require
from core.audit import record
from core.errors import Refused, show

from .enums import VoteStatus
from .forms import PeoplesChoiceForm, ReviewForm
from .models import PeoplesChoice
from .services import fraud, votes


def index(request):
    require(request.user, "voting.open_staff_area")
    challenges = managed_by(request.user).select_related("peoples_choice").order_by("title")
    rows = []
    held = dict(
        PeoplesChoice.objects.filter(challenge__in=challenges)
        .filter(votes__status=VoteStatus.HELD)
        .values_list("pk")
        .annotate(n=Count("votes"))
    )
    for challenge in challenges:
        peoples_choice = getattr(challenge, "peoples_choice", None)
        rows.append(
            {
                "challenge": challenge,
                "vote": peoples_choice,
                "held": held.get(peoples_choice.pk, 0) if peoples_choice else 0,
            }
        )
    return TemplateResponse(request, "voting/admin/index.html", {"rows": rows})


def _challenge(request, challenge_id):
    require(request.user, "voting.open_staff_area")
    return obtain(request.user, Challenge, see="challenges.manage_challenge", pk=challenge_id)


def _peoples_choice(request, challenge_id):
    require(request.user, "voting.open_staff_area")
    return obtain(
        request.user,
        PeoplesChoice.objects.select_related("challenge"),
        see="voting.manage_vote",
        challenge_id=challenge_id,
    )


def edit(request, challenge_id):
    """Create or change the vote of a challenge (its opening and closing times)."""
    challenge = _challenge(request, challenge_id)
    instance = PeoplesChoice.objects.filter(challenge=challenge).first()
    form = PeoplesChoiceForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.instance.challenge = challenge
        form.save()
        record(
            action="voting.settings_saved",
            obj=form.instance,
            by=request.user,
            opens_at=form.instance.opens_at.isoformat(),
            closes_at=form.instance.closes_at.isoformat(),
        )
        messages.success(request, _("The vote is saved."))
        return redirect("voting_admin:review", challenge_id=challenge.pk)
    return TemplateResponse(
        request, "voting/admin/edit.html", {"form": form, "challenge": challenge, "vote": instance}
    )


def review(request, challenge_id):
    """The held-back votes with the rules they matched; accept or void a selection."""
    peoples_choice = _peoples_choice(request, challenge_id)
    held = list(
        peoples_choice.votes.filter(status=VoteStatus.HELD)
        .select_related("voter", "submission")
        .order_by("cast_at", "pk")
    )
    form = ReviewForm(request.POST or None, held=held)
    if request.method == "POST" and form.is_valid():
        try:
            count = votes.review(
                peoples_choice=peoples_choice,
                vote_ids=form.cleaned_data["votes"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except Refused as exc:
            show(request, exc, form=form)
        else:
            if form.cleaned_data["decision"] == votes.ACCEPT:
                text = ngettext("%(count)d vote accepted.", "%(count)d votes accepted.", count)
                messages.success(request, text % {"count": count})
            else:
                text = ngettext("%(count)d vote voided.", "%(count)d votes voided.", count)
                messages.success(request, text % {"count": count})
            return redirect("voting_admin:review", challenge_id=challenge_id)
    labels = fraud.rule_labels()
    rows = [
        {
            "vote": v,
            "rules": [labels.get(code, code) for code in v.reasons],
            "account_age": v.cast_at - v.voter.date_joined,
        }
        for v in held
    ]
    context = {
        "peoples_choice": peoples_choice,
        "challenge": peoples_choice.challenge,
        "rows": rows,
        "form": form,
        "tally": votes.tally(peoples_choice),
        "rules": fraud.rules_used(),
        "hold_score": fraud.HOLD_SCORE,
    }
    return TemplateResponse(request, "voting/admin/review.html", context)


@require_POST
def publish(request, challenge_id):
    peoples_choice = _peoples_choice(request, challenge_id)
    try:
        votes.publish(peoples_choice=peoples_choice, by=request.user)
    except Refused as exc:
        show(request, exc)
    else:
        messages.success(request, _("The results are published."))
    return redirect("voting_admin:review", challenge_id=challenge_id)
