from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from challenges.models import Challenge


@login_required
def dashboard(request):
    return render(request, "submissions/dashboard.html", {})


@login_required
def enter(request, slug):
    challenge = get_object_or_404(Challenge, slug=slug)
    return render(request, "submissions/enter.html", {"challenge": challenge})
