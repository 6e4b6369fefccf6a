# Audit logs name their author and time alike: `user` and `at` (as append_only.PersonalDataLog).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("transport", "0003_one_live_ride_per_booking_one_pending_run"),
    ]

    operations = [
        migrations.RenameField(model_name="riderequestevent", old_name="by", new_name="user"),
    ]
