# workshop: since 05
"""The catalog as a graph: a category tree, and products that point at each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class CategoryNode:
    """A node of the category tree; ``parent`` and ``children`` link both ways."""

    slug: str
    name: str
    parent: CategoryNode | None = field(default=None, repr=False)
    children: list[CategoryNode] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class ProductNode:
    """A product in the graph: its category, and the products it recommends
    ("related" edges go one way; two products recommending each other are a cycle)."""

    sku: str
    name: str
    category: CategoryNode | None = field(default=None, repr=False)
    related: list[ProductNode] = field(default_factory=list, repr=False)


@dataclass(eq=False)
class CatalogGraph:
    """Every category and product node, by slug and by SKU. Two graphs are equal
    when they have the same nodes joined by the same edges, in the same order."""

    categories: dict[str, CategoryNode] = field(default_factory=dict)
    products: dict[str, ProductNode] = field(default_factory=dict)

    def add_category(
        self, slug: str, name: str, parent: str | None = None
    ) -> CategoryNode:
        if slug in self.categories:
            raise ValueError(f"category {slug!r} exists already")
        category = CategoryNode(slug, name)
        if parent is not None:
            category.parent = self.categories[parent]
            category.parent.children.append(category)
        self.categories[slug] = category
        return category

    def add_product(
        self, sku: str, name: str, category: str | None = None
    ) -> ProductNode:
        if sku in self.products:
            raise ValueError(f"product {sku!r} exists already")
        node = ProductNode(sku, name, self.categories[category] if category else None)
        self.products[sku] = node
        return node

    def relate(self, sku: str, other: str) -> None:
        """Record that ``sku`` recommends ``other``."""
        self.products[sku].related.append(self.products[other])

    def shape(self) -> dict[str, Any]:
        """The graph as plain values (slugs and SKUs instead of objects)."""
        return {
            "categories": {
                c.slug: (
                    c.name,
                    c.parent.slug if c.parent else None,
                    [k.slug for k in c.children],
                )
                for c in self.categories.values()
            },
            "products": {
                p.sku: (
                    p.name,
                    p.category.slug if p.category else None,
                    [r.sku for r in p.related],
                )
                for p in self.products.values()
            },
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CatalogGraph):
            return NotImplemented
        return self.shape() == other.shape()
