"""One strengths section: "What is working well?" is joined into "Strengths and protective factors" (its
text first, a blank line between), so nothing typed in either is lost. And the call made before review."""

from django.db import migrations, models


def join_strengths(apps, schema_editor):
    Draft = apps.get_model("referrals", "Draft")
    for draft in Draft.objects.exclude(working_well="").only("pk", "working_well", "strengths").iterator():
        draft.strengths = "\n\n".join(t for t in (draft.working_well.strip(), draft.strengths.strip()) if t)
        draft.save(update_fields=["strengths"])


class Migration(migrations.Migration):

    dependencies = [
        ("referrals", "0003_text_limits"),
    ]

    operations = [
        # Going back leaves the joined text in strengths: nothing is split or lost.
        migrations.RunPython(join_strengths, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="draft",
            name="working_well",
        ),
        migrations.AddField(
            model_name="draft",
            name="phone_call_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="When you phoned"),
        ),
        migrations.AddField(
            model_name="draft",
            name="phone_call_outcome",
            field=models.TextField(blank=True, max_length=3000, verbose_name="What they said"),
        ),
        migrations.AddField(
            model_name="draft",
            name="phone_call_with",
            field=models.CharField(blank=True, max_length=200, verbose_name="Who you spoke to"),
        ),
    ]
