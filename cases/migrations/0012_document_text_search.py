import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_audit_role_and_outbox_behalf"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="display_pdf",
            field=models.FileField(blank=True, upload_to="handlingar/pdf/%Y/"),
        ),
        migrations.AddField(
            model_name="document",
            name="text",
            field=models.TextField(blank=True, verbose_name="text"),
        ),
        migrations.AddField(
            model_name="document",
            name="text_extracted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="document",
            name="text_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.SearchVector("text", config="swedish"),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="document",
            index=django.contrib.postgres.indexes.GinIndex(fields=["text_vector"], name="document_text_search_idx"),
        ),
    ]
