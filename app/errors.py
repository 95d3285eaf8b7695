"""The store's own exceptions: what went wrong, in the store's words."""

from collections.abc import Iterable
from datetime import datetime  # since 38
from decimal import Decimal  # since 26


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class InvalidPrice(StoreError, ValueError):
    """A price that is not an exact, non-negative amount of money."""


class InvalidProduct(StoreError, ValueError):
    """A product the store refuses: a blank name, a malformed SKU, a bad price...

    ``fields`` maps each field found wrong ("sku", "name", ...) to what is wrong
    with it and the fix; it is empty when the field is not known (a constraint
    of the database refused the row).
    """

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields or {})


class InvalidSearch(StoreError, ValueError):
    """A search text the store refuses: longer than any name could match."""


class CorruptFile(StoreError):
    """A data file that cannot be read back: empty, truncated or not ours."""


class UnsafeFile(CorruptFile):
    """A data file that asks to run code or build objects the store does not own."""


# >>> since 04
class CatalogLocked(StoreError):
    """Another process held the catalog file's lock for longer than this one
    waits (``timeout`` seconds); nothing was written."""

    def __init__(self, path: object, timeout: float) -> None:
        super().__init__(
            f"{path} is being changed by another process, which held its lock"
            f" for more than {timeout:g} s; nothing was changed, try again"
        )
        self.path, self.timeout = path, timeout


# <<<
class DuplicateSku(StoreError):
    """A second product with a SKU that is already taken.

    ``skus`` holds the SKUs concerned when the raiser knows them (empty when
    it does not); without a message, one is written from them.
    """

    def __init__(self, message: str = "", *, skus: Iterable[str] = ()) -> None:
        self.skus = tuple(skus)
        super().__init__(message or f"SKU {_listed(self.skus)} is already taken")


class ProductNotFound(StoreError, LookupError):
    """No product has this SKU; ``skus`` holds every missing one when known.

    ``sku`` is the first of them, and ``line`` the line of a delivery note or
    file that names it, when there is one.
    """

    def __init__(
        self, message: str = "", *, skus: Iterable[str] = (), line: int | None = None
    ) -> None:
        self.skus, self.line = tuple(skus), line
        super().__init__(message or f"no product has SKU {_listed(self.skus)}")

    @property
    def sku(self) -> str | None:
        return self.skus[0] if self.skus else None


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

    def __init__(
        self, message: str, *, sku: object = None, quantity: object = None
    ) -> None:
        super().__init__(message)
        self.sku, self.quantity = sku, quantity  # the values refused, if any


# <<<
# >>> since 15


class DatabaseBusy(StoreError):
    """The database could not be used now; nothing was written.

    Another connection held the lock longer than the store waits
    (SQLITE_BUSY), or this connection's own pending statement conflicts
    (SQLITE_LOCKED, such as a DROP TABLE while a SELECT on it is unfinished).
    Finish or close pending reads, then try again.
    """


# <<<
# >>> since 16


class DatabaseUnavailable(StoreError):
    """A database the store cannot open or write: a missing folder, a read-only
    file, a server that is down or refuses the login. Nothing was written.

    ``target`` names the database (a path, or a URL without its password),
    ``reason`` is what the driver reported, on one line, and ``fix`` what to
    do about it.
    """

    def __init__(self, target: str, reason: str, fix: str) -> None:
        super().__init__(f"cannot use the database {target} ({reason}): {fix}")
        self.target, self.reason, self.fix = target, reason, fix


class NotAStoreDatabase(StoreError):
    """A database that exists but does not hold the store's tables.

    ``target`` names it, ``missing`` lists what of the store's schema it
    lacks (tables, or ``table.column``) and ``fix`` says what to do. Nothing
    was changed.
    """

    def __init__(self, target: str, missing: Iterable[str], fix: str) -> None:
        self.target, self.missing, self.fix = target, tuple(missing), fix
        super().__init__(
            f"{target} is not the store's database: it lacks"
            f" {', '.join(self.missing)}; {fix} (nothing was changed)"
        )


# <<<
# >>> since 22


class InvalidCsv(StoreError, ValueError):
    """A CSV file the store cannot import: where (file, line, column, value) and why.

    ``reason`` says what is wrong; the message puts the file and line first,
    as in "feed.csv, line 3: ...". ``column`` and ``value`` name the cell at
    fault when one cell is (None otherwise).
    """

    def __init__(
        self,
        reason: str,
        *,
        line: int | None = None,
        column: str | None = None,
        value: str | None = None,
        path: str | None = None,
    ) -> None:
        places = [path, None if line is None else f"line {line}"]
        where = ", ".join(place for place in places if place)
        super().__init__(f"{where}: {reason}" if where else reason)
        self.reason, self.line, self.column, self.value = reason, line, column, value
        self.path = path


# <<<


# >>> since 34


class InvalidRows(InvalidCsv):
    """The rows of a CSV import that the store refuses, all reported at once;
    nothing was imported.

    ``problems`` holds one InvalidCsv per bad row, in file order (its
    ``line`` and ``reason``); ``line`` is the first bad row's.
    """

    def __init__(
        self, problems: Iterable[InvalidCsv], *, path: str | None = None
    ) -> None:
        self.problems = tuple(problems)
        listed = "; ".join(f"line {p.line}: {p.reason}" for p in self.problems)
        count = len(self.problems)
        super().__init__(
            f"{count} bad row{'' if count == 1 else 's'}, nothing was imported"
            f" (fix each, then import the file again): {listed}",
            path=path,
        )
        self.line = self.problems[0].line if self.problems else None


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

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"there is no customer {customer_id}")
        self.customer_id = customer_id


class DuplicateEmail(StoreError):
    """A second customer with an email address that is already taken."""


class OrderNotFound(StoreError, LookupError):
    """No order has this id."""


# <<<


# >>> since 26
class InvalidAmount(StoreError, ValueError):
    """An amount of money that is not exact cents above zero."""


class InvalidTransfer(StoreError, ValueError):
    """A transfer or refund the rules do not allow (to oneself, too large).

    For a refund, ``transfer_id`` is the transfer asked for and ``left`` what
    of it can still be refunded (None when the rule is not about the amount).
    """

    def __init__(
        self,
        message: str,
        *,
        transfer_id: int | None = None,
        left: Decimal | None = None,
    ) -> None:
        super().__init__(message)
        self.transfer_id, self.left = transfer_id, left


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

    def __init__(self, customer_id: int) -> None:
        super().__init__(f"customer {customer_id} has no wallet")
        self.customer_id = customer_id


class TransferNotFound(StoreError, LookupError):
    """No transfer has this id."""

    def __init__(self, transfer_id: int) -> None:
        super().__init__(f"there is no transfer {transfer_id}")
        self.transfer_id = transfer_id


# <<<


# >>> since 27
class OrderNotReserved(StoreError):
    """An order that is not (or no longer) a reservation, so it cannot be cancelled."""

    def __init__(self, order_id: int, status: str) -> None:
        super().__init__(f"order {order_id} is {status}, not reserved; nothing changed")
        self.order_id, self.status = order_id, status


# <<<


# >>> since 29
class InvalidInput(StoreError, ValueError):
    """Input refused at the boundary; the message names each field and the fix."""


# <<<
# >>> since 29
class InvalidDatabaseUrl(StoreError, ValueError):
    """A database URL the store cannot use: unreadable, an unknown driver, no
    database named. ``url`` is the URL without its password."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"cannot use the database URL {url}: {problem}")
        self.url, self.problem = url, problem


# <<<


# >>> since 38
class BackdatedPriceChange(StoreError, ValueError):
    """A price change dated at or before the start of the price in force.

    History is only ever appended to: ``at`` must come after ``since``, the
    start of the product's current price. Nothing was changed.
    """

    def __init__(self, sku: str, at: datetime, since: datetime) -> None:
        super().__init__(
            f"SKU {sku!r} has had its current price since {since.isoformat()}; a"
            f" change at {at.isoformat()} would rewrite history: date it later"
            " (nothing was changed)"
        )
        self.sku, self.at, self.since = sku, at, since


class PriceNotKnown(StoreError, LookupError):
    """No price of this product was recorded at instant ``at``.

    ``since`` is the start of its first recorded price (None when it has no
    history yet); ask for an instant from then on.
    """

    def __init__(self, sku: str, at: datetime, since: datetime | None) -> None:
        known = (
            f"its history starts at {since.isoformat()}"
            if since is not None
            else "it has no price history yet"
        )
        super().__init__(
            f"no price of SKU {sku!r} is known at {at.isoformat()}: {known}"
        )
        self.sku, self.at, self.since = sku, at, since


# <<<


# >>> since 40
class ImageTooLarge(StoreError, ValueError):
    """An image longer than the store accepts, refused as soon as it crossed
    ``limit`` bytes; nothing of it was kept."""

    def __init__(self, sku: str, limit: int) -> None:
        super().__init__(
            f"the image for SKU {sku!r} is larger than {limit:,} bytes, the limit;"
            " nothing was stored: send a smaller image or raise max_bytes"
        )
        self.sku, self.limit = sku, limit


class ImageNotFound(StoreError, LookupError):
    """No product image has this id."""

    def __init__(self, image_id: int) -> None:
        super().__init__(f"there is no product image {image_id}")
        self.image_id = image_id


class CorruptImage(CorruptFile):
    """An image file whose bytes no longer match the SHA-256 its row recorded
    (``expected``; ``found`` is what the file holds now)."""

    def __init__(self, image_id: int, path: object, expected: str, found: str) -> None:
        super().__init__(
            f"image {image_id} ({path}) is damaged: its bytes hash to {found[:12]}...,"
            f" not {expected[:12]}... as stored; restore the file from a backup"
            " or upload the image again"
        )
        self.image_id, self.path = image_id, path
        self.expected, self.found = expected, found


# <<<


# >>> since 43
class InvalidPageSize(StoreError, ValueError):
    """A page size outside 1..``largest``; ``size`` is the one refused."""

    def __init__(self, size: int, largest: int) -> None:
        super().__init__(
            f"a page holds 1 to {largest} products, not {size}; ask for a size in"
            " that range (and walk more pages for more products)"
        )
        self.size, self.largest = size, largest


# <<<


# >>> since 39
class TooManyConflicts(DatabaseBusy):
    """Other buyers changed the stock of ``sku`` first, ``attempts`` times in a
    row; nothing was bought. Try again later."""

    def __init__(self, sku: str, attempts: int) -> None:
        super().__init__(
            f"the stock of SKU {sku!r} changed under this purchase {attempts} times"
            " in a row (other buyers were faster); nothing was bought, try again"
        )
        self.sku, self.attempts = sku, attempts


# <<<
