"""Participant pages: thin wrappers that parse input, call a service, render."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from challenges.models import Challenge
from challenges.selectors import file_questions
from core.access import allowed, obtain
from core.errors import Refused, as_json, show
from core.forms import cleaned
from core.redirects import safe_next
from core.uploads import UploadRejected, content_disposition

from . import selectors
from .enums import FileStatus
from .forms import (
    NOT_UNDERSTOOD,
    EntryForm,
    InvitationChoiceForm,
    InviteForm,
    JoinForm,
    MemberForm,
    ProfileForm,
    TeamForm,
    UploadForm,
    UploadPartForm,
    UploadSlotForm,
)
from .models import Invitation, SubmissionFile, Team, TeamMembership
from .services import answers, entries, files, receipts, teams
from .services.deadlines import deadline_of, deadline_text, entries_open
from .services.errors import ActionRefused
from .services.profiles import profile_of, save_profile


@login_required
def dashboard(request):
    data = selectors.dashboard_for(request.user)
    for entry in data["entries"]:
        entry.deadline = deadline_of(entry.challenge)
        entry.is_open = entries_open(entry.challenge)
    return render(
        request,
        "submissions/dashboard.html",
        {**data, "profile": profile_of(request.user)},
    )


@login_required
def profile(request):
    instance = profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        save_profile(profile=form.save(commit=False), by=request.user)
        messages.success(request, _("Your profile is saved."))
        return redirect(safe_next(request, "submissions:dashboard"))
    return render(request, "submissions/profile.html", {"form": form})


@login_required
def enter(request, slug):
    challenge = get_object_or_404(Challenge.objects.prefetch_related("phases"), slug=slug)
    user = request.user
    membership = (
        TeamMembership.objects.filter(challenge=challenge, user=user).select_related("team").first()
    )
    entry = selectors.entries_of(user).filter(challenge=challenge).first()
    # The services refuse an ineligible person too (a POST made without this page).
    standing = entries.may_start(user, challenge)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create_team":
                form = TeamForm(request.POST)
                if form.is_valid():
                    team = teams.create_team(
                        challenge=challenge, name=form.cleaned_data["name"], by=user
                    )
                    return redirect("submissions:team", pk=team.pk)
            elif action == "join":
                form = JoinForm(request.POST)
                if form.is_valid():
                    membership = teams.join_by_code(code=form.cleaned_data["code"], by=user)
                    return redirect("submissions:team", pk=membership.team_id)
            elif action == "individual":
                entry = entries.start_entry(challenge=challenge, by=user)
                return redirect("submissions:entry", pk=entry.pk)
        except ActionRefused as exc:
            show(request, exc)
        return redirect("submissions:enter", slug=slug)
    return render(
        request,
        "submissions/enter.html",
        {
            "challenge": challenge,
            "membership": membership,
            "entry": entry,
            "profile": profile_of(user),
            "standing": standing,
            "track_standings": [
                (track, entries.may_start(user, challenge, track))
                for track in challenge.tracks.all()
            ],
            "is_open": entries_open(challenge),
            "deadline": deadline_text(challenge),
            "team_form": TeamForm(),
            "join_form": JoinForm(),
        },
    )


def _team_for(user, pk):
    return obtain(
        user, Team.objects.select_related("challenge", "lead"), see="submissions.view_team", pk=pk
    )


@login_required
def team(request, pk):
    team = _team_for(request.user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        User = get_user_model()
        try:
            if action == "invite":
                form = InviteForm(request.POST)
                if not form.is_valid():
                    raise ActionRefused(_("Please enter a valid e-mail address."))
                invitation = teams.invite(
                    team=team,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invitation.email},
                )
            elif action == "transfer":
                target = get_object_or_404(User, pk=cleaned(MemberForm(request.POST))["user"])
                teams.transfer_lead(team=team, to_user=target, by=request.user)
            elif action == "remove":
                target = get_object_or_404(User, pk=cleaned(MemberForm(request.POST))["user"])
                teams.remove_member(team=team, user=target, by=request.user)
                if target == request.user:
                    return redirect("submissions:dashboard")
            elif action == "revoke":
                invitation = teams.revoke_invitation(
                    team=team,
                    invitation_id=cleaned(InvitationChoiceForm(request.POST))["invitation"],
                    by=request.user,
                )
                messages.success(
                    request,
                    _("The invitation to %(email)s is withdrawn: its link no longer works.")
                    % {"email": invitation.email},
                )
            elif action == "new_code":
                teams.regenerate_join_code(team=team, by=request.user)
            elif action == "start_entry":
                entry = entries.start_entry(challenge=team.challenge, team=team, by=request.user)
                return redirect("submissions:entry", pk=entry.pk)
        except ActionRefused as exc:
            show(request, exc)
        except Refused as exc:  # a request the page never sends: say so on the page, 400
            show(request, exc)
            return _team_page(request, team, status=exc.status)
        return redirect("submissions:team", pk=team.pk)
    return _team_page(request, team)


def _team_page(request, team, *, status=200):
    memberships = team.memberships.select_related("user__profile").order_by("joined_at")
    return render(
        request,
        "submissions/team.html",
        {
            "team": team,
            "memberships": memberships,
            "is_lead": team.lead_id == request.user.pk,
            "entry": team.submissions.first(),
            "invite_form": InviteForm(),
            "join_url": request.build_absolute_uri(
                reverse("submissions:join", args=[team.join_code])
            ),
            # Every invitation not accepted (accepted ones are members), with where it
            # stands: the lead sees who declined, and withdraws the pending ones.
            "invitations": [
                (invitation, teams.invitation_state(invitation))
                for invitation in team.invitations.filter(accepted_at__isnull=True).order_by(
                    "-created_at", "-pk"
                )
            ],
        },
        status=status,
    )


@login_required
def join(request, code):
    team = Team.objects.filter(join_code=code).select_related("challenge").first()
    if request.method == "POST":
        try:
            membership = teams.join_by_code(code=code, by=request.user)
        except ActionRefused as exc:
            show(request, exc)
            return redirect("submissions:dashboard")
        messages.success(request, _("You have joined the team."))
        return redirect("submissions:team", pk=membership.team_id)
    return render(request, "submissions/join.html", {"team": team, "code": code})


def invitation(request, token):
    """An e-mailed team invitation. Its token is the secret: anyone holding the link sees
    whom it invites where, and may decline it; accepting needs the invitee's account, and
    someone without one is led through sign-up (``next=``) back here."""
    found = (
        Invitation.objects.filter(token=token)
        .select_related("team__challenge", "invited_by__profile")
        .first()
    )
    if request.method == "POST":
        action = request.POST.get("action") or "accept"
        if action == "decline":
            try:
                teams.decline_invitation(token=token, by=request.user)
            except ActionRefused as exc:
                show(request, exc)
            else:
                messages.success(
                    request,
                    _("You have declined the invitation. The team lead sees that you said no."),
                )
            return redirect("submissions:invitation", token=token)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            membership = teams.accept_invitation(token=token, by=request.user)
        except ActionRefused as exc:
            show(request, exc)
            return redirect("submissions:dashboard")
        messages.success(request, _("You have joined the team."))
        return redirect("submissions:team", pk=membership.team_id)
    state = teams.invitation_state(found) if found else None
    here = request.get_full_path()
    return render(
        request,
        "submissions/invitation.html",
        {
            "invitation": found,
            "state": state,
            "closed_reason": teams.closed_reason(state) if state else "",
            "inviter": _person_name(found.invited_by) if found else "",
            "other_address": bool(
                found
                and request.user.is_authenticated
                and not allowed(request.user, "submissions.answer_invitation", found)
            ),
            # A new account has no profile yet: the profile form brings them back here.
            "needs_profile": request.user.is_authenticated and profile_of(request.user) is None,
            "profile_url": f"{reverse('submissions:profile')}?{urlencode({'next': here})}",
            "signup_url": f"{reverse('account_signup')}?{urlencode({'next': here})}",
            "login_url": f"{reverse('account_login')}?{urlencode({'next': here})}",
        },
    )


def _person_name(user):
    profile = getattr(user, "profile", None)
    return (profile and profile.full_name) or user.get_full_name() or user.get_username()


def _answer_form(submission, *, data=None, track=None):
    questions = answers.questions_for(
        submission.challenge, track=track if track is not None else submission.track_id
    )
    return answers.build_form(questions, data=data, answers=submission.answers)


@login_required
def entry(request, pk):
    submission = selectors.entry_for(request.user, pk)
    challenge = submission.challenge
    form = EntryForm(instance=submission, challenge=challenge)
    answer_form = None  # built when the page is shown: a post that goes through never is
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "withdraw":
                entries.withdraw_entry(submission=submission, by=request.user)
                messages.success(request, _("Your entry is withdrawn."))
                return redirect("submissions:entry", pk=pk)
            form = EntryForm(request.POST, instance=submission, challenge=challenge)
            track = form.cleaned_data.get("track") if form.is_valid() else None
            # The questions of the track chosen in this very post.
            answer_form = _answer_form(submission, data=request.POST, track=track)
            if form.is_valid() and answer_form.is_valid():
                data = {name: form.cleaned_data.get(name) for name in entries.DRAFT_FIELDS}
                submission.refresh_from_db()
                entries.save_draft(
                    submission=submission,
                    data=data,
                    track=track,
                    answers=answer_form.answers(),
                    by=request.user,
                )
                if action == "submit":
                    version = entries.submit_entry(submission=submission, by=request.user)
                    messages.success(
                        request,
                        _("Submitted: version %(n)s is the one the jury will see.")
                        % {"n": version.number},
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("submissions:entry", pk=pk)
        except ActionRefused as exc:
            show(request, exc)
            submission = selectors.entry_for(request.user, pk)
    is_open = entries_open(challenge)
    requirements = list(file_questions(challenge))
    can_edit = is_open and allowed(request.user, "submissions.edit_entry", submission)
    versions = list(submission.versions.order_by("-number"))
    return render(
        request,
        "submissions/entry.html",
        {
            "submission": submission,
            "challenge": challenge,
            "form": form,
            "answer_form": answer_form if answer_form is not None else _answer_form(submission),
            "draft_answers": [] if can_edit else _draft_answers(submission),
            "upload_form": UploadForm(requirements=requirements),
            "requirements": requirements,
            "is_open": is_open,
            "deadline": deadline_text(challenge),
            "can_edit": can_edit,
            "problems": entries.problems(submission) if is_open else [],
            "versions": versions,
            "history": selectors.history_of(submission, versions),
            "unsubmitted": entries.has_unsubmitted_changes(submission),
        },
        status=400 if request.method == "POST" else 200,
    )


def _draft_answers(submission):
    data, _files = entries.snapshot(submission)
    return answers.shown(data["answers"], audience="team")


@login_required
def version(request, pk, number):
    """A submitted version, read-only, exactly as it was frozen: what the jury judges."""
    submission = selectors.entry_for(request.user, pk)
    frozen = get_object_or_404(submission.versions.select_related("created_by"), number=number)
    track = next(
        (t for t in submission.challenge.tracks.all() if t.slug == frozen.data.get("track")), None
    )
    return render(
        request,
        "submissions/version.html",
        {
            "submission": submission,
            "version": frozen,
            "answers": answers.shown(frozen.data.get("answers"), audience="team"),
            "track": track,
            "is_current": frozen.pk == submission.current_version_id,
        },
    )


@login_required
@require_http_methods(["GET"])
def version_receipt(request, pk, number):
    """The PDF receipt of a submitted version, in the reader's language."""
    submission = selectors.entry_for(request.user, pk)
    frozen = get_object_or_404(submission.versions.all(), number=number)
    track = next(
        (t for t in submission.challenge.tracks.all() if t.slug == frozen.data.get("track")), None
    )
    body = receipts.receipt_pdf(submission=submission, version=frozen, track=track)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        receipts.receipt_filename(submission, frozen)
    )
    return response


def _payload(request):
    """The JSON object a request carries; its form fields if it is a form; else ``{}``.

    :class:`~core.errors.Refused` for a body that is not a JSON object: a list, a number,
    broken JSON, or JSON nested too deep for the parser (``RecursionError``).
    """
    try:
        if request.content_type != "application/json":
            return request.POST
        payload = json.loads(request.body or b"{}")
    except RequestDataTooBig:
        raise Refused(_("The request is too large; nothing was changed.")) from None
    except (ValueError, RecursionError):
        raise Refused(NOT_UNDERSTOOD) from None
    if not isinstance(payload, dict):
        raise Refused(NOT_UNDERSTOOD)
    return payload


@login_required
@require_POST
def file_slot(request, pk):
    submission = selectors.entry_for_files(request.user, pk)
    try:
        payload = _payload(request)
        size = cleaned(UploadSlotForm({"size": payload.get("size")}))["size"]
    except Refused as exc:
        return as_json(exc)
    try:
        file, slot = files.request_upload(
            submission=submission,
            kind=str(payload.get("kind", "")),
            filename=str(payload.get("name", "")),
            content_type=str(payload.get("content_type", "")),
            size=size,
            sha256=payload.get("sha256") or "",
            by=request.user,
        )
    except Refused as exc:  # refused by the rules (400/403) or S3 down (503)
        return as_json(exc)
    return JsonResponse({"file": file.pk, **slot})


def _file_of(request, pk, file_pk):
    submission = selectors.entry_for_files(request.user, pk)
    file = get_object_or_404(SubmissionFile, pk=file_pk, submission=submission)
    file.submission = submission  # the row just checked, with its challenge and team loaded
    return file


@login_required
@require_POST
def file_part(request, pk, file_pk):
    file = _file_of(request, pk, file_pk)
    try:
        number = cleaned(UploadPartForm({"part": _payload(request).get("part")}))["part"]
        url = files.part_url(file=file, part_number=number, by=request.user)
    except Refused as exc:  # refused by the rules (400/403) or S3 down (503)
        return as_json(exc)
    return JsonResponse({"url": url})


@login_required
@require_POST
def file_confirm(request, pk, file_pk):
    file = _file_of(request, pk, file_pk)
    try:
        sha256 = _payload(request).get("sha256") or ""
    except Refused as exc:
        return as_json(exc)
    try:
        file = files.confirm_upload(file=file, by=request.user, sha256=sha256)
    except Refused as exc:  # refused by the rules (400/403), the file (400), S3 down (503)
        return as_json(exc)
    return JsonResponse(
        {"file": file.pk, "name": file.original_name, "size": file.size, "sha256": file.sha256}
    )


@login_required
@require_POST
def file_upload(request, pk):
    """No-JavaScript fallback: the file comes through Django."""
    submission = selectors.entry_for(request.user, pk)
    back = safe_next(request, reverse("submissions:entry", args=[pk]))
    form = UploadForm(
        request.POST,
        request.FILES,
        requirements=file_questions(submission.challenge, stage=None),
    )
    if not form.is_valid():
        # Django's own reasons (an empty file, a missing one) are translated and clearer.
        reasons = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, " ".join(reasons) or _("Please choose a kind and a file."))
        return redirect(back)
    try:
        file = files.attach_file(
            submission=submission,
            kind=form.cleaned_data["kind"],
            uploaded=form.cleaned_data["file"],
            by=request.user,
        )
    except (ActionRefused, UploadRejected) as exc:
        show(request, exc)
    else:
        messages.success(request, _("%(name)s is attached.") % {"name": file.original_name})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def file_remove(request, pk, file_pk):
    """GET asks to confirm (and says whether the jury still sees the file); POST removes."""
    file = _file_of(request, pk, file_pk)
    back = safe_next(request, reverse("submissions:entry", args=[pk]))
    if request.method == "GET":
        version = file.submission.current_version
        in_version = version is not None and any(
            ref.get("id") == file.pk for ref in (version.files or [])
        )
        context = {
            "file": file,
            "submission": file.submission,
            "in_version": in_version,
            "back": back,
        }
        return render(request, "submissions/file_remove.html", context)
    try:
        files.remove_file(file=file, by=request.user)
    except ActionRefused as exc:
        show(request, exc)
    return redirect(back)


@login_required
def file_download(request, pk, file_pk):
    """A short-lived presigned link, for the team, the challenge's staff and its jurors."""
    file = obtain(
        request.user,
        SubmissionFile.objects.select_related("submission__challenge", "submission__team"),
        see="submissions.download_file",
        via="submission",
        pk=file_pk,
        submission_id=pk,
        status=FileStatus.VERIFIED,
    )
    return redirect(files.download_url(file=file))
