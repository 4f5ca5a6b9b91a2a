-- The shop's whole state. Idempotent: `flask --app app init-db` runs it on every release.

CREATE TABLE IF NOT EXISTS products (
    id          integer PRIMARY KEY CHECK (id > 0),
    name        text NOT NULL,
    price       integer NOT NULL CHECK (price >= 0),
    stock       integer NOT NULL CHECK (stock >= 0),
    image_url   text,
    description text NOT NULL DEFAULT '',
    active      boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS shoppers (
    user_id           text PRIMARY KEY,
    display_name      text,
    language          text,
    following         boolean NOT NULL DEFAULT true,
    recipient_name    text,
    recipient_phone   text,
    recipient_address text,
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- Groups and rooms the bot has invited to chat one to one: each is answered once, ever.
CREATE TABLE IF NOT EXISTS group_invitations (
    chat_id    text PRIMARY KEY CHECK (chat_id <> ''),
    invited_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS cart_items (
    user_id    text NOT NULL,
    product_id integer NOT NULL REFERENCES products (id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    added_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE TABLE IF NOT EXISTS coupons (
    id          bigserial PRIMARY KEY,
    user_id     text NOT NULL UNIQUE,            -- one follower coupon per shopper, ever
    code        text NOT NULL UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('amount', 'percent')),
    value       integer NOT NULL CHECK (value > 0),
    min_spend   integer NOT NULL DEFAULT 0,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orders (
    id                bigserial PRIMARY KEY,
    user_id           text NOT NULL,
    status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'paid', 'shipped', 'expired', 'cancelled')),
    subtotal          integer NOT NULL CHECK (subtotal >= 0),
    discount          integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
    total             integer NOT NULL CHECK (total >= 0),
    coupon_id         bigint REFERENCES coupons (id),
    expires_at        timestamptz NOT NULL,
    recipient_name    text,
    recipient_phone   text,
    recipient_address text,
    flagged           boolean NOT NULL DEFAULT false,
    flag_note         text,
    tracking_note     text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    paid_at           timestamptz,
    shipped_at        timestamptz,
    closed_at         timestamptz
);
CREATE INDEX IF NOT EXISTS orders_user_idx ON orders (user_id, id DESC);
CREATE INDEX IF NOT EXISTS orders_pending_idx ON orders (expires_at) WHERE status = 'pending';

-- A snapshot: later catalog edits never change what an order says.
CREATE TABLE IF NOT EXISTS order_items (
    order_id   bigint NOT NULL REFERENCES orders (id),
    product_id integer NOT NULL,
    name       text NOT NULL,
    unit_price integer NOT NULL,
    image_url  text,
    quantity   integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);

-- One row per try at paying an order; its order_no is the bank's OrderNo.
CREATE TABLE IF NOT EXISTS payment_attempts (
    id           bigserial PRIMARY KEY,
    order_no     text NOT NULL UNIQUE,
    order_id     bigint NOT NULL REFERENCES orders (id),
    pay_type     text NOT NULL CHECK (pay_type IN ('A', 'C')),
    amount       integer NOT NULL CHECK (amount >= 0),
    status       text NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'open', 'paid', 'failed', 'void', 'error')),
    request_key  text UNIQUE,                    -- the LINE event that asked for it
    ts_no        text UNIQUE,                    -- the bank's transaction number
    atm_bank_code text,
    atm_pay_no   text,
    atm_expire_date text,
    card_url     text,
    description  text,
    pay_date     text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payment_attempts_order_idx ON payment_attempts (order_id);
-- The bank's web ATM page for a virtual account (OrderCreate ATMParam.WebAtmURL).
ALTER TABLE payment_attempts ADD COLUMN IF NOT EXISTS atm_web_url text;
-- LINE Pay (issue 16): pay_type 'L'; ts_no holds its 19-digit transactionId as text (never a
-- float); pay_url / pay_app_url are its paymentUrl.web / .app. Dropped and re-added: idempotent.
ALTER TABLE payment_attempts DROP CONSTRAINT IF EXISTS payment_attempts_pay_type_check,
    ADD CONSTRAINT payment_attempts_pay_type_check CHECK (pay_type IN ('A', 'C', 'L'));
ALTER TABLE payment_attempts ADD COLUMN IF NOT EXISTS pay_url text;
ALTER TABLE payment_attempts ADD COLUMN IF NOT EXISTS pay_app_url text;

-- Money given back on a paid order: by card through the bank (OrderMaintain R; the row is
-- committed 'pending' before the bank call, 'done' once the bank took it, 'failed' if it
-- refused), or by a bank transfer the owner made for an ATM payment ('atm_transfer').
CREATE TABLE IF NOT EXISTS refunds (
    id         bigserial PRIMARY KEY,
    order_id   bigint NOT NULL REFERENCES orders (id),
    attempt_id bigint REFERENCES payment_attempts (id),
    amount     integer NOT NULL CHECK (amount > 0),
    method     text NOT NULL CHECK (method IN ('card', 'atm_transfer')),
    status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    reason     text NOT NULL DEFAULT '',
    note       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint                            -- admins.id, like stock_adjustments.admin_id
);
CREATE INDEX IF NOT EXISTS refunds_order_idx ON refunds (order_id);
-- A refund also returns the stock of the unshipped order (once: orders.restocked_at).
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS restock boolean NOT NULL DEFAULT false;
-- Until this moment a pending card refund may still be on its way to the bank: another click
-- waits. After it (or once our call failed) a retry asks OrderQuery, never OrderMaintain again.
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS bank_call_until timestamptz;
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS bank_description text;
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS settled_at timestamptz;
-- The form (or an API Idempotency-Key) that asked: sending it again finds this refund.
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS request_key text;
CREATE UNIQUE INDEX IF NOT EXISTS refunds_request_key_idx ON refunds (order_id, request_key);
-- At most one pending refund per order: a double click can't start two.
CREATE UNIQUE INDEX IF NOT EXISTS refunds_one_pending_idx ON refunds (order_id)
    WHERE status = 'pending';
ALTER TABLE orders ADD COLUMN IF NOT EXISTS restocked_at timestamptz;
-- A LINE Pay payment goes back through LINE Pay's refund API.
ALTER TABLE refunds DROP CONSTRAINT IF EXISTS refunds_method_check,
    ADD CONSTRAINT refunds_method_check CHECK (method IN ('card', 'atm_transfer', 'linepay'));

-- Every bank notice (BackendURL / ReturnURL PayToken), stored before the bank gets its answer and
-- confirmed with OrderPayQuery by the workers; a replayed token is a no-op.
CREATE TABLE IF NOT EXISTS bank_notices (
    pay_token    text PRIMARY KEY,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    order_id     bigint,                         -- known once the bank confirmed the token
    attempts     integer NOT NULL DEFAULT 0,
    locked_until timestamptz NOT NULL DEFAULT now(),
    last_error   text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz
);
CREATE INDEX IF NOT EXISTS bank_notices_pending_idx ON bank_notices (locked_until)
    WHERE status = 'pending';

-- Every LINE event, stored before LINE gets its 200; a redelivery is a no-op.
CREATE TABLE IF NOT EXISTS inbox (
    webhook_event_id text PRIMARY KEY,
    user_id          text,
    event            jsonb NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    locked_until     timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    received_at      timestamptz NOT NULL DEFAULT now(),
    processed_at     timestamptz
);
CREATE INDEX IF NOT EXISTS inbox_pending_idx ON inbox (locked_until) WHERE status = 'pending';
-- Fenced leases (a fresh token per lease) and per-shopper order: LINE's timestamp, then arrival.
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS lease_token uuid;
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS event_ts bigint;
CREATE SEQUENCE IF NOT EXISTS inbox_arrival_seq;
ALTER TABLE inbox ADD COLUMN IF NOT EXISTS arrival bigint NOT NULL DEFAULT nextval('inbox_arrival_seq');
CREATE INDEX IF NOT EXISTS inbox_shopper_line_idx ON inbox (user_id, event_ts, arrival)
    WHERE status = 'pending';

-- Every message to a shopper, stored in the transaction that caused it, sent after commit.
CREATE TABLE IF NOT EXISTS outbox (
    id           bigserial PRIMARY KEY,
    user_id      text NOT NULL,
    messages     jsonb NOT NULL,
    reply_token  text,
    reply_until  timestamptz,
    retry_key    uuid NOT NULL UNIQUE,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts     integer NOT NULL DEFAULT 0,
    locked_until timestamptz NOT NULL DEFAULT now(),
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz
);
CREATE INDEX IF NOT EXISTS outbox_pending_idx ON outbox (locked_until) WHERE status = 'pending';

-- Nothing a shopper owns, and no message, is ever keyed by an empty user id (a group postback
-- without userId once landed on one shared shopper ""). NOT VALID: old rows aren't rechecked.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['shoppers', 'cart_items', 'coupons', 'orders', 'outbox'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_constraint
                       WHERE conname = name || '_user_id_not_empty') THEN
            EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (user_id <> '''') NOT VALID',
                           name, name || '_user_id_not_empty');
        END IF;
    END LOOP;
END $$;

CREATE TABLE IF NOT EXISTS stock_adjustments (
    id         bigserial PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id),
    delta      integer NOT NULL,
    reason     text NOT NULL,
    admin_id   bigint,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS admins (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    api_token_hash text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS admins_api_token_idx ON admins (api_token_hash);

-- Bumped by logout, a password change and `revoke-sessions`: every older session cookie is refused.
ALTER TABLE admins ADD COLUMN IF NOT EXISTS session_version integer NOT NULL DEFAULT 0;

-- Login attempts per (email, client address), and per email alone (address '*'): the brake on
-- guessing. A row is locked while an attempt is counted, before any password is checked.
CREATE TABLE IF NOT EXISTS login_throttle (
    email           text NOT NULL,
    address         text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    last_attempt_at timestamptz,
    blocked_until   timestamptz,
    PRIMARY KEY (email, address)
);
CREATE INDEX IF NOT EXISTS login_throttle_last_attempt_idx ON login_throttle (last_attempt_at);

-- Every owner action, written in the action's own transaction (it commits or rolls back with it).
-- No foreign keys: a row outlives whatever it names. Append-only: the trigger below refuses
-- UPDATE and DELETE, so no pruning or cleanup job may touch this table.
CREATE TABLE IF NOT EXISTS audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    admin_id    bigint,
    actor       text NOT NULL,                  -- the owner's email, or 'cli'
    via         text NOT NULL CHECK (via IN ('web', 'api', 'cli')),
    action      text NOT NULL,
    entity_type text NOT NULL,
    entity_id   bigint,
    before      jsonb,
    after       jsonb
);
CREATE INDEX IF NOT EXISTS audit_log_entity_idx ON audit_log (entity_type, entity_id, id DESC);

CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE OR REPLACE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
