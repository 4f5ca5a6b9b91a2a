"""SQL for periodic jobs every process shares: whose turn it is, and what the last run said."""


def take_turn(cur, name: str, every_seconds: int) -> bool:
    """True for exactly one caller per `every_seconds`, across all processes."""
    cur.execute(
        """
        INSERT INTO scheduled_jobs (name, ran_at) VALUES (%(name)s, now())
        ON CONFLICT (name) DO UPDATE SET ran_at = now()
        WHERE scheduled_jobs.ran_at <= now() - make_interval(secs => %(every)s)
        RETURNING name
        """,
        {"name": name, "every": every_seconds},
    )
    return cur.fetchone() is not None


def set_note(cur, name: str, note: str | None) -> None:
    """What the owner should know about the job's last run (None: nothing to say)."""
    cur.execute(
        """
        INSERT INTO scheduled_jobs (name, ran_at, note) VALUES (%(name)s, now(), %(note)s)
        ON CONFLICT (name) DO UPDATE SET note = EXCLUDED.note
        """,
        {"name": name, "note": note},
    )


def get_note(cur, name: str) -> str | None:
    cur.execute("SELECT note FROM scheduled_jobs WHERE name = %(name)s", {"name": name})
    row = cur.fetchone()
    return row["note"] if row else None
