# Audit logs name their author and time alike: `user` and `at` (as append_only.PersonalDataLog).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_http_urls_and_required_ids"),
    ]

    operations = [
        migrations.RenameField(model_name="helprequestevent", old_name="author", new_name="user"),
    ]
