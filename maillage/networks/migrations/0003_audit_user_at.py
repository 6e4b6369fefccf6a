# Audit logs name their author and time alike: `user` and `at` (as append_only.PersonalDataLog).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("networks", "0002_http_urls_only"),
    ]

    operations = [
        migrations.RenameField(
            model_name="memberstatuschange", old_name="recorded_at", new_name="at"
        ),
        migrations.RenameField(
            model_name="memberstatuschange", old_name="recorded_by", new_name="user"
        ),
    ]
