"""The `store` command: add, list and search the store's products."""

from __future__ import annotations

import argparse  # since 04
import sys  # since 04
from collections.abc import Sequence

from app.backends import DEFAULT_TARGET, open_repository  # since 04
from app.domain import Product  # since 04
from app.errors import StoreError  # since 04
from app.repository import ProductRepository  # since 04


# >>> until 04
def main(argv: Sequence[str] | None = None) -> int:
    """Say when the command arrives: it needs the file store of step 04."""
    print(
        "store: this command arrives at step 04 (YAML and the file store);"
        " see workshop/steps/04-yaml.md"
    )
    return 0


# <<<
# >>> since 04
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="store", description="Add, list and search the store's products."
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_TARGET,
        metavar="TARGET",
        help=f"where the products live (default: {DEFAULT_TARGET})",
    )
    commands = parser.add_subparsers(dest="area", required=True)
    products = commands.add_parser("products", help="the product catalog")
    actions = products.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a product")
    add.add_argument("--sku", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--price", required=True, help='an exact amount, e.g. "3.50"')
    add.add_argument("--category")
    actions.add_parser("list", help="list every product, by SKU")
    search = actions.add_parser("search", help="products whose name or SKU match")
    search.add_argument("text")
    delete = actions.add_parser("delete", help="remove a product")
    delete.add_argument("sku")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `store` command with ``argv``; return its exit code (2: an error)."""
    args = build_parser().parse_args(argv)
    try:
        repository = open_repository(args.db)
    except (StoreError, ValueError, OSError) as error:
        return fail(error)
    try:
        return run(repository, args)
    except (StoreError, ValueError, OSError) as error:
        return fail(error)
    finally:
        repository.close()


def run(repository: ProductRepository, args: argparse.Namespace) -> int:
    if args.action == "add":
        product = Product(
            sku=args.sku, name=args.name, price=args.price, category=args.category
        )
        repository.add(product)
        print(f"added {product.sku}")
    elif args.action == "list":
        print_table(repository.list())
    elif args.action == "search":
        print_table(repository.search(args.text))
    elif args.action == "delete":
        repository.delete(args.sku)
        print(f"deleted {args.sku}")
    return 0


def print_table(products: list[Product]) -> None:
    """Products as aligned columns; prices right-aligned so cents line up."""
    if not products:
        print("no products")
        return
    rows = [("SKU", "NAME", "PRICE", "CATEGORY")] + [
        (p.sku, p.name, str(p.price), p.category or "-") for p in products
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for sku, name, price, category in rows:
        print(
            f"{sku:<{widths[0]}}  {name:<{widths[1]}}  {price:>{widths[2]}}  {category}"
        )


def fail(error: Exception) -> int:
    print(f"store: error: {error}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
# <<<
