# workshop: since 05
"""The catalog graph as JSON: a list of nodes and a list of edges between ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.errors import CorruptFile
from app.files.atomic import atomic_write_bytes
from app.files.json_store import read_json
from app.graph import CatalogGraph, CategoryNode, ProductNode

FORMAT = "persistence-drills/catalog-graph"
VERSION = 1


# >>> solution 05
def graph_to_document(graph: CatalogGraph) -> dict[str, Any]:
    """Nodes with ids ("category:tea", "product:TEA-1") and edges between ids:
    "parent" (category -> its parent), "in" (product -> its category) and
    "related" (product -> product, in the order of ``related``).

    Every object is written once, however many others point at it, so shared
    nodes and cycles need no special case.
    """
    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, str]] = []
    for category in graph.categories.values():
        nodes.append({"id": f"category:{category.slug}", "name": category.name})
        if category.parent is not None:
            edges.append(_edge("parent", category, category.parent))
    for product in graph.products.values():
        nodes.append({"id": f"product:{product.sku}", "name": product.name})
        if product.category is not None:
            edges.append(_edge("in", product, product.category))
        edges.extend(_edge("related", product, other) for other in product.related)
    return {"format": FORMAT, "version": VERSION, "nodes": nodes, "edges": edges}


def _edge(
    kind: str, start: CategoryNode | ProductNode, end: CategoryNode | ProductNode
) -> dict[str, str]:
    return {"kind": kind, "from": _id(start), "to": _id(end)}


def _id(node: CategoryNode | ProductNode) -> str:
    if isinstance(node, CategoryNode):
        return f"category:{node.slug}"
    return f"product:{node.sku}"


def graph_from_document(document: Any) -> CatalogGraph:
    """Rebuild the graph: one object per node id, so that every edge to the
    same id points at the very same object. CorruptFile for an unknown or
    repeated id, an edge of the wrong kind, or a category tree that is not a
    tree (two parents, or a loop)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CorruptFile(f"not a catalog graph (expected format {FORMAT!r})")
    graph = CatalogGraph()
    by_id: dict[str, CategoryNode | ProductNode] = {}
    try:
        for node in document["nodes"]:
            kind, _, key = node["id"].partition(":")
            if node["id"] in by_id or kind not in ("category", "product"):
                raise CorruptFile(f"node id {node['id']!r} is repeated or unknown")
            by_id[node["id"]] = (
                CategoryNode(key, node["name"])
                if kind == "category"
                else ProductNode(key, node["name"])
            )
        for edge in document["edges"]:
            _link(edge["kind"], _node(by_id, edge["from"]), _node(by_id, edge["to"]))
    except (KeyError, TypeError, AttributeError) as error:
        raise CorruptFile(f"a node or edge is malformed: {error!r}") from None
    for item in by_id.values():
        if isinstance(item, CategoryNode):
            _check_no_loop(item)
            graph.categories[item.slug] = item
        else:
            graph.products[item.sku] = item
    return graph


def _node(
    by_id: dict[str, CategoryNode | ProductNode], node_id: str
) -> CategoryNode | ProductNode:
    try:
        return by_id[node_id]
    except KeyError:
        raise CorruptFile(
            f"an edge points at {node_id!r}, which is not a node"
        ) from None


def _link(
    kind: str, start: CategoryNode | ProductNode, end: CategoryNode | ProductNode
) -> None:
    if (
        kind == "parent"
        and isinstance(start, CategoryNode)
        and isinstance(end, CategoryNode)
    ):
        if start.parent is not None:
            raise CorruptFile(f"category {start.slug!r} has two parents")
        start.parent = end
        end.children.append(start)
    elif (
        kind == "in"
        and isinstance(start, ProductNode)
        and isinstance(end, CategoryNode)
    ):
        if start.category is not None:
            raise CorruptFile(f"product {start.sku!r} is in two categories")
        start.category = end
    elif (
        kind == "related"
        and isinstance(start, ProductNode)
        and isinstance(end, ProductNode)
    ):
        start.related.append(end)
    else:
        raise CorruptFile(f"a {kind!r} edge cannot join {_id(start)} to {_id(end)}")


def _check_no_loop(category: CategoryNode) -> None:
    seen = {id(category)}
    parent = category.parent
    while parent is not None:
        if id(parent) in seen:
            raise CorruptFile(f"category {category.slug!r} is its own ancestor")
        seen.add(id(parent))
        parent = parent.parent


# <<<
def dumps_graph(graph: CatalogGraph) -> str:
    """The graph as a JSON document."""
    return json.dumps(graph_to_document(graph), indent=1, ensure_ascii=False) + "\n"


def loads_graph(text: str) -> CatalogGraph:
    """Parse a document written by dumps_graph(); CorruptFile if it is not one."""
    try:
        document = read_json(text)
    except ValueError as error:
        raise CorruptFile(f"not valid JSON: {error}") from None
    return graph_from_document(document)


def save_graph(graph: CatalogGraph, path: Path) -> None:
    """Write the graph to ``path`` as UTF-8 JSON, atomically."""
    atomic_write_bytes(Path(path), dumps_graph(graph).encode("utf-8"))


def load_graph(path: Path) -> CatalogGraph:
    """Read a graph written by save_graph(); CorruptFile naming the file if
    it is not one."""
    try:
        return loads_graph(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise CorruptFile(f"{path} is not UTF-8 text: {error}") from None
    except CorruptFile as error:
        raise CorruptFile(f"{path}: {error}") from None
