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
    sku         TEXT    NOT NULL UNIQUE CHECK (length(trim(sku)) > 0),
    name        TEXT    NOT NULL CHECK (length(trim(name)) > 0),
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
-- -- missing, blank or taken, a missing or blank name, a missing, negative or
-- -- non-integer price, a missing created_at.
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
