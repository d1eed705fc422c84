# Fixture for org.internal-hostname.
# ruleid: org.internal-hostname
DB = "postgres://db01.corp.internal:5432/app"
# ok: org.internal-hostname
DB = "postgres://localhost:5432/app"
