"""The store's own exceptions: what went wrong, in the store's words."""

from collections.abc import Iterable
from decimal import Decimal  # since 26


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class InvalidPrice(StoreError, ValueError):
    """A price that is not an exact, non-negative amount of money."""


class CorruptFile(StoreError):
    """A data file that cannot be read back: empty, truncated or not ours."""


class UnsafeFile(CorruptFile):
    """A data file that asks to run code or build objects the store does not own."""


class DuplicateSku(StoreError):
    """A second product with a SKU that is already taken.

    ``skus`` holds the SKUs concerned when the raiser knows them (empty when
    it does not); without a message, one is written from them.
    """

    def __init__(self, message: str = "", *, skus: Iterable[str] = ()) -> None:
        self.skus = tuple(skus)
        super().__init__(message or f"SKU {_listed(self.skus)} is already taken")


class ProductNotFound(StoreError, LookupError):
    """No product has this SKU; ``skus`` holds every missing one when known."""

    def __init__(self, message: str = "", *, skus: Iterable[str] = ()) -> None:
        self.skus = tuple(skus)
        super().__init__(message or f"no product has SKU {_listed(self.skus)}")


def _listed(skus: tuple[str, ...]) -> str:
    return ", ".join(map(repr, skus))


# >>> since 08
class UnsupportedFormatVersion(CorruptFile):
    """A data file written by a newer version of the store than this one."""

    def __init__(self, found: object, known: int) -> None:
        super().__init__(
            f"the file is format version {found!r}, but this code reads versions 1"
            f" to {known}: it was written by a newer store, so upgrade the store"
            " (the file was left untouched)"
        )
        self.found, self.known = found, known


# <<<
# >>> since 09
class InvalidQuantity(StoreError, ValueError):
    """A stock quantity that is not a whole, non-negative number of items."""


# <<<
# >>> since 15


class InvalidProduct(StoreError, ValueError):
    """A product the store refuses: a blank name, a malformed SKU, a bad price..."""


class DatabaseBusy(StoreError):
    """Another connection held the database's lock longer than the store waits."""


# <<<
# >>> since 22


class InvalidCsv(StoreError, ValueError):
    """A CSV file the store cannot import; the message names the line and why."""


# <<<


# >>> since 24
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


# >>> since 26
class InvalidAmount(StoreError, ValueError):
    """An amount of money that is not exact cents above zero."""


class InvalidTransfer(StoreError, ValueError):
    """A transfer or refund the rules do not allow (to oneself, too large)."""


class InsufficientFunds(StoreError):
    """A wallet that holds less than a transfer takes out of it."""

    def __init__(self, customer_id: int, wanted: Decimal, available: Decimal) -> None:
        super().__init__(
            f"the wallet of customer {customer_id} holds {available}, {wanted} is"
            " needed; no money was moved"
        )
        self.customer_id, self.wanted, self.available = customer_id, wanted, available


class DuplicateWallet(StoreError):
    """A second wallet for a customer who has one."""


class WalletNotFound(StoreError, LookupError):
    """No wallet belongs to this customer."""


class TransferNotFound(StoreError, LookupError):
    """No transfer has this id."""


# <<<


# >>> since 27
class OrderNotReserved(StoreError):
    """An order that is not (or no longer) a reservation, so it cannot be cancelled."""


# <<<


# >>> since 29
class InvalidInput(StoreError, ValueError):
    """Input refused at the boundary; the message names each field and the fix."""


# <<<
