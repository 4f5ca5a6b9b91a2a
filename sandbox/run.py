"""`python -m sandbox`: the whole shop offline — bot, LINE, bank and LINE Pay emulators — on
loopback.

The bot uses the embedded PostgreSQL (or DATABASE_URL), loads the demo catalog on first start,
and talks to the emulators only through LINE_API_BASE_URL, SINOPAC_API_URL and LINEPAY_API_URL,
as in production.
The shop page inside LINE (LIFF) is on: the LINE emulator plays LINE Login and the LIFF SDK.
"""
import argparse
import json
import logging
import os
import secrets
import time
import warnings
from pathlib import Path

from app import create_app
from db import products
from db.migrate import init_db
from db.pool import EMBEDDED_DATA_DIR, start_embedded_postgres
from handlers.rich_menu import setup_rich_menu
from linepay.emulator import create_emulator as create_linepay_emulator
from linepay.emulator_state import LinePayState
from models.catalog import parse_catalog
from sandbox.line_emulator import LineState, create_line_emulator, serve_in_thread
from services import admin_accounts, catalog
from sinopac.emulator import create_emulator
from sinopac.emulator_state import EmulatorState

DEMO_CATALOG = Path(__file__).resolve().parent.parent / "data" / "demo_products.json"
SHOP_NO = "NA0249_001"
# The bank's public sandbox demo keys (shared refs §10.1, H2); the emulator knows them too.
DEMO_HASH_KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
DEMO_OWNER = "owner@example.com"
LINEPAY_CHANNEL_ID = "1656000000"  # made up, like the emulator's default


def start(host: str, bot_port: int, line_port: int, bank_port: int, shop_name: str,
          database_url: str | None = None, linepay_port: int = 8003) -> dict:
    """Start the four servers in this process; returns their URLs and the running pieces."""
    secret, token, x_key_id = secrets.token_hex(16), secrets.token_urlsafe(32), secrets.token_hex(8)
    bank_state = EmulatorState(public_url=f"http://{host}:{bank_port}")
    bank_state.add_shop(SHOP_NO, DEMO_HASH_KEYS, x_key_id)
    bank_server, bank_url = serve_in_thread(create_emulator(bank_state), host, bank_port)
    linepay_secret = secrets.token_hex(16)
    linepay_state = LinePayState(public_url=f"http://{host}:{linepay_port}")
    linepay_state.add_channel(LINEPAY_CHANNEL_ID, linepay_secret)
    linepay_server, linepay_url = serve_in_thread(create_linepay_emulator(linepay_state), host,
                                                  linepay_port)

    bot_url = f"http://{host}:{bot_port}"
    line_state = LineState(secret, token, f"{bot_url}/callback", bot_name=shop_name)
    # Our pictures are served over http on loopback; real LINE would insist on https.
    line_state.http_on_loopback = True
    liff_id = line_state.login.add_liff_app(f"{bot_url}/liff/")
    line_server, line_url = serve_in_thread(create_line_emulator(line_state), host, line_port)

    app = create_app({
        "LINE_CHANNEL_SECRET": secret, "LINE_CHANNEL_ACCESS_TOKEN": token,
        "LINE_API_BASE_URL": line_url, "SINOPAC_API_URL": f"{bank_url}/api",
        "SINOPAC_SHOP_NO": SHOP_NO, "SINOPAC_HASH_A1": DEMO_HASH_KEYS[0],
        "SINOPAC_HASH_A2": DEMO_HASH_KEYS[1], "SINOPAC_HASH_B1": DEMO_HASH_KEYS[2],
        "SINOPAC_HASH_B2": DEMO_HASH_KEYS[3], "SINOPAC_X_KEY_ID": x_key_id,
        "PUBLIC_BASE_URL": bot_url, "SHOP_NAME": shop_name, "WORKER_THREADS": "2",
        "LINE_LOGIN_CHANNEL_ID": line_state.login.channel_id, "LIFF_ID": liff_id,
        "LIFF_SDK_URL": f"{line_url}/liff/sdk.js", "ALLOW_HTTP_IMAGES": "1",
        "LINEPAY_CHANNEL_ID": LINEPAY_CHANNEL_ID, "LINEPAY_CHANNEL_SECRET": linepay_secret,
        "LINEPAY_API_URL": linepay_url,
        **({"DATABASE_URL": database_url} if database_url else {}),
    })
    rt = app.extensions["runtime"]
    init_db(rt.db)
    with rt.db.statement() as cur:
        empty = not products.list_products(cur, include_hidden=True)
    if empty:
        items = parse_catalog(json.loads(DEMO_CATALOG.read_text(encoding="utf-8")),
                              base_url=bot_url)
        catalog.import_catalog(rt.db, items)
    owner_password = secrets.token_urlsafe(9)
    admin_accounts.create_admin(rt.db, DEMO_OWNER, owner_password)
    setup_rich_menu(rt.messenger.api_client, shop_name, rt.settings.http_timeout, rt.links)
    rt.worker.start()
    bot_server, _ = serve_in_thread(app, host, bot_port)
    return {"app": app, "servers": [bot_server, line_server, bank_server, linepay_server],
            "chat_url": f"{line_url}/chat", "bot_url": bot_url, "line_url": line_url,
            "bank_url": bank_url, "line_state": line_state, "bank_state": bank_state,
            "linepay_url": linepay_url, "linepay_state": linepay_state,
            "liff_id": liff_id, "owner": (DEMO_OWNER, owner_password)}


def stop(running: dict) -> None:
    """Stop the servers, the inbox workers and the database pool started by `start`."""
    for server in running["servers"]:
        server.shutdown()
    rt = running["app"].extensions["runtime"]
    rt.worker.stop()
    rt.db.close()
    running["line_state"].close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the LINE shop bot offline with emulators.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="the bot")
    parser.add_argument("--line-port", type=int, default=8002)
    parser.add_argument("--bank-port", type=int, default=8001)
    parser.add_argument("--linepay-port", type=int, default=8003)
    parser.add_argument("--shop-name", default="LINE 小舖")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="default: the embedded PostgreSQL in --data-dir")
    parser.add_argument("--data-dir", type=Path, default=EMBEDDED_DATA_DIR,
                        help="the embedded PostgreSQL's folder (default ./pgdata)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # pgserver narrates every start-up step at INFO, and platformdirs warns about a missing
    # XDG_RUNTIME_DIR: noise that would bury the banner. Failures still show.
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", module="platformdirs")
    embedded = None if args.database_url else start_embedded_postgres(args.data_dir)
    running = None
    try:
        running = start(args.host, args.port, args.line_port, args.bank_port, args.shop_name,
                        database_url=args.database_url or embedded.get_uri(),
                        linepay_port=args.linepay_port)
        print(banner(running), flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass  # Ctrl-C: stop everything below, the embedded PostgreSQL included
    finally:
        if running is not None:
            stop(running)
        if embedded is not None:
            embedded.cleanup()
        print("  Sandbox stopped.", flush=True)


def banner(running: dict) -> str:
    email, password = running["owner"]
    return f"""
  LINE shop sandbox is running.
    Chat with the shop:   {running['chat_url']}
    Shop page (LIFF):     https://liff.line.me/{running['liff_id']}  →  {running['bot_url']}/liff/
                          (tap 商品 in the chat's rich menu, or a product's 看詳情 button)
    Back office:          {running['bot_url']}/admin   login {email} / {password}
    Bot (webhook):        {running['bot_url']}/callback
    Bank emulator (ATM):  {running['bank_url']}/atm/transfer
    LINE Pay emulator:    {running['linepay_url']}/_emulator/transactions
  Ctrl-C to stop.
"""


if __name__ == "__main__":
    main()
