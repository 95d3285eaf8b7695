"""Variants of drill 08 (format versions): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

VERSIONS = "app/files/versions.py"

VARIANTS = [
    wrong(
        "v2_to_v3 copies only the outer dict, so it renames inside its input",
        replace_text(
            VERSIONS,
            old='''    """Version 3 renames each product's "created_at" to "added_at"."""
    upgraded = copy.deepcopy(document)
''',
            new='''    """Version 3 renames each product's "created_at" to "added_at"."""
    upgraded = dict(document)
''',
        ),
    ),
    wrong(
        "v2_to_v3 skips a product without created_at instead of refusing it",
        replace_function(
            VERSIONS,
            "v2_to_v3",
            """
            def v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
                upgraded = copy.deepcopy(document)
                for product in upgraded["products"]:
                    if "created_at" in product:
                        product["added_at"] = product.pop("created_at")
                upgraded["version"] = 3
                return upgraded
            """,
        ),
    ),
    wrong(
        "takes True or 2.0 for a version (isinstance, not type)",
        replace_text(
            VERSIONS,
            old="if type(version) is not int or version < 1:",
            new="if not isinstance(version, int) or version < 1:",
        ),
    ),
    wrong(
        "never refuses a newer version",
        replace_text(
            VERSIONS,
            old="""    if version > CURRENT:
        raise UnsupportedFormatVersion(version, CURRENT)
""",
            new="",
        ),
    ),
    wrong(
        "a fixed chain bound at import instead of looking up UPGRADES",
        replace_function(
            VERSIONS,
            "upgrade",
            """
            def upgrade(document: dict[str, Any]) -> dict[str, Any]:
                version = document.get("version")
                if type(version) is not int or version < 1:
                    raise CorruptFile(f"bad version {version!r}")
                if version > CURRENT:
                    raise UnsupportedFormatVersion(version, CURRENT)
                if version == 1:
                    document = v1_to_v2(document)
                if version <= 2:
                    document = v2_to_v3(document)
                return document
            """,
        ),
    ),
    wrong(
        "v1_to_v2 changes its input",
        replace_function(
            VERSIONS,
            "v1_to_v2",
            """
            def v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
                document.update(currency="EUR", version=2)
                return document
            """,
        ),
    ),
    alternative(
        "recursion, comprehensions and other messages",
        replace_function(
            VERSIONS,
            "v2_to_v3",
            """
            def v2_to_v3(document: dict[str, Any]) -> dict[str, Any]:
                products = []
                for number, product in enumerate(document["products"], start=1):
                    if "created_at" not in product:
                        raise CorruptFile(f"product {number} has no creation time")
                    renamed = {
                        ("added_at" if key == "created_at" else key): value
                        for key, value in product.items()
                    }
                    products.append(copy.deepcopy(renamed))
                upgraded = copy.deepcopy(
                    {k: v for k, v in document.items() if k != "products"}
                )
                return {**upgraded, "products": products, "version": 3}
            """,
        ),
        replace_function(
            VERSIONS,
            "upgrade",
            """
            def upgrade(document: dict[str, Any]) -> dict[str, Any]:
                version = document.get("version")
                if isinstance(version, bool) or not isinstance(version, int):
                    raise CorruptFile("no usable format number in the document")
                if not 1 <= version <= CURRENT:
                    if version > CURRENT:
                        raise UnsupportedFormatVersion(version, CURRENT)
                    raise CorruptFile("no usable format number in the document")
                if version == CURRENT:
                    return document
                return upgrade(UPGRADES[version](document))
            """,
        ),
    ),
]
