"""The local database: typed models, the encrypted engine, keys, migrations and backups."""
