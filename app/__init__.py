"""The store: products, categories, stock, carts, orders and wallets."""
