"""The load of ``bench/deadline.py`` (a locustfile; that bench runs it, headless).

Reads the world the bench made from the JSON file named by ``TANLOV_DEADLINE_PLAN``:

* one ``Team`` user per team: it signs in, saves its draft, asks for an upload slot, posts
  the file to S3 the way the browser does (the presigned POST, straight to the bucket),
  confirms it and submits — starting at its own moment of the deadline minute, so that the
  teams arrive spread over ``spread`` seconds;
* ``Visitor`` users reading the challenge's public page, anonymously;
* one ``Prober``, signed in, asking for a trivial signed-in view four times a second: the
  baseline, under the same load.

Production cookies are ``Secure``; the stack is reached over loopback HTTP with the headers
a TLS proxy adds (``X-Forwarded-Proto: https``, ``X-Forwarded-For`` with each browser's own
address, the bench trusting one proxy hop), so the cookies are marked sendable.
When every team is done, the run stops; what each team uploaded goes to ``results``.
"""

import hashlib
import json
import os
import time

import gevent
from locust import HttpUser, constant, events, task
from locust.exception import StopUser

PLAN = json.loads(open(os.environ["TANLOV_DEADLINE_PLAN"], encoding="utf-8").read())  # noqa: SIM115
TEAMS = list(PLAN["teams"])
STARTED = time.monotonic()
_done = []
_results = {}
_browsers = []


class Browser(HttpUser):
    abstract = True
    host = PLAN["base"]

    def on_start(self):
        # Each browser has its own address, as the TLS proxy reports it (X-Forwarded-For,
        # one trusted hop): per-address rate limits see each team, not the proxy.
        _browsers.append(None)
        n = len(_browsers)
        self.client.headers.update(
            {
                "X-Forwarded-Proto": "https",
                "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
                "Referer": PLAN["origin"] + "/en/",
            }
        )

    def csrf(self):
        return self.client.cookies.get("csrftoken", "")

    def expect(self, method, url, *, name, status, **kwargs):
        with self.client.request(
            method, url, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code != status:
                response.failure(
                    f"{response.status_code} (expected {status}): {response.text[:150]}"
                )
                raise StopUser()
            response.success()
        # Send the Secure cookies over the loopback HTTP the TLS proxy would terminate
        # (requests copies the jar for each request, so the cookies themselves are marked).
        for cookie in self.client.cookies:
            cookie.secure = False
        return response

    def sign_in(self, email, name="1 sign in"):
        self.expect("GET", "/en/accounts/login/", name="1 sign in (form)", status=200)
        self.expect(
            "POST",
            "/en/accounts/login/",
            name=name,
            status=302,
            data={"login": email, "password": PLAN["password"], "csrfmiddlewaretoken": self.csrf()},
        )


class Team(HttpUser):
    fixed_count = len(TEAMS)
    wait_time = constant(3600)
    host = PLAN["base"]
    on_start = Browser.on_start
    csrf = Browser.csrf
    expect = Browser.expect
    sign_in = Browser.sign_in

    @task
    def deadline(self):
        team = TEAMS.pop()
        # Each team's own moment in the last minute.
        gevent.sleep(max(0.0, team["at"] - (time.monotonic() - STARTED)))
        try:
            self.play(team)
        finally:  # done, or stopped by a failure: either way no longer in the run
            _done.append(team["entry"])
            if len(_done) == Team.fixed_count:
                gevent.spawn_later(PLAN["linger"], self.environment.runner.quit)
        raise StopUser()

    def play(self, team):
        entry = f"/en/me/entry/{team['entry']}/"
        self.sign_in(team["email"])
        form = {**team["form"], "csrfmiddlewaretoken": self.csrf()}
        self.expect("POST", entry, name="2 save draft", status=302, data={**form, "action": "save"})
        filler = b"0" * PLAN["file_size"]
        body = b"%PDF-1.4\n% " + team["email"].encode() + b"\n" + filler + b"\n%%EOF\n"
        slot = self.expect(
            "POST",
            entry + "files/slot/",
            name="3 upload slot",
            status=200,
            json={
                "kind": "pitch_deck",
                "name": "pitch.pdf",
                "size": len(body),
                "content_type": "application/pdf",
            },
            headers={"X-CSRFToken": self.csrf()},
        ).json()
        self.expect(
            "POST",
            slot["url"],
            name="4 file to S3 (presigned POST)",
            status=204,
            data=slot["fields"],
            files={"file": ("pitch.pdf", body, "application/pdf")},
        )
        self.expect(
            "POST",
            f"{entry}files/{slot['file']}/confirm/",
            name="5 confirm upload",
            status=200,
            headers={"X-CSRFToken": self.csrf()},
        )
        self.expect("POST", entry, name="6 submit", status=302, data={**form, "action": "submit"})
        _results[team["entry"]] = {
            "upload_key": slot["fields"]["key"],
            "file": slot["file"],
            "sha256": hashlib.sha256(body).hexdigest(),
        }


class Visitor(HttpUser):
    fixed_count = PLAN["visitors"]
    wait_time = constant(1)
    host = PLAN["base"]
    on_start = Browser.on_start

    @task
    def read(self):
        with self.client.get(
            PLAN["challenge_page"], name="challenge page (anonymous)", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class Prober(HttpUser):
    fixed_count = 1
    wait_time = constant(0.25)
    host = PLAN["base"]
    on_start_browser = Browser.on_start
    csrf = Browser.csrf
    expect = Browser.expect
    sign_in = Browser.sign_in

    def on_start(self):
        self.on_start_browser()
        self.sign_in(PLAN["prober"], name="1 sign in (prober)")

    @task
    def plain(self):
        self.expect("GET", "/bench/plain/", name="trivial signed-in view", status=200)


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(PLAN["results"], "w", encoding="utf-8") as handle:
        json.dump(_results, handle)
