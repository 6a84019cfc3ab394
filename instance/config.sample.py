# Copy to instance/config.py (``complaints init`` writes one with fresh secrets).
# Every key can also be set as an environment variable with the COMPLAINTS_ prefix,
# e.g. COMPLAINTS_DATABASE_URL; the environment wins over this file.

# Signs session cookies and CSRF tokens. ``complaints init`` generates a random one.
SECRET_KEY = "replace-with-output-of: python -c 'import secrets; print(secrets.token_urlsafe(48))'"

# "production" refuses development secrets and missing keys.
ENV_NAME = "development"

# Empty means instance/complaints.db (SQLite). For PostgreSQL:
# DATABASE_URL = "postgresql+psycopg://complaints@127.0.0.1:5432/complaints"

# Key-encryption keys live here as files (mode 0600), or in COMPLAINTS_KEK_<CHANNEL>_<PURPOSE>
# and COMPLAINTS_INDEX_KEY environment variables. Never commit or back them up with the database.
# KEYS_DIR = "/etc/complaints/keys"

# Encrypted attachments.
# BLOB_DIR = "/var/lib/complaints/blobs"

# Which organization this deployment serves.
ORG_SLUG = "demo"
