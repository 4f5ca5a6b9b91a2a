"""A local Bank SinoPac QPay emulator: the bank's API, card page, ATM transfer, test knobs.

Run it with `python -m sinopac.emulator --port 8001`; tests use `create_emulator`
and `serve_in_thread`. Envelope rejections (HTTP 200, no Message/Nonce, §11.1):
E0100 malformed request, E0101 bad X-KeyID, E0102 unknown ShopNo, E0103 unknown or
reused nonce, E0104 Sign mismatch, E0105 Message won't decrypt, E0106 unknown APIService.
"""
from __future__ import annotations

import argparse
import json
import threading
import time

from flask import Flask, Response, abort, jsonify, render_template, request
from werkzeug.serving import BaseWSGIServer, make_server

from . import crypto
from .emulator_bank import BAD_AMOUNT, BAD_EXPIRE_DATE, BAD_ORDER_STATE, NOT_FOUND, SERVICES, \
    handle
from .emulator_state import EmulatorState, now_taipei

MALFORMED = "E0100 – 請求格式錯誤"
BAD_KEY_ID = "E0101 – X-KeyID 驗證失敗"
UNKNOWN_SHOP = "E0102 – 商店代號不存在"
BAD_NONCE = "E0103 – Nonce 無效或已使用"
BAD_SIGN = "E0104 – 簽章驗證失敗"
BAD_MESSAGE = "E0105 – 訊息解密失敗"
UNKNOWN_SERVICE = "E0106 – 不支援的服務"
FAIL_MODES = ("500", "timeout", "lost", "late")

# §10.1 H2: the public iThome sandbox demo keys, fine as emulator defaults.
DEMO_SHOP = "NA0249_001"
DEMO_KEYS = ("86D50DEF3EB7400E", "01FD27C09E5549E5", "9E004965F4244953", "7FB3385F414E4F91")
DEMO_X_KEY_ID = "00000000-0000-4000-8000-000000000000"


def _reject(description: str):
    # §11.1: rejected envelopes come as HTTP 200 JSON without Message/Nonce.
    return jsonify(Status="F", Description=description)


def _bank_json(obj: dict):
    # Bytes exactly as crypto.dumps makes them: raw UTF-8, so the U+2013 dash survives (§11.2).
    return Response(crypto.dumps(obj).encode("utf-8"),
                    content_type="application/json; charset=utf-8")


def create_emulator(state: EmulatorState | None = None) -> Flask:
    """Build the emulator app around `state` (a fresh EmulatorState if None)."""
    app = Flask(__name__)
    state = state if state is not None else EmulatorState()
    app.extensions["sinopac_emulator"] = state

    def public_url() -> str:
        return (state.public_url or request.host_url).rstrip("/")

    def shop_for(shop_no):
        shop = state.shops.get(shop_no) if isinstance(shop_no, str) else None
        if shop is None:
            return None, UNKNOWN_SHOP
        if request.headers.get("X-KeyID") != shop.x_key_id:
            return None, BAD_KEY_ID
        return shop, None

    @app.post("/api/Nonce")
    def nonce():
        time.sleep(state.latency)
        body = request.get_json(silent=True) or {}
        shop, error = shop_for(body.get("ShopNo"))
        if error:
            return _reject(error)
        return _bank_json({"Nonce": state.issue_nonce(shop.shop_no)})

    @app.post("/api/Order")
    def order():
        time.sleep(state.latency)
        # Fail modes: "500" / "timeout" fail before the bank does anything; "lost" / "late"
        # do the work, then lose the answer (HTTP 500) or send it after hang_seconds.
        failure = state.take_failure()
        if failure == "timeout":
            time.sleep(state.hang_seconds)
        if failure in ("500", "timeout"):
            abort(500)
        envelope = request.get_json(silent=True)
        names = ("Version", "ShopNo", "APIService", "Sign", "Nonce", "Message")
        if not isinstance(envelope, dict) or envelope.get("Version") != "1.0.0" \
                or not all(isinstance(envelope.get(name), str) for name in names):
            return _reject(MALFORMED)
        shop, error = shop_for(envelope["ShopNo"])
        if error:
            return _reject(error)
        if envelope["APIService"] not in SERVICES:
            return _reject(UNKNOWN_SERVICE)
        state.count_call(envelope["APIService"])
        if not state.take_nonce(envelope["Nonce"], shop.shop_no):
            return _reject(BAD_NONCE)
        try:
            # §12: parse leniently: any whitespace, raw or escaped Unicode.
            message = json.loads(crypto.decrypt(envelope["Message"], shop.hash_id,
                                                envelope["Nonce"]))
        except ValueError:
            return _reject(BAD_MESSAGE)
        if not isinstance(message, dict) or \
                not crypto.verify(message, envelope["Nonce"], shop.hash_id, envelope["Sign"]):
            return _reject(BAD_SIGN)
        reply = handle(state, shop.shop_no, envelope["APIService"], message, public_url())
        if failure == "lost":
            abort(500)
        if failure == "late":
            time.sleep(state.hang_seconds)
        if state.take_drop():
            # Done, but the answer is lost: the caller times out and must ask OrderQuery.
            time.sleep(state.hang_seconds)
            abort(500)
        reply_nonce = state.issue_nonce(shop.shop_no)
        return _bank_json({
            "Version": "1.0.0", "ShopNo": shop.shop_no, "APIService": envelope["APIService"],
            "Sign": crypto.sign(reply, reply_nonce, shop.hash_id), "Nonce": reply_nonce,
            # §9: the reply is encrypted with the IV of the reply's own nonce.
            "Message": crypto.encrypt(crypto.dumps(reply), shop.hash_id, reply_nonce),
        })

    @app.get("/card/<ts_no>")
    def card_page(ts_no: str):
        order = _card_order(state, ts_no, request.args.get("TK"))
        return render_template("sinopac/card.html", order=order, token=request.args["TK"],
                               amount=order.amount // 100)

    @app.post("/card/<ts_no>")
    def card_submit(ts_no: str):
        order = _card_order(state, ts_no, request.form.get("TK"))
        try:
            if request.form.get("action") == "pay":
                payment = state.pay(order.order_no, order.shop_no)
            else:
                payment = state.decline(order.order_no, order.shop_no)
        except ValueError:
            return render_template("sinopac/card.html", order=order, amount=order.amount // 100,
                                   token=None), 409
        # §8.1: the browser goes back with a form POST of ShopNo and PayToken.
        return render_template("sinopac/return.html", url=order.message["ReturnURL"],
                               fields={"ShopNo": order.shop_no, "PayToken": payment.pay_token})

    @app.get("/atm/transfer")
    def atm_page():
        return render_template("sinopac/atm.html", atm_pay_no=request.args.get("AtmPayNo", ""),
                               result=None)

    @app.post("/atm/transfer")
    def atm_transfer():
        data = request.get_json(silent=True) if request.is_json else request.form
        result, status = _atm_pay(state, data or {})
        if request.is_json:
            return jsonify(result), status
        return render_template("sinopac/atm.html", atm_pay_no=data.get("AtmPayNo", ""),
                               result=result), status

    _add_knobs(app, state)
    return app


def _card_order(state: EmulatorState, ts_no: str, token: str | None):
    order = state.find_by(lambda o: o.ts_no == ts_no)
    if order is None or order.card_token is None or token != order.card_token:
        abort(404)
    return order


def _atm_pay(state: EmulatorState, data) -> tuple[dict, int]:
    """Pay an ATM order by its virtual account number, as a transfer would."""
    atm_pay_no = str(data.get("AtmPayNo", "")).strip()
    order = state.find_by(lambda o: atm_pay_no and o.atm_pay_no == atm_pay_no)
    if order is None:
        return {"Status": "F", "Description": NOT_FOUND}, 404
    amount = data.get("Amount")
    if amount not in (None, "") and str(amount).strip() != str(order.amount // 100):
        return {"Status": "F", "Description": BAD_AMOUNT}, 400
    if order.message["ATMParam"]["ExpireDate"] < now_taipei().strftime("%Y%m%d"):
        return {"Status": "F", "Description": BAD_EXPIRE_DATE}, 409
    try:
        payment = state.pay(order.order_no, order.shop_no)
    except ValueError:
        return {"Status": "F", "Description": BAD_ORDER_STATE}, 409
    return {"Status": "S", "OrderNo": order.order_no, "PayToken": payment.pay_token}, 200


def _add_knobs(app: Flask, state: EmulatorState) -> None:
    """Test knobs as explicit routes (style rule 22)."""

    @app.post("/_emulator/orders/<order_no>/notify")
    def renotify(order_no: str):
        body = request.get_json(silent=True) or {}
        try:
            order = state.find_order(order_no, body.get("ShopNo"))
            payment = state.latest_payment(order_no, order.shop_no)
        except LookupError:
            abort(404)
        state.notify(order, payment, times=int(body.get("times", 1)),
                     delay=float(body.get("delay", 0)))
        return jsonify(PayToken=payment.pay_token), 202

    @app.post("/_emulator/config")
    def config():
        body = request.get_json(silent=True) or {}
        if body.get("fail_mode", state.fail_mode) not in FAIL_MODES:
            abort(400)
        with state.lock:
            state.latency = float(body.get("latency", state.latency))
            state.fail_next = int(body.get("fail_next", state.fail_next))
            state.fail_mode = body.get("fail_mode", state.fail_mode)
            state.hang_seconds = float(body.get("hang_seconds", state.hang_seconds))
            state.drop_next = int(body.get("drop_next", state.drop_next))
            state.refuse_next = int(body.get("refuse_next", state.refuse_next))
            state.refuse_description = str(body.get("refuse_description",
                                                    state.refuse_description))
            return jsonify(latency=state.latency, fail_next=state.fail_next,
                           fail_mode=state.fail_mode, hang_seconds=state.hang_seconds,
                           drop_next=state.drop_next, refuse_next=state.refuse_next,
                           refuse_description=state.refuse_description)

    @app.get("/_emulator/orders")
    def orders():
        return jsonify(state.order_list())


def serve_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0
                    ) -> tuple[BaseWSGIServer, str]:
    """Serve `app` from a daemon thread; return the server (call `.shutdown()`) and its URL."""
    server = make_server(host, port, app, threaded=True)
    # A short poll interval keeps shutdown() quick between tests.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True, name="sinopac-emulator").start()
    return server, f"http://{host}:{server.server_port}"


def main(argv: list[str] | None = None) -> None:
    """Run the emulator for one shop from the command line."""
    parser = argparse.ArgumentParser(description="Bank SinoPac QPay emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--shop", default=DEMO_SHOP)
    parser.add_argument("--hash-keys", nargs=4, default=list(DEMO_KEYS),
                        metavar=("A1", "A2", "B1", "B2"))
    parser.add_argument("--x-key-id", default=DEMO_X_KEY_ID)
    parser.add_argument("--public-url", help="URL payers' browsers use (default: request host)")
    args = parser.parse_args(argv)
    state = EmulatorState(public_url=args.public_url)
    state.add_shop(args.shop, tuple(args.hash_keys), args.x_key_id)
    server = make_server(args.host, args.port, create_emulator(state), threaded=True)
    print(f"SinoPac emulator: SINOPAC_API_URL=http://{args.host}:{server.server_port}/api")
    server.serve_forever()


if __name__ == "__main__":
    main()
