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
