"""Server-side prepared statements for the hot path: parsed and planned once per connection."""
import hashlib
import re

import psycopg2.extensions
from psycopg2.extras import RealDictCursor

PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


class Prepared(str):
    """Hot SQL, run as server-side prepared statements: PREPAREd on a pooled connection's first
    use, then only EXECUTEd, so PostgreSQL parses it once per connection and, after five runs,
    keeps one generic plan unless replanning pays (`id = ANY($1)` with a few ids does).

    Written like any other statement, with `%(name)s` parameters. Several statements go out in
    one round trip and run as one transaction (PostgreSQL's rule for a multi-statement query),
    each with a fresh snapshot; the cursor holds the last one's rows. Name the columns (no `*`):
    a prepared plan refuses to change its result's shape after a schema change.
    """

    def __new__(cls, *statements: str) -> "Prepared":
        self = super().__new__(cls, ";\n".join(statements))
        self.parts = [_prepare(statement) for statement in statements]
        self.call = "; ".join(call for _, _, call in self.parts)
        return self


def _prepare(statement: str) -> tuple[str, str, str]:
    """(name, body with $n placeholders, EXECUTE with psycopg2 placeholders) for one statement."""
    name = "hot_" + hashlib.md5(statement.encode()).hexdigest()[:16]
    params: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(0) == "%%":
            return "%"
        if match.group(1) not in params:
            params.append(match.group(1))
        return f"${params.index(match.group(1)) + 1}"

    body = PLACEHOLDER.sub(number, statement)
    arguments = ", ".join(f"%({param})s" for param in params)
    return name, body, f"EXECUTE {name} ({arguments})" if params else f"EXECUTE {name}"


class PreparingConnection(psycopg2.extensions.connection):
    """A connection that knows which Prepared statements its server session holds.

    A replaced connection is a new session with a new, empty set. PREPARE outlives a
    rolled-back transaction, so the set never names one the server forgot.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared: set[str] = set()


class PreparingCursor(RealDictCursor):
    """RealDictCursor that runs Prepared SQL as EXECUTE (PREPAREd on first use)."""

    def execute(self, query, vars=None):
        if not isinstance(query, Prepared):
            return super().execute(query, vars)
        for name, body, _ in query.parts:
            if name not in self.connection.prepared:
                super().execute(f"PREPARE {name} AS {body}")
                self.connection.prepared.add(name)
        return super().execute(query.call, vars)
