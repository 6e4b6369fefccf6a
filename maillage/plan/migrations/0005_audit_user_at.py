# Audit logs name their author and time alike: `user` and `at` (as append_only.PersonalDataLog).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0004_bulk_update_kind_series"),
    ]

    operations = [
        migrations.RenameField(model_name="sheetstatuschange", old_name="changed_at", new_name="at"),
        migrations.RenameField(
            model_name="sheetstatuschange", old_name="changed_by", new_name="user"
        ),
        migrations.AlterModelOptions(
            name="sheetstatuschange",
            options={
                "ordering": ["-at", "-id"],
                "verbose_name": "changement de statut",
                "verbose_name_plural": "changements de statut",
            },
        ),
    ]
