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

# Seconds each process keeps its snapshot of the organization's names, time frames, categories
# and days off. A change made elsewhere shows after at most this long; 0 reads on every request.
# ORG_CACHE_SECONDS = 30

# Attachments: at most this many files of this many bytes each (PDF, JPEG, PNG).
# MAX_ATTACHMENTS = 5
# MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# The files are parsed by a child process confined with Landlock and a seccomp filter. On a
# machine that has neither (``complaints init`` says), "best-effort" still accepts attachments
# with the child's time, memory and environment limits only; "required" refuses them, with a
# message on the form asking the reporter to send the words and describe the evidence.
# UPLOAD_CONFINEMENT = "best-effort"

# Filings per client (counted by a daily-keyed HMAC of the address, never the address).
# FILING_RATE_LIMIT = "5 per minute;100 per day"
# PDF receipt downloads per client.
# RECEIPT_PDF_RATE_LIMIT = "10 per minute"
# memory:// for one process; Redis when several workers must share the counts.
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379"
# While that Redis does not answer, count in each process's memory (False: every POST fails).
# RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

# Deadline sweep: every N minutes; reminders this many days before a due date.
# SWEEP_MINUTES = 15
# REMIND_DAYS_BEFORE = 2
# Days a closed case is kept (the retention job counts the cases past it; purging comes with the
# records schedule). The privacy notice says "at least" this; unset, at least 10 years (saraban rules).
# RETENTION_DAYS = 3650
# One line per request in ``complaints serve``'s output (never the address, query or time of day).
# Off: journald or Docker would stamp each line, and so each report, with its own time.
# SERVE_ACCESS_LOG = False
# Pages go out in whole blocks of this many bytes: their size, which TLS does not hide, would
# otherwise tell the corruption form from the general one. 0 sends them as they are.
# PAD_PAGES_TO = 32768
# Run the scheduler inside ``complaints serve``; set False when ``complaints scheduler`` runs
# as its own process.
# SCHEDULER_IN_SERVE = True

# Staff password hashing (Argon2id).
# ARGON2_MEMORY_KIB = 65536
# ARGON2_ITERATIONS = 3
# ARGON2_LANES = 4
