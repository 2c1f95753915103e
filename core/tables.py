"""Moving models between apps without moving their data.

When a model moves to another app it keeps its table (`Meta.db_table`, and `table_name` for its
history). The new app's first migration declares the models in its state only, then runs
`adopt_tables`: on a database that already has the tables (one migrated before the move) it takes
them over as they are, with every row, and hands the content types (and so the permissions granted
on them) to the new app; on a fresh database it creates the tables and runs `on_create` (the data
the former app's migrations added).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import migrations


def adopt_tables(
    app_label: str, model_names: list[str], *, former_app: str, on_create: Callable | None = None
) -> migrations.RunPython:
    def forward(apps, schema_editor):
        connection = schema_editor.connection
        existing = set(connection.introspection.table_names())
        created = False
        for name in model_names:
            model = apps.get_model(app_label, name)
            if model._meta.db_table not in existing:
                schema_editor.create_model(model)
                created = True
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(connection.alias).filter(
            app_label=former_app, model__in=[name.lower() for name in model_names]
        ).update(app_label=app_label)
        if created and on_create is not None:
            on_create(apps, schema_editor)

    return migrations.RunPython(forward, migrations.RunPython.noop)
