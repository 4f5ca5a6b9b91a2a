"""SQL for shoppers: who follows the shop, their language and delivery details."""
from models.records import Recipient


def upsert_follower(cur, user_id: str, *, following: bool) -> bool:
    """Record a follow or unfollow; returns True the first time we ever see this shopper."""
    cur.execute(
        """
        INSERT INTO shoppers (user_id, following) VALUES (%(user_id)s, %(following)s)
        ON CONFLICT (user_id) DO UPDATE SET following = EXCLUDED.following
        RETURNING (xmax = 0) AS inserted
        """,
        {"user_id": user_id, "following": following},
    )
    return cur.fetchone()["inserted"]


def get_language(cur, user_id: str) -> str | None:
    cur.execute("SELECT language FROM shoppers WHERE user_id = %(u)s", {"u": user_id})
    row = cur.fetchone()
    return row["language"] if row else None


def set_profile(cur, user_id: str, display_name: str | None, language: str | None) -> None:
    cur.execute(
        """
        INSERT INTO shoppers (user_id, display_name, language)
        VALUES (%(u)s, %(name)s, %(lang)s)
        ON CONFLICT (user_id) DO UPDATE
        SET display_name = EXCLUDED.display_name, language = EXCLUDED.language
        """,
        {"u": user_id, "name": display_name, "lang": language},
    )


def set_recipient(cur, user_id: str, recipient: Recipient) -> None:
    cur.execute(
        """
        INSERT INTO shoppers (user_id, recipient_name, recipient_phone, recipient_address)
        VALUES (%(u)s, %(name)s, %(phone)s, %(address)s)
        ON CONFLICT (user_id) DO UPDATE
        SET recipient_name = EXCLUDED.recipient_name, recipient_phone = EXCLUDED.recipient_phone,
            recipient_address = EXCLUDED.recipient_address
        """,
        {"u": user_id, "name": recipient.name, "phone": recipient.phone,
         "address": recipient.address},
    )


def get_recipient(cur, user_id: str) -> Recipient | None:
    cur.execute(
        """
        SELECT recipient_name, recipient_phone, recipient_address
        FROM shoppers WHERE user_id = %(u)s AND recipient_name IS NOT NULL
        """,
        {"u": user_id},
    )
    row = cur.fetchone()
    return Recipient(*row.values()) if row else None


def get_display_name(cur, user_id: str) -> str | None:
    cur.execute("SELECT display_name FROM shoppers WHERE user_id = %(u)s", {"u": user_id})
    row = cur.fetchone()
    return row["display_name"] if row else None


def remember_group_invited(cur, chat_id: str) -> bool:
    """Record that a group or room got our invitation; False if it had one already."""
    cur.execute(
        """
        INSERT INTO group_invitations (chat_id) VALUES (%(chat_id)s)
        ON CONFLICT (chat_id) DO NOTHING
        RETURNING chat_id
        """,
        {"chat_id": chat_id},
    )
    return cur.fetchone() is not None
