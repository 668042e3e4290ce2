-- Safe to open to the public: sessions know whose they are (sign out everywhere, end a person's
-- sessions when their password or role changes), rate-limit counters that every app server shares,
-- and the audit log of staff roles given and taken back. Kept in lock-step with
-- ../postgres/0005_safe_to_open.sql. Times are UTC ms.

-- Earlier sessions carry no owner or lifetime: everyone signs in once more.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN user_id BIGINT;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Fixed-window counters: key (what and whose, e.g. "sign-in:addr:203.0.113.9"), the window's start,
-- the hits in it.
CREATE TABLE rate_limits (
    key          TEXT   PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits         BIGINT NOT NULL
);
CREATE INDEX rate_limits_by_window ON rate_limits (window_start);

CREATE TABLE role_changes (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    -- The admin who made the change; NULL: the server's command line (create-admin).
    actor_id   BIGINT REFERENCES users (id),
    from_role  TEXT   NOT NULL,
    to_role    TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX role_changes_by_time ON role_changes (created_at);
