"""The store's own exceptions: what went wrong, in the store's words."""


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class InvalidPrice(StoreError, ValueError):
    """A price that is not an exact, non-negative amount of money."""


class CorruptFile(StoreError):
    """A data file that cannot be read back: empty, truncated or not ours."""


class UnsafeFile(CorruptFile):
    """A data file that asks to run code or build objects the store does not own."""


class DuplicateSku(StoreError):
    """A second product with a SKU that is already taken."""


class ProductNotFound(StoreError, LookupError):
    """No product has this SKU."""


# >>> since 24
class InvalidQuantity(StoreError, ValueError):
    """A quantity of items that is not a whole number above zero."""


class OutOfStock(StoreError):
    """Fewer items on the shelf than an order or reservation asks for."""

    def __init__(self, sku: str, wanted: int, available: int) -> None:
        super().__init__(
            f"only {available} of SKU {sku!r} in stock, {wanted} wanted;"
            " nothing was changed"
        )
        self.sku, self.wanted, self.available = sku, wanted, available


class CustomerNotFound(StoreError, LookupError):
    """No customer has this id."""


class DuplicateEmail(StoreError):
    """A second customer with an email address that is already taken."""


class OrderNotFound(StoreError, LookupError):
    """No order has this id."""


# <<<
