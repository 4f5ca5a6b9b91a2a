"""A throwaway PostgreSQL from Debian's packages, with pg_stat_statements (pgserver has none).

`BENCH_PG_STATS=1` makes the bench stack use it instead of pgserver (same interface:
`get_uri`, `get_pid`, `cleanup`; the log at `<pgdata>/log`). Needs Debian's
`postgresql` and `postgresql-contrib` (PG_BIN, default /usr/lib/postgresql/15/bin).
"""
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
OWNER = "postgres"  # PostgreSQL refuses to run as root
SETTINGS = {
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track_planning": "on",
    "pg_stat_statements.max": "5000",
    "max_connections": "200",
    "listen_addresses": "''",
}


class DebianPostgres:
    def __init__(self, pgdata: Path):
        self.pgdata = pgdata
        self.socket_dir = pgdata.parent / "sock"
        self.log = pgdata / "log"
        owner = pwd.getpwnam(OWNER)
        os.chmod(pgdata.parent, 0o755)
        for path in (pgdata, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(pgdata), "--auth=trust", "-U", "postgres",
                  "--encoding=utf8", "--no-sync")
        options = " ".join(f"-c {key}={value}" for key, value in SETTINGS.items())
        self._run("pg_ctl", "-D", str(pgdata), "-l", str(self.log), "-w", "-o",
                  f"{options} -c unix_socket_directories={self.socket_dir}", "start")
        subprocess.run(["psql", self.get_uri(), "-qc",
                        "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"],
                       check=True, capture_output=True)

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(["runuser", "-u", OWNER, "--", str(PG_BIN / tool), *args],
                              capture_output=True, text=True, cwd="/tmp")
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")

    def get_uri(self) -> str:
        return f"postgresql://postgres@/postgres?host={self.socket_dir}"

    def get_pid(self) -> int:
        return int((self.pgdata / "postmaster.pid").read_text().split()[0])

    def cleanup(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop")
        except RuntimeError:
            time.sleep(1)
        shutil.rmtree(self.pgdata, ignore_errors=True)
