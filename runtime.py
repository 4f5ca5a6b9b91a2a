"""Everything a request or worker needs, built once per process from Settings."""
from dataclasses import dataclass

from linebot.v3.webhook import SignatureValidator

from config import Settings
from db.pool import Database
from handlers.delivery import Delivery
from handlers.line_client import LineMessenger
from handlers.line_login import IdTokenVerifier
from handlers.notifier import Notifier
from handlers.worker import InboxWorker
from models.flex import Links
from providers import Providers, build_providers
from services.payments import PaymentSettings
from sinopac.client import QPayClient


@dataclass
class Runtime:
    settings: Settings
    db: Database
    messenger: LineMessenger
    bank: QPayClient
    delivery: Delivery
    worker: InboxWorker
    signature_validator: SignatureValidator
    payment_settings: PaymentSettings
    providers: Providers
    login: IdTokenVerifier
    links: Links


def build_runtime(settings: Settings) -> Runtime:
    """One pool, one LINE client and one client per payment provider per process (kept alive)."""
    db = Database(settings.database_url, settings.db_pool_size)
    messenger = LineMessenger(settings.line_api_base_url, settings.line_channel_access_token,
                              settings.http_timeout)
    bank = QPayClient(settings.sinopac_api_url, settings.sinopac_shop_no, settings.hash_keys,
                      settings.sinopac_x_key_id, timeout=settings.http_timeout,
                      create_timeout=settings.bank_timeout)
    delivery = Delivery(db, messenger)
    links = Links(settings.liff_id, settings.allow_http_images)
    providers = build_providers(settings, bank)
    # Every use case's events become outbox rows before its commit and are sent after it.
    db.notify = Notifier(links, providers.methods).queue_messages
    db.deliver = delivery.deliver
    rt = Runtime(
        settings=settings, db=db, messenger=messenger, bank=bank,
        delivery=delivery, worker=None,
        signature_validator=SignatureValidator(settings.line_channel_secret),
        payment_settings=PaymentSettings(card_hold_minutes=settings.card_hold_minutes),
        providers=providers,
        login=IdTokenVerifier(settings.line_api_base_url, settings.line_login_channel_id,
                              settings.http_timeout),
        links=links,
    )
    rt.worker = InboxWorker(rt, settings.worker_threads, settings.inbox_lease_seconds)
    return rt
