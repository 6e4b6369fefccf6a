from django.db import migrations


class Migration(migrations.Migration):
    """The access app's first migration: later ones add its tables."""

    initial = True
    dependencies: list = []
    operations: list = []
