# workshop: since 08
"""Catalog format versions: a chain of small functions that upgrade old files."""

from __future__ import annotations

import copy  # solution 08
from typing import Any

from app.errors import CorruptFile, UnsupportedFormatVersion  # solution 08

CURRENT = 3


# >>> solution 08
# Each upgrade is frozen history: it turns version N into N+1 exactly as N+1
# was defined, so it never reads today's constants, and it never changes its
# input (a failed upgrade must leave the caller's document as it was).
def v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 names the catalog's currency; every version-1 file was in euros."""
    upgraded = copy.deepcopy(document)
    upgraded["currency"] = "EUR"
    upgraded["version"] = 2
    return upgraded


def v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
    """Version 3 renames each product's "created_at" to "added_at"."""
    upgraded = copy.deepcopy(document)
    try:
        for product in upgraded["products"]:
            product["added_at"] = product.pop("created_at")
    except (KeyError, TypeError, AttributeError) as error:
        raise CorruptFile(
            f"cannot upgrade a version-2 catalog: a product entry lacks {error}"
        ) from None
    upgraded["version"] = 3
    return upgraded


UPGRADES = {1: v1_to_v2, 2: v2_to_v3}


def upgrade(document: dict[str, Any]) -> dict[str, Any]:
    """Return ``document`` at version CURRENT, applying one upgrade at a time.

    A missing or malformed version is CorruptFile; a version newer than CURRENT
    is UnsupportedFormatVersion saying which version it is and which we know.
    """
    version = document.get("version")
    if type(version) is not int or version < 1:
        raise CorruptFile(f"the catalog's version {version!r} is not a version number")
    if version > CURRENT:
        raise UnsupportedFormatVersion(version, CURRENT)
    while version < CURRENT:
        document = UPGRADES[version](document)
        version = document["version"]
    return document


# <<<
