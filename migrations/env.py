"""How Alembic reaches the project's database: ``DATABASE_URL``, one migrating process at a time.

Run by the command line (``alembic upgrade head``, ``alembic revision --autogenerate``)
or by ``records.schema.upgrade``, which hands over its target (a URL, or the
calling process's own engine) in ``config.attributes``.
"""

from logging.config import fileConfig

from alembic import context

from records import schema
from records.models import PROJECT_METADATA

config = context.config
if "target" not in config.attributes and config.config_file_name:
    # The alembic command line: show what it does. A server keeps its own logging.
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target = config.attributes.get("target") or schema.database_url()
options = dict(
    target_metadata=list(PROJECT_METADATA),
    include_object=schema.include_object,
    # SQLite alters a table by copying it; batch mode writes later migrations that way.
    render_as_batch=True,
)

if context.is_offline_mode():
    # `alembic upgrade head --sql`: print the SQL for a database administrator instead.
    context.configure(url=target, literal_binds=True, **options)
    with context.begin_transaction():
        context.run_migrations()
else:
    with schema.migrating_connection(target) as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
