import django.db.models.deletion
from django.db import migrations, models

from challenges.services.districts import match


def match_districts(apps, schema_editor):
    """Each free-text district answer becomes the district of the person's region it
    names; an answer that names none (or several) stays as typed, for staff to settle."""
    Profile = apps.get_model("submissions", "Profile")
    District = apps.get_model("challenges", "District")
    by_region = {}
    for district in District.objects.all():
        by_region.setdefault(district.region_id, []).append(district)
    for profile in Profile.objects.exclude(district_typed="").filter(district__isnull=True):
        found = match(profile.district_typed, by_region.get(profile.region_id, []))
        if found is not None:
            profile.district = found
            profile.district_typed = ""
            profile.save(update_fields=["district", "district_typed"])


def back_to_text(apps, schema_editor):
    Profile = apps.get_model("submissions", "Profile")
    for profile in Profile.objects.filter(district__isnull=False).select_related("district"):
        profile.district_typed = profile.district.name
        profile.save(update_fields=["district_typed"])


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0013_load_districts"),
        ("submissions", "0008_invitation_declined_revoked"),
    ]

    operations = [
        migrations.RenameField("profile", "district", "district_typed"),
        migrations.AlterField(
            model_name="profile",
            name="district_typed",
            field=models.CharField(blank=True, max_length=120, verbose_name="district as typed"),
        ),
        migrations.AddField(
            model_name="profile",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="challenges.district",
                verbose_name="district",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="disability",
            field=models.CharField(
                blank=True,
                choices=[
                    ("yes", "Yes"),
                    ("no", "No"),
                    ("undisclosed", "Prefer not to say"),
                ],
                max_length=12,
                verbose_name="Do you have a disability or a long-term health condition?",
            ),
        ),
        migrations.RunPython(match_districts, back_to_text),
    ]
