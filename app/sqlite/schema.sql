-- workshop: since 11
-- The store's tables. Apply it with the command-line tool:
--     sqlite3 store.db < app/sqlite/schema.sql
-- or from Python with create_schema(). Every statement may run again on an
-- existing database: IF NOT EXISTS leaves what is there alone.

CREATE TABLE IF NOT EXISTS categories (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- >>> solution 12
CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    -- The lengths are the store's rules (MAX_SKU, MAX_NAME in app/domain.py).
    sku         TEXT    NOT NULL UNIQUE
        CHECK (length(trim(sku)) > 0 AND length(sku) <= 40),
    name        TEXT    NOT NULL
        CHECK (length(trim(name)) > 0 AND length(name) <= 200),
    -- Money in whole cents: an INTEGER is exact, a REAL (float) is not, and
    -- SQLite would quietly store 3.5 in an INTEGER column unless told not to.
    price_cents INTEGER NOT NULL
        CHECK (typeof(price_cents) = 'integer' AND price_cents >= 0),
    category_id INTEGER REFERENCES categories (id),
    -- ISO 8601 with its UTC offset, as datetime.isoformat() writes it.
    created_at  TEXT    NOT NULL
);
-- --- stub
-- -- TODO step 12: make the database refuse bad products: a SKU that is
-- -- missing, blank, taken or longer than 40 characters, a name that is
-- -- missing, blank or longer than 200, a missing, negative or non-integer
-- -- price, a missing created_at.
-- CREATE TABLE IF NOT EXISTS products (
--     id          INTEGER PRIMARY KEY,
--     sku         TEXT,
--     name        TEXT,
--     price_cents INTEGER,
--     category_id INTEGER REFERENCES categories (id),
--     created_at  TEXT
-- );
-- <<<
-- >>> until 12
CREATE TABLE IF NOT EXISTS products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT,
    name        TEXT,
    price_cents INTEGER,
    category_id INTEGER REFERENCES categories (id),
    created_at  TEXT
);
-- <<<
-- >>> since 18

-- Opening stock and restocking; a product's stock goes when the product goes.
CREATE TABLE IF NOT EXISTS stock (
    product_id INTEGER PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    quantity   INTEGER NOT NULL CHECK (quantity >= 0)
);
-- <<<
-- >>> since 19

-- Joins and ON DELETE checks look products up by category: index the column.
CREATE INDEX IF NOT EXISTS products_by_category ON products (category_id);
-- <<<

-- >>> since 24
-- Step 24: customers place orders; each order line keeps the price it was
-- sold at, because product prices change later.
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    status TEXT NOT NULL CHECK (status IN ('placed', 'reserved', 'cancelled')),
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id INTEGER NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    PRIMARY KEY (order_id, product_id)
);
-- <<<

-- >>> since 25
-- Step 25: a delivery from a supplier restocks many products at once; its
-- lines stay as the record of what arrived.
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS delivery_lines (
    delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products(id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (delivery_id, line_no)
);
-- <<<

-- >>> since 26
-- Step 26: every customer may hold a wallet. Money moves only by transfers,
-- which are never edited: a refund is a new transfer pointing at the one it
-- pays back.
CREATE TABLE IF NOT EXISTS wallets (
    customer_id INTEGER PRIMARY KEY REFERENCES customers(id),
    balance_cents INTEGER NOT NULL CHECK (balance_cents >= 0)
);

CREATE TABLE IF NOT EXISTS transfers (
    id INTEGER PRIMARY KEY,
    from_customer INTEGER NOT NULL REFERENCES wallets(customer_id),
    to_customer INTEGER NOT NULL REFERENCES wallets(customer_id),
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    refund_of INTEGER REFERENCES transfers(id),
    created_at TEXT NOT NULL,
    CHECK (from_customer <> to_customer)
);
-- <<<
