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


# >>> since 29
class InvalidInput(StoreError, ValueError):
    """Input refused at the boundary; the message names each field and the fix."""


# <<<
