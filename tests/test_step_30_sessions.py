"""Step 30: the product repository on SQLAlchemy sessions (the contract suite runs too)."""

from datetime import UTC, datetime

import psycopg2
import pytest
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from app.domain import Product
from app.errors import DuplicateSku, ProductNotFound
from app.orm import models
from app.orm.database import (
    make_engine,
    make_sessions,
    open_sql_repository,
    reset_schema,
)
from app.orm.repository import OrmProductRepository

WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
LATER = datetime(2027, 6, 7, 8, 9, 10, 111213, tzinfo=UTC)


def make(sku="TEA-1", category="tea"):
    return Product(
        sku=sku, name="Green tea", price="3.50", category=category, created_at=WHEN
    )


@pytest.fixture
def repo(engine):
    return OrmProductRepository(make_sessions(engine))


def table(engine, model):
    with make_sessions(engine)() as session:
        return session.scalars(select(model)).all()


def test_the_repository_hands_out_plain_domain_products(repo):
    repo.add(make())
    fetched = repo.get("TEA-1")
    assert type(fetched) is Product
    assert fetched == make()


def test_products_of_one_category_share_one_category_row(repo, engine):
    repo.add(make("TEA-1"))
    repo.add(make("TEA-2"))
    repo.add(make("MUG-1", category=None))
    assert [c.name for c in table(engine, models.Category)] == ["tea"]
    assert {p.category for p in repo.list()} == {"tea", None}


def test_a_refused_add_leaves_nothing_behind_not_even_its_new_category(repo, engine):
    repo.add(make("TEA-1"))
    with pytest.raises(DuplicateSku) as refused:
        repo.add(make("TEA-1", category="brand new"))
    assert refused.value.skus == ("TEA-1",)
    assert [c.name for c in table(engine, models.Category)] == ["tea"]


def test_another_integrity_error_is_not_mistaken_for_a_duplicate(repo):
    nameless = Product(sku="TEA-1", name="Tea", price="3.50", created_at=WHEN)
    nameless.name = None  # past Product's own checks, to reach the database's
    with pytest.raises(IntegrityError):  # NOT NULL, not the SKU's UNIQUE
        repo.add(nameless)
    assert repo.list() == []


def test_a_refused_update_leaves_the_stored_product_as_it_was(repo):
    repo.add(make())
    nameless = Product(sku="TEA-1", name="Tea", price="9.99", created_at=LATER)
    nameless.name = None  # past Product's own checks, to reach the database's
    with pytest.raises(IntegrityError):  # NOT NULL
        repo.update(nameless)
    assert repo.list() == [make()]


def commit_on_another_connection(engine, statement):
    """Run ``statement`` on a second connection and commit it, without waiting:
    True if it went through, False if a lock of the call under test kept it out
    (then it would simply have waited for that call's commit)."""
    with engine.connect() as other:
        try:
            with other.begin():
                if engine.dialect.name == "sqlite":
                    other.exec_driver_sql("PRAGMA busy_timeout = 0")
                else:
                    other.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
                other.execute(statement)
            return True
        except OperationalError:
            return False
        finally:
            other.invalidate()  # its timeout setting must not go back to the pool


@pytest.fixture
def just_before(engine):
    """Commit ``statement`` on another connection once, just before the call under
    test sends SQL starting with ``prefix``; the list says whether it went through."""
    hooks = []

    def arrange(prefix, statement):
        outcome = []

        def hook(conn, cursor, sent, *args):
            if sent.startswith(prefix) and not outcome:
                outcome.append(None)  # the other connection's SQL passes here too
                outcome[0] = commit_on_another_connection(engine, statement)

        event.listen(engine, "before_cursor_execute", hook)
        hooks.append(hook)
        return outcome

    yield arrange
    for hook in hooks:
        event.remove(engine, "before_cursor_execute", hook)


def test_a_sku_taken_by_another_writer_just_before_the_insert_is_duplicate_sku(
    repo, just_before
):
    theirs = {"sku": "TEA-1", "name": "Their tea", "price": "1.00", "created_at": WHEN}
    other = just_before("INSERT INTO products", insert(models.Product).values(theirs))
    try:
        repo.add(make("TEA-1", category=None))
    except DuplicateSku as refused:
        outcome = refused
    else:
        outcome = None
    if other and other[0]:  # the other writer's row was there first
        assert isinstance(outcome, DuplicateSku)
        assert outcome.skus == ("TEA-1",)
        assert [p.name for p in repo.list()] == ["Their tea"]
    else:  # this call's lock kept the other writer waiting: the add went through
        assert outcome is None
        assert repo.list() == [make("TEA-1", category=None)]


def test_a_product_deleted_by_another_writer_just_before_the_update_is_not_found(
    repo, just_before
):
    repo.add(make("TEA-1"))
    gone = delete(models.Product).where(models.Product.sku == "TEA-1")
    other = just_before("UPDATE products", gone)
    changed = make("TEA-1", category=None)
    changed.name = "Sencha"
    try:
        repo.update(changed)
    except ProductNotFound as missing:
        outcome = missing
    else:
        outcome = None
    if other and other[0]:  # the other writer deleted it first
        assert isinstance(outcome, ProductNotFound)
        assert outcome.skus == ("TEA-1",)
        assert repo.list() == []
    else:  # this call's lock kept the other writer waiting: the update went through
        assert outcome is None
        assert repo.list() == [changed]


@pytest.mark.parametrize("call", ["get", "update", "delete"])
def test_a_missing_sku_is_product_not_found_naming_it(repo, call):
    repo.add(make("TEA-1"))
    argument = make("NOPE-1") if call == "update" else "NOPE-1"
    with pytest.raises(ProductNotFound) as missing:
        getattr(repo, call)(argument)
    assert missing.value.skus == ("NOPE-1",)
    assert repo.list() == [make("TEA-1")]


def test_every_call_gives_its_connection_back(repo, engine):
    repo.add(make())
    repo.update(make(category="green"))
    repo.get("TEA-1")
    repo.list()
    repo.search("tea")
    with pytest.raises(DuplicateSku):
        repo.add(make())
    repo.delete("TEA-1")
    assert engine.pool.checkedout() == 0


def test_open_sql_repository_creates_the_tables_for_a_url(tmp_path):
    repository = open_sql_repository(f"sqlite:///{tmp_path / 'cli.db'}")
    try:
        repository.add(make())
        assert repository.list() == [make()]
    finally:
        repository.close()


@pytest.mark.postgres
def test_a_unique_violation_on_postgresql_becomes_duplicate_sku(postgres_urls):
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    repository = OrmProductRepository(make_sessions(engine))
    try:
        repository.add(make())
        with pytest.raises(DuplicateSku) as refused:
            repository.add(make(category="other"))
        assert refused.value.skus == ("TEA-1",)
        assert [p.category for p in repository.list()] == ["tea"]
    finally:
        repository.close()


@pytest.mark.postgres
def test_a_connection_lost_mid_transaction_loses_nothing_and_the_repository_recovers(
    postgres_urls,
):
    engine = make_engine(postgres_urls.sync)
    reset_schema(engine)
    repository = OrmProductRepository(make_sessions(engine))
    repository.add(make("KEEP-1"))
    killed = []

    def kill_before_the_product_insert(conn, cursor, statement, *args):
        # The new category is already inserted in this transaction: it must vanish.
        if statement.startswith("INSERT INTO products") and not killed:
            pid = conn.connection.dbapi_connection.get_backend_pid()
            admin = psycopg2.connect(postgres_urls.server.url)
            try:
                with admin.cursor() as other:
                    other.execute("SELECT pg_terminate_backend(%s)", (pid,))
            finally:
                admin.close()
            killed.append(pid)

    event.listen(engine, "before_cursor_execute", kill_before_the_product_insert)
    try:
        with pytest.raises(OperationalError) as lost:
            repository.add(make("LOST-1", category="doomed"))
        assert lost.value.connection_invalidated
        assert killed
        assert [p.sku for p in repository.list()] == ["KEEP-1"]
        assert [c.name for c in table(engine, models.Category)] == ["tea"]
        repository.add(make("NEXT-1", category="doomed"))
        assert [p.sku for p in repository.list()] == ["KEEP-1", "NEXT-1"]
        with make_sessions(engine)() as session:
            assert session.scalar(select(func.count()).select_from(models.Product)) == 2
    finally:
        event.remove(engine, "before_cursor_execute", kill_before_the_product_insert)
        repository.close()
