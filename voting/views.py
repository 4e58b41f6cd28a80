"""The public side of the people's choice vote: the gallery, a vote, the results."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certificates.ratelimit import limited
from core import uploads
from core.access import obtain, require
from core.client_ip import client_ip
from core.errors import Refused, show
from core.redirects import safe_next
from submissions.models import Submission

from .filters import GalleryFilter
from .models import PeoplesChoice
from .services import fraud, phone, votes

IMAGE_MAX_BYTES = 5 * 1024 * 1024
PER_PAGE = 24


def _vote_of(slug):
    return get_object_or_404(
        PeoplesChoice.objects.select_related("challenge"), challenge__slug=slug
    )


def vote_rate():
    return settings.TANLOV_VOTE_RATE


@require_GET
def gallery(request, slug):
    peoples_choice = _vote_of(slug)
    challenge = peoples_choice.challenge
    entries = votes.gallery_entries(peoples_choice)
    filtered = GalleryFilter(request.GET or None, queryset=entries, challenge=challenge)
    mine = votes.vote_of(peoples_choice, request.user)
    page = Paginator(filtered.qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "peoples_choice": peoples_choice,
        "challenge": challenge,
        "filter": filtered,
        "page_obj": page,
        "querystring": query.urlencode(),
        "cards": votes.cards(page.object_list),
        "my_vote": mine,
        "is_open": peoples_choice.is_open(),
        "verified": votes.is_verified(request.user),
        "needs_phone": peoples_choice.require_phone and not phone.is_confirmed(request.user),
    }
    return TemplateResponse(request, "voting/gallery.html", context)


@require_POST
@login_required
@limited("vote", app="voting", rate=vote_rate, template="429.html")
def vote(request, slug):
    peoples_choice = _vote_of(slug)
    raw = request.POST.get("entry") or ""
    entry = (
        Submission.objects.filter(challenge=peoples_choice.challenge, pk=raw).first()
        if raw.isdigit()
        else None
    )
    back = reverse("voting:gallery", kwargs={"slug": slug})
    if entry is None:
        messages.error(request, _("This entry is not in the vote."))
        return redirect(back)
    before = votes.vote_of(peoples_choice, request.user)
    try:
        votes.cast_vote(
            peoples_choice=peoples_choice,
            entry=entry,
            by=request.user,
            address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except Refused as exc:
        show(request, exc)
        return redirect(back)
    if before is None:
        messages.success(request, _("Thank you: your vote is recorded."))
    elif before.submission_id != entry.pk:
        messages.success(request, _("Your vote is changed."))
    else:
        messages.info(request, _("You already voted for this entry."))
    return redirect(back)


@require_GET
def image(request, slug, pk):
    """The entry's image, served by the site (never for an entry with a member under 18)."""
    peoples_choice = _vote_of(slug)
    entry = votes.gallery_entries(peoples_choice).filter(pk=pk).first()
    if entry is None or entry.pk in votes.with_minors([entry]):
        raise Http404
    file = votes.gallery_image(entry)
    if file is None:
        raise Http404
    body = uploads.read_object(key=file.key, max_bytes=IMAGE_MAX_BYTES)
    response = HttpResponse(body, content_type=uploads.safe_content_type(file.content_type))
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def results(request, slug):
    """Hidden until staff publish; then the counts and the audit summary, for anyone."""
    peoples_choice = _vote_of(slug)
    context = {"peoples_choice": peoples_choice, "challenge": peoples_choice.challenge}
    if peoples_choice.is_published:
        context["tally"] = votes.tally(peoples_choice)
        context["rules"] = fraud.rules_used()
        context["hold_score"] = fraud.HOLD_SCORE
    return TemplateResponse(request, "voting/results.html", context)


@login_required
def consent(request, pk):
    """The team's lead puts its entry in the public gallery, or takes it out."""
    entry = obtain(
        request.user,
        Submission.objects.select_related("team", "challenge"),
        see="voting.see_consent",
        pk=pk,
    )
    if request.method == "POST":
        require(request.user, "voting.give_consent", entry)
        try:
            votes.set_consent(
                entry=entry, consent=request.POST.get("consent") == "yes", by=request.user
            )
        except Refused as exc:
            show(request, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("voting:consent", pk=entry.pk)
    context = {
        "entry": entry,
        "consented": hasattr(entry, "gallery_consent"),
        "may_decide": votes.may_consent(request.user, entry),
    }
    return TemplateResponse(request, "voting/consent.html", context)


@login_required
def phone_page(request):
    """Confirm the profile's phone number by an SMS code, then go back where ``next`` says."""
    back = safe_next(request, reverse("voting:phone"))
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send":
                phone.send_code(user=request.user)
                messages.success(request, _("A code is on its way to your phone."))
                return redirect(f"{reverse('voting:phone')}?next={quote(back)}")
            phone.confirm_code(user=request.user, code=request.POST.get("code"))
        except Refused as exc:
            show(request, exc)
            status = exc.status
        else:
            messages.success(request, _("Your phone number is confirmed."))
            return redirect(back)
    number = phone.phone_of(request.user)
    context = {
        "masked": f"+{number[:5]} ••• •• {number[-2:]}" if number else "",
        "confirmed": phone.is_confirmed(request.user),
        "next": back,
    }
    return TemplateResponse(request, "voting/phone.html", context, status=status)
