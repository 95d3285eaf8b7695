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
    wrong(
        "json.dumps(asdict(session), default=str): times with a space, format follows the class",
        replace_function(
            STORE,
            "save_session",
            """
            def save_session(session: cart.CartSession, folder: Path) -> Path:
                from dataclasses import asdict

                path = session_path(folder, session.session_id)
                session.saved_at = utc_now()
                document = {"format": FORMAT, "version": VERSION, **asdict(session)}
                text = json.dumps(document, indent=2, default=str) + "\\n"
                atomic_write_bytes(path, text.encode("utf-8"))
                return path
            """,
        ),
    ),
    wrong(
        "asdict() with ISO times: the file format still follows the class",
        replace_function(
            STORE,
            "save_session",
            """
            def save_session(session: cart.CartSession, folder: Path) -> Path:
                from dataclasses import asdict

                def plain(value):
                    if isinstance(value, datetime):
                        return value.isoformat()
                    return str(value)

                path = session_path(folder, session.session_id)
                session.saved_at = utc_now()
                document = {"format": FORMAT, "version": VERSION, **asdict(session)}
                text = json.dumps(document, indent=2, default=plain) + "\\n"
                atomic_write_bytes(path, text.encode("utf-8"))
                return path
            """,
        ),
    ),
    wrong(
        "writes the file in place with path.write_text(), not atomically",
        replace_text(
            STORE,
            old='    atomic_write_bytes(path, text.encode("utf-8"))\n',
            new='    path.write_text(text, encoding="utf-8")\n',
        ),
    ),
    wrong(
        "leaves the version out of the file",
        replace_text(STORE, old='        "version": VERSION,\n', new=""),
    ),
    wrong(
        "writes the version as the string '1'",
        replace_text(
            STORE,
            old='        "version": VERSION,\n',
            new='        "version": str(VERSION),\n',
        ),
    ),
    wrong(
        "stamps saved_at in the machine's local time zone (aware, not UTC)",
        replace_text(
            STORE,
            old="    session.saved_at = utc_now()\n",
            new="    session.saved_at = datetime.now().astimezone()\n",
        ),
    ),
    wrong(
        "checks money by hand: Decimal(price), InvalidOperation turned into ValueError",
        replace_text(
            STORE,
            old='        price = parse_price(item["unit_price"])\n',
            new="""\
        from decimal import Decimal, InvalidOperation

        try:
            price = Decimal(item["unit_price"])
        except InvalidOperation:
            raise ValueError(f"bad price {item['unit_price']!r}") from None
""",
        ),
    ),
    wrong(
        "checks money by hand but lets Decimal's InvalidOperation escape the catch",
        replace_text(
            STORE,
            old='        price = parse_price(item["unit_price"])\n',
            new="""\
        from decimal import Decimal

        price = Decimal(item["unit_price"])
        if not price.is_finite() or price < 0 or price != price.quantize(Decimal("0.01")):
            raise ValueError(f"bad price {item['unit_price']!r}")
""",
        ),
    ),
    wrong(
        "rounds the price to cents (3.205 becomes 3.20) instead of refusing it",
        replace_text(
            STORE,
            old='        price = parse_price(item["unit_price"])\n',
            new="""\
        from decimal import Decimal, InvalidOperation

        try:
            rounded = Decimal(item["unit_price"]).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError(f"bad price {item['unit_price']!r}") from None
        price = parse_price(str(rounded))
""",
        ),
    ),
    wrong(
        "catches only JSONDecodeError, so a file that is not UTF-8 leaks UnicodeDecodeError",
        replace_text(
            STORE,
            old="except ValueError as error:  # UnicodeDecodeError is one too",
            new="except json.JSONDecodeError as error:",
        ),
    ),
    wrong(
        "a hand-typed stage list without 'done'",
        replace_text(
            STORE,
            old='if data["stage"] not in cart.STAGES:',
            new='if data["stage"] not in ("browsing", "address", "payment"):',
        ),
    ),
    wrong(
        "the customer argument overrides the one saved in the file",
        replace_text(
            STORE,
            old="        return _session_from(data, session_id)\n",
            new="""\
        session = _session_from(data, session_id)
        session.customer = customer
        return session
""",
        ),
    ),
    alternative(
        "own temporary file and Path.replace, dict(), format(), now().astimezone(UTC)",
        replace_function(
            STORE,
            "save_session",
            """
            def save_session(session: cart.CartSession, folder: Path) -> Path:
                import os
                import tempfile
                from datetime import timezone

                path = session_path(folder, session.session_id)
                session.saved_at = datetime.now().astimezone(timezone.utc)
                lines = [
                    dict(
                        sku=line.sku,
                        name=line.name,
                        unit_price=f"{line.unit_price:.2f}",
                        quantity=line.quantity,
                    )
                    for line in session.lines
                ]
                document = dict(
                    format=FORMAT,
                    version=VERSION,
                    session_id=session.session_id,
                    customer=session.customer,
                    stage=session.stage,
                    coupon=session.coupon,
                    started_at=session.started_at.isoformat(),
                    saved_at=session.saved_at.isoformat(),
                    lines=lines,
                )
                handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
                try:
                    with os.fdopen(handle, "w", encoding="utf-8") as file:
                        json.dump(document, file)
                        file.flush()
                        os.fsync(file.fileno())
                    Path(temporary).replace(path)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)
                    raise
                return path
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
