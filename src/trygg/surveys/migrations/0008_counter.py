from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0007_response_has_text_flagged"),
    ]

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                ("n", models.BigIntegerField()),
                ("expires", models.DateTimeField(db_index=True)),
            ],
        ),
    ]
