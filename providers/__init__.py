"""The payment providers this shop offers, built once from the settings.

Adding a provider means a module here and its settings: checkout, the chat, the order API,
`sync-payments` and refunds only see `Providers` and the interface in `base.py`.
"""
from config import Settings
from linepay.client import LinePayClient
from models.records import PaymentAttempt, PayMethod
from providers.base import PaymentProvider
from providers.linepay import LinePayPayment
from providers.sinopac import ATM, CARD, SinoPacPayment
from sinopac.client import QPayClient


class Providers:
    """The offered providers, in button order, found by method name or attempt type."""

    def __init__(self, providers: list[PaymentProvider], sinopac: SinoPacPayment):
        self._all = tuple(providers)
        self.sinopac = sinopac  # settles the bank's notices (PayToken → OrderPayQuery)

    @property
    def methods(self) -> tuple[PayMethod, ...]:
        """What the shopper may choose, in button order."""
        return tuple(provider.method for provider in self._all)

    def named(self, name: str) -> PaymentProvider | None:
        """The provider behind a button or API name ('atm', 'card', 'linepay'), if offered."""
        return next((p for p in self._all if p.method.name == name), None)

    def for_type(self, pay_type: str) -> PaymentProvider | None:
        return next((p for p in self._all if p.method.pay_type == pay_type), None)

    def for_attempt(self, attempt: PaymentAttempt) -> PaymentProvider | None:
        """The provider that made an attempt (None: LINE Pay was switched off since)."""
        return self.for_type(attempt.pay_type)


def build_providers(settings: Settings, bank: QPayClient) -> Providers:
    """SinoPac ATM and card always; LINE Pay when its channel is configured."""
    base = settings.public_base_url
    sinopac = {method: SinoPacPayment(
        bank, method, shop_name=settings.shop_name, return_url=f"{base}/sinopac/return",
        backend_url=f"{base}/sinopac/notify", atm_expire_days=settings.atm_expire_days,
        card_hold_minutes=settings.card_hold_minutes) for method in (ATM, CARD)}
    offered: list[PaymentProvider] = [sinopac[ATM], sinopac[CARD]]
    if settings.linepay_enabled:
        client = LinePayClient(settings.linepay_api_url, settings.linepay_channel_id,
                               settings.linepay_channel_secret)
        offered.append(LinePayPayment(
            client, shop_name=settings.shop_name, confirm_url=f"{base}/linepay/confirm",
            cancel_url=f"{base}/linepay/cancel", hold_minutes=settings.card_hold_minutes))
    return Providers(offered, sinopac[CARD])
