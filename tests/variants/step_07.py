"""Variants of drill 07 (cart session): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

STORE = "app/files/session_store.py"

VARIANTS = [
    wrong(
        "accepts an int unit price, since parse_price() takes ints",
        replace_text(
            STORE,
            old='        if not isinstance(item["unit_price"], str):\n',
            new='        if isinstance(item["unit_price"], float):\n',
        ),
    ),
    wrong(
        "accepts JSON true as a quantity (isinstance instead of type)",
        replace_text(
            STORE,
            old='type(item["quantity"]) is not int',
            new='not isinstance(item["quantity"], int)',
        ),
    ),
    wrong(
        "checks the id with SAFE_ID.match, so only its start must be safe",
        replace_text(
            STORE,
            old="if not SAFE_ID.fullmatch(session_id):",
            new="if not SAFE_ID.match(session_id):",
        ),
    ),
    wrong(
        "checks the id with a $ anchor, which lets a trailing newline through",
        replace_text(
            STORE,
            old="if not SAFE_ID.fullmatch(session_id):",
            new="if not re.match(SAFE_ID.pattern + '$', session_id):",
        ),
    ),
    wrong(
        "reads data['coupon'], so a file from an older run is refused",
        replace_text(
            STORE, old='coupon=data.get("coupon"),', new='coupon=data["coupon"],'
        ),
    ),
    wrong(
        "stamps saved_at with a naive datetime.now()",
        replace_text(
            STORE,
            old="    session.saved_at = utc_now()\n",
            new="    session.saved_at = datetime.now()\n",
        ),
    ),
    wrong(
        "never checks the format of the file",
        replace_text(
            STORE,
            old='data["format"] != FORMAT or data["session_id"] != session_id',
            new='data["session_id"] != session_id',
        ),
    ),
    wrong(
        "turns only bad JSON into CorruptFile, so a missing key leaks a KeyError",
        replace_text(
            STORE,
            old="""    try:
        return _session_from(data, session_id)
    except (KeyError, TypeError, ValueError) as error:
        raise CorruptFile(f"{path} is not a saved session: {error!r}") from None
""",
            new="""    return _session_from(data, session_id)
""",
        ),
    ),
    alternative(
        "everything inside resume_session, isinstance checks, other messages",
        replace_function(
            STORE,
            "session_path",
            """
            def session_path(folder: Path, session_id: str) -> Path:
                if re.fullmatch(SAFE_ID.pattern, session_id) is None:
                    raise ValueError(f"refusing unsafe name {session_id!r}")
                return Path(folder).joinpath(session_id + ".json")
            """,
        ),
        replace_function(
            STORE,
            "resume_session",
            """
            def resume_session(
                folder: Path, session_id: str, customer: str
            ) -> cart.CartSession:
                path = session_path(folder, session_id)
                if not path.exists():
                    return cart.CartSession(session_id, customer)
                problem = f"cannot resume from {path.name}"
                try:
                    data = json.loads(path.read_bytes())
                    if not isinstance(data, dict):
                        raise CorruptFile(problem)
                    if data.get("format") != FORMAT:
                        raise CorruptFile(problem)
                    if data.get("session_id") != session_id:
                        raise CorruptFile(problem)
                    if data.get("stage") not in cart.STAGES:
                        raise CorruptFile(problem)
                    lines = []
                    for item in data["lines"]:
                        quantity, price = item["quantity"], item["unit_price"]
                        if isinstance(quantity, bool) or not isinstance(quantity, int):
                            raise CorruptFile(problem)
                        if quantity <= 0 or not isinstance(price, str):
                            raise CorruptFile(problem)
                        lines.append(
                            cart.CartLine(
                                item["sku"], item["name"], parse_price(price), quantity
                            )
                        )
                    return cart.CartSession(
                        session_id,
                        data["customer"],
                        lines,
                        data["stage"],
                        data.get("coupon", None),
                        datetime.fromisoformat(data["started_at"]),
                        datetime.fromisoformat(data["saved_at"]),
                    )
                except (ValueError, KeyError, TypeError, AttributeError) as error:
                    raise CorruptFile(f"{problem}: {error}") from error
            """,
        ),
    ),
]
