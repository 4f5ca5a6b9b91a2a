"""Hot statements run as server-side prepared statements, once per pooled connection."""
import psycopg2
import pytest
from psycopg2.extras import Json

from db import outbox
from db.pool import Database
from db.prepared import Prepared

ECHO = Prepared("""
    SELECT %(n)s::int + %(n)s AS twice, %(word)s::text || '%%' AS word, %(ids)s::int[] AS ids,
           %(doc)s::jsonb -> 'k' AS k, %(none)s::text IS NULL AS none
""")
PRODUCT = 990001


@pytest.fixture
def db(database_url):
    database = Database(database_url, 1)
    yield database
    database.close()


def prepared_here(cur) -> set[str]:
    cur.execute("SELECT name FROM pg_prepared_statements")
    return {row["name"] for row in cur.fetchall()}


def test_a_prepared_statement_is_prepared_once_per_connection_and_gives_plain_results(db):
    for n in range(3):
        with db.transaction() as cur:
            cur.execute(ECHO, {"n": n, "word": "100", "ids": [1, 2], "doc": Json({"k": "值"}),
                               "none": None})
            assert cur.fetchone() == {"twice": 2 * n, "word": "100%", "ids": [1, 2], "k": "值",
                                      "none": True}
            assert prepared_here(cur) == {ECHO.parts[0][0]}


def test_a_replaced_connection_prepares_again(db):
    with db.statement() as cur:
        cur.execute(ECHO, {"n": 1, "word": "a", "ids": [], "doc": Json({}), "none": None})
        cur.execute("SELECT pg_backend_pid() AS pid")
        pid = cur.fetchone()["pid"]
    with psycopg2.connect(db.url) as other, other.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    other.close()
    with pytest.raises(psycopg2.OperationalError):
        with db.statement() as cur:
            cur.execute("SELECT 1")

    with db.statement() as cur:  # a fresh connection: nothing prepared yet, prepared on use
        cur.execute(ECHO, {"n": 2, "word": "b", "ids": [3], "doc": Json({"k": 1}), "none": "x"})
        assert cur.fetchone()["twice"] == 4


def test_a_statement_prepared_in_a_rolled_back_transaction_still_runs(db):
    with pytest.raises(ZeroDivisionError):
        with db.transaction() as cur:
            cur.execute(ECHO, {"n": 1, "word": "a", "ids": [], "doc": Json({}), "none": None})
            1 / 0
    with db.transaction() as cur:
        cur.execute(ECHO, {"n": 5, "word": "a", "ids": [], "doc": Json({}), "none": None})
        assert cur.fetchone()["twice"] == 10


def test_statements_sent_together_are_one_transaction(db):
    both = Prepared(
        "INSERT INTO products (id, name, price, stock) VALUES (%(id)s, 'x', 1, 1)",
        "SELECT 1 / %(divisor)s AS one")
    try:
        with pytest.raises(psycopg2.errors.DivisionByZero):
            with db.statement() as cur:
                cur.execute(both, {"id": PRODUCT, "divisor": 0})
        with db.statement() as cur:
            cur.execute("SELECT count(*) AS n FROM products WHERE id = %s", (PRODUCT,))
            assert cur.fetchone()["n"] == 0  # the insert went with the failed division
            cur.execute(both, {"id": PRODUCT, "divisor": 1})
            assert cur.fetchone() == {"one": 1}  # the last statement's rows
    finally:
        with db.statement() as cur:
            cur.execute("DELETE FROM products WHERE id = %s", (PRODUCT,))


def test_marking_messages_sent_skips_the_flush_wait_for_that_transaction_only(db):
    with db.transaction() as cur:
        queued = outbox.enqueue(cur, "U" + "5" * 32, [{"type": "text", "text": "hi"}])
    with db.statement() as cur:
        outbox.mark_sent(cur, [queued["id"]])
        cur.execute("SELECT current_setting('synchronous_commit') AS sync, status FROM outbox "
                    "WHERE id = %s", (queued["id"],))
        assert cur.fetchone() == {"sync": "on", "status": "sent"}
        cur.execute("DELETE FROM outbox WHERE id = %s", (queued["id"],))
