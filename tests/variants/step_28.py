"""Variants of drill 28 (typed models): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_text, wrong

MODELS = "app/orm/models.py"

VARIANTS = [
    wrong(
        "money as Mapped[float]",
        replace_text(
            MODELS, old="    price: Mapped[Money]\n", new="    price: Mapped[float]\n"
        ),
    ),
    wrong(
        "money as a plain Numeric(12, 2): SQLite gets a float and keeps a REAL",
        replace_text(
            MODELS,
            old="    price: Mapped[Money]\n",
            new="    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))\n",
        ),
    ),
    wrong(
        "an optional foreign key typed Mapped[int], so it becomes NOT NULL",
        replace_text(
            MODELS,
            old="    category_id: Mapped[int | None] = mapped_column(",
            new="    category_id: Mapped[int] = mapped_column(",
        ),
    ),
    wrong(
        "no ON DELETE SET NULL on the category",
        replace_text(
            MODELS,
            old='ForeignKey("categories.id", ondelete="SET NULL")',
            new='ForeignKey("categories.id")',
        ),
    ),
    wrong(
        "no CHECK constraint: a negative price is stored",
        replace_text(
            MODELS,
            old='    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)\n',
            new="",
        ),
    ),
    wrong(
        "created_at as a plain DateTime: naive times are stored, times come back naive",
        replace_text(
            MODELS,
            old="    created_at: Mapped[Timestamp]\n",
            new="    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))\n",
        ),
    ),
    wrong(
        "a SKU without a length or uniqueness",
        replace_text(
            MODELS,
            old="    sku: Mapped[str] = mapped_column(String(40), unique=True)\n",
            new="    sku: Mapped[str]\n",
        ),
    ),
    alternative(
        "explicit types and constraints in __table_args__ instead of unique=True",
        replace_text(
            MODELS,
            old="""    __table_args__ = (CheckConstraint("price >= 0", name="price_not_negative"),)

    sku: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price: Mapped[Money]
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("categories.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[Timestamp]
""",
            new="""    __table_args__ = (
        UniqueConstraint("sku"),
        CheckConstraint(text("price >= 0"), name="price_not_negative"),
    )

    sku: Mapped[str] = mapped_column(String(length=40), nullable=False)
    name: Mapped[str] = mapped_column(String(length=200), nullable=False)
    price: Mapped[Decimal] = mapped_column(ExactMoney(), nullable=False)
    category_id: Mapped[Optional[int]] = mapped_column(  # noqa: UP045
        ForeignKey(Category.id, ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
""",
        ),
        replace_text(
            MODELS,
            old="from typing import Annotated, Any, ClassVar\n",
            new="from typing import Annotated, Any, ClassVar, Optional\n\nfrom sqlalchemy import UniqueConstraint, text\n",
        ),
    ),
]
