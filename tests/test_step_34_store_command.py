"""Step 34: the `store` command on PostgreSQL, through psycopg2 and asyncpg."""

import secrets
import shlex

import pytest

from app.cli import main

pytestmark = pytest.mark.postgres


def run(capsys, command_line: str) -> tuple[int, str, str]:
    code = main(shlex.split(command_line))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("driver", ["sync", "asyncpg"])
def test_a_postgresql_url_selects_the_database_backend(capsys, postgres_urls, driver):
    url = getattr(postgres_urls, driver)
    sku = f"CLI-{secrets.token_hex(3).upper()}"
    code, out, err = run(
        capsys, f"--db {url} products add --sku {sku} --name 'Oolong tea' --price 7.25"
    )
    assert (code, err) == (0, ""), err
    code, out, _ = run(capsys, f"--db {url} products search {sku.lower()}")
    assert code == 0
    assert [line.split() for line in out.splitlines()[1:]] == [
        [sku, "Oolong", "tea", "7.25", "-"]
    ]
    code, _, err = run(
        capsys, f"--db {url} products add --sku {sku} --name Again --price 1"
    )
    assert code == 2 and sku in err, "a duplicate SKU is one clear line"
