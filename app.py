"""The Flask app: `create_app()` for tests and tools, `app` for gunicorn (built on first use)."""
import json
import logging.config

import click
from flask import Flask, jsonify
from werkzeug.middleware.proxy_fix import ProxyFix

import admin
import liff
from config import load_settings
from db.migrate import init_db
from handlers import bank_notify, errors, line_webhook, linepay_return, order_api, product_images
from handlers.rich_menu import setup_rich_menu
from runtime import build_runtime
from models.catalog import parse_catalog
from models.errors import ShopError
from services import catalog, housekeeping, orders, payments


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app from the environment, with `test_config` (env-style names) on top.

    :raise ConfigError: naming every missing required setting.
    """
    settings = load_settings(test_config)
    _configure_logging(settings.log_level)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    if settings.trusted_proxy_hops:
        # The client address and scheme come from X-Forwarded-For/-Proto only as far as the PaaS
        # router set them: a client can't choose its address (the login brake counts per address).
        # Not X-Forwarded-Host: routers pass a client's own through.
        hops = settings.trusted_proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    rt = build_runtime(settings)
    app.extensions["runtime"] = rt
    # Workers start with the first request a process serves (a health check will do), not at
    # import or in CLI commands: gunicorn forks after import, and threads don't survive a fork.
    app.before_request(rt.worker.start)
    app.register_blueprint(line_webhook.bp)
    app.register_blueprint(bank_notify.bp)
    app.register_blueprint(linepay_return.bp)
    app.register_blueprint(product_images.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(order_api.bp)
    app.register_blueprint(liff.bp)
    admin.init_app(app)
    errors.init_app(app)

    @app.get("/healthz")
    def healthz():
        try:
            rt.db.ping()
        except Exception:
            return jsonify(status="database unavailable"), 503
        dead = rt.worker.dead_threads()
        if dead:
            return jsonify(status="workers not running", threads=dead), 503
        return jsonify(status="ok")

    _register_commands(app, rt)
    return app


def _register_commands(app: Flask, rt) -> None:
    @app.cli.command("init-db")
    def init_db_command():
        """Create or upgrade the schema (idempotent)."""
        init_db(rt.db)
        click.echo("Database schema is up to date.")

    @app.cli.command("import-products")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_products_command(path):
        """Upsert a JSON catalog: [{id, name, price, stock, image_url?, description?}].

        An image_url starting with / is served by this app (PUBLIC_BASE_URL + path).
        """
        try:
            with open(path, encoding="utf-8") as file:
                items = parse_catalog(json.load(file), base_url=rt.settings.public_base_url)
        except ValueError as error:
            raise click.ClickException(f"{path}: {error}") from None
        except ShopError as error:
            raise click.ClickException(f"{path}: {error.message}") from None
        count = catalog.import_catalog(rt.db, items)
        click.echo(f"Imported {count} products.")

    @app.cli.command("expire-orders")
    def expire_orders_command():
        """Expire unpaid orders past their deadline and return their stock (run on a schedule)."""
        expired = orders.expire_overdue(rt.db)
        click.echo(f"Expired {len(expired)} orders.")

    @app.cli.command("sync-payments")
    def sync_payments_command():
        """Ask the providers about every open payment and apply what they know (on a schedule)."""
        counts = payments.sync_payments(rt.db, rt.providers)
        click.echo("Checked {checked} payments: {paid} newly paid, {errors} errors.".format(**counts))

    @app.cli.command("prune")
    @click.option("--days", type=click.IntRange(min=1), default=None,
                  help="Keep finished rows this many days (default PRUNE_AFTER_DAYS).")
    def prune_command(days):
        """Delete finished inbox events, sent messages and old login failures (run daily)."""
        counts = housekeeping.prune(rt.db, days or rt.settings.prune_after_days)
        click.echo("Pruned {inbox} events, {outbox} messages, {login_throttle} login tallies, "
                   "{bank_notices} bank notices.".format(**counts))

    @app.cli.command("setup-richmenu")
    def setup_richmenu_command():
        """Create the rich menu (products, cart, orders, help) and make it the default."""
        rich_menu_id = setup_rich_menu(rt.messenger.api_client, rt.settings.shop_name,
                                       rt.settings.http_timeout, rt.links)
        click.echo(f"Rich menu {rich_menu_id} is now the default.")

    @app.cli.command("worker")
    def worker_command():
        """Work the inbox and outbox forever (a PaaS `worker:` process)."""
        click.echo("Working the inbox; Ctrl-C to stop.")
        rt.worker.start_heartbeat()
        rt.worker.poll_forever()


def _configure_logging(level: str) -> None:
    if logging.getLogger().handlers:
        return  # already configured (a test runner, or an embedding app)
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"level": level, "handlers": ["stderr"]},
    })


def __getattr__(name: str):
    # `gunicorn app:app` builds the app on first access, so importing this module does no I/O.
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
