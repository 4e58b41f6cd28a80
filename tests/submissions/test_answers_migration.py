"""The data migration that turns the fixed entry fields into answers loses nothing.

It runs for real on demo-shaped rows: the schema is migrated back to before the move, the
rows are written with the old columns (as the demo wrote them: every field, a repository
link, versions frozen with the old shape), and the schema is migrated forward again.
"""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

move = importlib.import_module("submissions.migrations.0005_entry_answers_from_columns")

BEFORE = [("submissions", "0004_submission_answers"), ("challenges", "0006_entry_fields")]
# (challenges 0008 turns the file requirements into file questions, 0009 drops them.)


def demo_row(n):
    """The fields the demo (cms/demo/submissions.py) gave each entry, before answers."""
    idea = f"idea number {n} with ʻoʻ and «quotes» <b>and tags</b>"
    return {
        "summary": f"Loyiha {n}: {idea}.",
        "problem": f"People need {idea}.",
        "solution": f"We build {idea}, tested with users in our mahalla.",
        "target_users": "Elderly people, families, doctors and volunteers.",
        "technology": ["Django, Flutter", "Python, Telegram API", "Kotlin, Firebase"][n % 3],
        "repository_url": f"https://github.com/tanlov-demo/{n}",
        "video_url": "" if n % 2 else f"https://youtu.be/{n}",
        "prototype_url": "",
    }


def test_the_conversions_round_trip_without_loss():
    questions = move.default_questions({"require_summary": True, "require_repository": True})
    for n in range(6):
        row = demo_row(n)
        answers = move.answers_from_columns(row)
        frozen = move.frozen_from_old({"title": f"Loyiha {n}", "track": "", **row}, questions)

        assert move.columns_from_answers(answers) == row
        assert move.old_from_frozen(frozen) == {"title": f"Loyiha {n}", "track": "", **row}
        assert {a["key"]: a["value"] for a in frozen["answers"]} == answers
    required = {q["clean_name"] for q in questions if q["required"]}
    assert required == {"summary", "repository_url"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_moves_every_demo_answer_and_version():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Challenge = old.get_model("challenges", "Challenge")
    Team = old.get_model("submissions", "Team")
    Submission = old.get_model("submissions", "Submission")
    Version = old.get_model("submissions", "SubmissionVersion")
    FileRequirement = old.get_model("challenges", "FileRequirement")
    lead = User.objects.create(username="lead")
    rows = {}
    for slug, repository in (("covid-19", False), ("technovation", False), ("open-data", True)):
        challenge = Challenge.objects.create(
            title=slug, slug=slug, kind="innovation", require_repository=repository
        )
        FileRequirement.objects.create(
            challenge=challenge, kind="pitch_deck", required=True, max_size_mb=20
        )
        if repository:
            FileRequirement.objects.create(
                challenge=challenge, kind="source", required=False, max_size_mb=50, max_files=2
            )
        for n in range(4):
            team = Team.objects.create(
                challenge=challenge, name=f"{slug} {n}", lead=lead, join_code=f"{slug}-{n}"
            )
            row = demo_row(n)
            entry = Submission.objects.create(
                challenge=challenge, team=team, owner=lead, title=f"Loyiha {n}", **row
            )
            Version.objects.create(
                submission=entry,
                number=1,
                data={"title": entry.title, "track": "", **row},
                files=[],
                created_by=lead,
            )
            rows[entry.pk] = row

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from challenges.models import EntryField
    from submissions.models import Submission as Now

    for entry in Now.objects.select_related("current_version"):
        row = rows[entry.pk]
        expected = {k: v for k, v in row.items() if v}
        assert entry.answers == expected
        frozen = entry.versions.get().data
        assert frozen["title"] == entry.title
        assert {a["key"]: a["value"] for a in frozen["answers"]} == expected
        assert {a["labels"]["en"] for a in frozen["answers"]} <= {
            "Short summary",
            "Problem",
            "Solution",
            "Target users",
            "Technology",
            "Repository",
            "Demo video",
            "Prototype",
        }
    required = set(
        EntryField.objects.filter(required=True).values_list("challenge__slug", "clean_name")
    )
    assert ("open-data", "repository_url") in required
    assert ("covid-19", "repository_url") not in required
    assert ("covid-19", "summary") in required
    assert EntryField.objects.filter(challenge__slug="technovation").count() == 8 + 1
    files = {
        (q.challenge.slug, q.file_kind): (q.label_en, q.required, q.max_size_mb, q.max_files)
        for q in EntryField.objects.filter(field_type="file").select_related("challenge")
    }
    assert files == {
        ("covid-19", "pitch_deck"): ("Pitch deck (PDF)", True, 20, 1),
        ("technovation", "pitch_deck"): ("Pitch deck (PDF)", True, 20, 1),
        ("open-data", "pitch_deck"): ("Pitch deck (PDF)", True, 20, 1),
        ("open-data", "source"): ("Source code (ZIP)", False, 50, 2),
    }
