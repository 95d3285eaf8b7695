"""The `store` command: add, list and search the store's products."""

from __future__ import annotations

import argparse  # since 04
import sqlite3  # since 16
import sys  # since 04
from collections.abc import Sequence

from app import backends  # since 20
from app.backends import DEFAULT_TARGET, open_repository  # since 04
from app.domain import Product  # since 04
from app.errors import StoreError  # since 04
from app.repository import ProductRepository  # since 04
from app.sqlite import commands as sqlite_commands  # since 20
from app.sqlite.faults import file_fault  # since 16


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
    commands.add_parser("report", help="figures per category")  # since 20
    export = commands.add_parser("export", help="products to CSV")  # since 21
    export.add_argument("file", help='a file, or "-" for the screen')  # since 21
    load = commands.add_parser("import", help="products from CSV")  # since 22
    load.add_argument("file", help="a CSV file with a header row")  # since 22
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `store` command with ``argv``; return its exit code (2: an error)."""
    args = build_parser().parse_args(argv)
    if args.area != "products":  # since 20
        return run_on_database(args)  # since 20
    try:
        repository = open_repository(args.db)
    except (StoreError, ValueError, OSError) as error:
        return fail(error)
    with repository:
        try:
            return run(repository, args)
        except (StoreError, ValueError, OSError) as error:
            return fail(error)
        except sqlite3.Error as error:  # since 16
            return fail(file_fault(error, args.db))  # since 16


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


# <<<
# >>> since 20
def run_on_database(args: argparse.Namespace) -> int:
    """report, export and import: whole-table work on a SQLite database."""
    if args.area == "import" and args.db.startswith(ASYNCPG_URL):  # since 34
        return run_async_import(args)  # since 34
    path = backends.sqlite_path(args.db)
    if path is None:
        return fail(
            ValueError(
                f"`store {args.area}` works on a SQLite database (store.db, *.db or"
                f" sqlite:///path), not on {args.db!r}"
            )
        )
    try:
        conn = backends.open_database(path)
    except (StoreError, OSError) as error:
        return fail(error)
    try:
        if args.area == "report":
            print(sqlite_commands.format_report(sqlite_commands.report(conn)))
        elif args.area == "export":  # since 21
            count = sqlite_commands.export_csv(conn, args.file)  # since 21
            print(f"exported {plural(count)}", file=sys.stderr)  # since 21
        elif args.area == "import":  # since 22
            count = sqlite_commands.import_csv(conn, args.file)  # since 22
            print(f"imported {plural(count)}")  # since 22
    except (StoreError, OSError) as error:
        return fail(error)
    except sqlite3.Error as error:
        return fail(file_fault(error, path))
    finally:
        conn.close()
    return 0


# <<<
# >>> since 34
# `store import` also fills a PostgreSQL database through asyncpg: one COPY.
ASYNCPG_URL = "postgresql+asyncpg://"


def run_async_import(args: argparse.Namespace) -> int:
    """`store --db postgresql+asyncpg://... import FILE`: every row or none."""
    # Imported here: only a database URL needs SQLAlchemy and asyncpg.
    from app.orm.async_import import import_csv

    try:
        count = import_csv(args.db, args.file)
    except (StoreError, OSError) as error:
        return fail(error)
    print(f"imported {plural(count)}")
    return 0


# <<<
# >>> since 21
def plural(count: int) -> str:
    return f"{count} product{'' if count == 1 else 's'}"


# <<<
if __name__ == "__main__":  # since 04
    sys.exit(main())  # since 04
