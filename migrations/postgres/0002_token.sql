-- Bearer tokens. Only the SHA-256 digest of each secret is kept; the secret is shown once, when it is created.
-- A revoked token stays, with the time it was revoked, so that the names in the event log keep their meaning.
create table token (
  name text primary key,
  role text not null check (role in ('planner', 'admin')),
  secret_sha256 text not null unique,
  created_at text not null,
  revoked_at text
);
