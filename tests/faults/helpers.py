"""What a participant's browser does against the gunicorn of the fault tests."""

import hashlib
import json

import requests
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import get_random_string

from tests.submissions.builders import PDF

TIMEOUT = 30


class Browser:
    """A signed-in person's browser: session cookie, CSRF token, language prefix."""

    def __init__(self, web, user, language="en", timeout=TIMEOUT):
        self.web, self.language, self.timeout = web, language, timeout
        client = Client()
        client.force_login(user)  # the session row is in the database gunicorn reads
        self.http = requests.Session()
        self.http.cookies.set("sessionid", client.cookies["sessionid"].value)
        answer = self.http.get(self.url("submissions:dashboard"), timeout=TIMEOUT)
        answer.raise_for_status()  # signed in: the participant's dashboard
        self.csrf = self.http.cookies.get("csrftoken")
        if not self.csrf:  # the page had no form: any 32-character secret will do
            self.csrf = get_random_string(32)
            self.http.cookies.set("csrftoken", self.csrf)

    def url(self, name, *args):
        with translation.override(self.language):
            return self.web.url + reverse(name, args=args)

    def post(self, url, data=None, **kwargs):
        headers = {"X-CSRFToken": self.csrf, "Referer": url}
        return self.http.post(url, data=data, headers=headers, timeout=self.timeout, **kwargs)

    def post_json(self, url, payload):
        return self.http.post(
            url,
            data=json.dumps(payload),
            headers={"X-CSRFToken": self.csrf, "Content-Type": "application/json"},
            timeout=self.timeout,
        )

    # --- an entry's file, the way upload.js sends it --------------------------------------
    def slot(self, entry, *, name="deck.pdf", body=PDF, kind="pitch_deck", ct="application/pdf"):
        return self.post_json(
            self.url("submissions:file_slot", entry.pk),
            {
                "kind": kind,
                "name": name,
                "size": len(body),
                "content_type": ct,
                "sha256": hashlib.sha256(body).hexdigest(),
            },
        )

    def send_to_s3(self, slot, body, ct="application/pdf"):
        """The presigned POST straight to S3 (no cookies, like a cross-origin form)."""
        return requests.post(
            slot["url"], data=slot["fields"], files={"file": ("x", body, ct)}, timeout=self.timeout
        )

    def confirm(self, entry, file_pk):
        return self.post(self.url("submissions:file_confirm", entry.pk, file_pk))

    def upload(self, entry, **kwargs):
        """slot → S3 → confirm; returns the confirm answer and the file's id."""
        body = kwargs.get("body", PDF)
        slot = self.slot(entry, **kwargs)
        slot.raise_for_status()
        slot = slot.json()
        sent = self.send_to_s3(slot, body, kwargs.get("ct", "application/pdf"))
        assert sent.status_code in (200, 201, 204), sent.text
        return self.confirm(entry, slot["file"]), slot["file"]

    def submit(self, entry, *, title, summary="A volunteer-matching app."):
        return self.post(
            self.url("submissions:entry", entry.pk),
            {"title": title, "summary": summary, "action": "submit"},
            allow_redirects=False,
        )


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def web_health(web):
    """What ``/healthz`` says through gunicorn (200 or 503, JSON either way)."""
    return requests.get(f"{web.url}/healthz", timeout=30).json()


def audit_count(action):
    from core.models import AuditEntry

    return AuditEntry.objects.filter(action=action).count()
