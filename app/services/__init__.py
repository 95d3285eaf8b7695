"""The store's business operations: orders, stock, wallets, on top of storage."""
