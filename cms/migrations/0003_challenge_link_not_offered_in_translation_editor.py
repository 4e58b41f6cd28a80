"""The Challenge a page presents is no longer an overridable value in wagtail-localize's
editor (see ``ChallengePage.override_translatable_fields``): drop the segments already
extracted for it, which the editor would go on showing as a bare id until the source page
is synced again. Overrides of it were never meaningful (every language presents the same
Challenge); the synchronised field itself is untouched."""

from django.db import migrations


def drop_challenge_segments(apps, schema_editor):
    OverridableSegment = apps.get_model("wagtail_localize", "OverridableSegment")
    SegmentOverride = apps.get_model("wagtail_localize", "SegmentOverride")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_types = ContentType.objects.filter(
        app_label="cms", model__in=["challengepage", "resultspage"]
    )
    segments = OverridableSegment.objects.filter(
        source__specific_content_type__in=page_types, context__path="challenge"
    )
    SegmentOverride.objects.filter(
        context__in=segments.values("context"), context__path="challenge"
    ).delete()
    segments.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_challenge_pages"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(drop_challenge_segments, migrations.RunPython.noop)]
