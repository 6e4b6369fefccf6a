# Audit logs name their author and time alike: `user` and `at` (as append_only.PersonalDataLog).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_no_overlap_postgresql"),
    ]

    operations = [
        migrations.RenameField(model_name="bookingevent", old_name="by", new_name="user"),
    ]
