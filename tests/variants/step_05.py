"""Variants of drill 05 (graphs as nodes and edges): proof that its tests grade fairly."""

from workshop.variants import alternative, replace_function, replace_text, wrong

GRAPH = "app/files/graph_json.py"

VARIANTS = [
    wrong(
        "builds a new object for every edge that names an id",
        replace_function(
            GRAPH,
            "_node",
            """
            def _node(
                by_id: dict[str, CategoryNode | ProductNode], node_id: str
            ) -> CategoryNode | ProductNode:
                import copy

                try:
                    return copy.copy(by_id[node_id])
                except KeyError:
                    raise CorruptFile(f"an edge points at {node_id!r}") from None
            """,
        ),
    ),
    wrong(
        "sets parent but forgets the parent's children",
        replace_text(GRAPH, old="        end.children.append(start)\n", new=""),
    ),
    wrong(
        "writes related edges sorted, not in the order of related",
        replace_text(
            GRAPH,
            old='        edges.extend(_edge("related", product, other) for other in product.related)\n',
            new=(
                "        edges.extend(\n"
                '            _edge("related", product, other)\n'
                "            for other in sorted(product.related, key=lambda p: p.sku)\n"
                "        )\n"
            ),
        ),
    ),
    wrong(
        "writes a shared category once per product that points at it",
        replace_text(
            GRAPH,
            old=(
                "        if product.category is not None:\n"
                '            edges.append(_edge("in", product, product.category))\n'
            ),
            new=(
                "        if product.category is not None:\n"
                '            edges.append(_edge("in", product, product.category))\n'
                "            nodes.append(\n"
                '                {"id": _id(product.category), "name": product.category.name}\n'
                "            )\n"
            ),
        ),
    ),
    wrong(
        "a repeated id silently replaces the first node",
        replace_text(
            GRAPH,
            old='            if node["id"] in by_id or kind not in ("category", "product"):\n',
            new='            if kind not in ("category", "product"):\n',
        ),
    ),
    wrong(
        "no check for a second parent",
        replace_text(
            GRAPH,
            old=(
                "        if start.parent is not None:\n"
                '            raise CorruptFile(f"category {start.slug!r} has two parents")\n'
            ),
            new="",
        ),
    ),
    wrong(
        "no check for a loop in the tree",
        replace_text(GRAPH, old="            _check_no_loop(item)\n", new=""),
    ),
    wrong(
        "no check for a second category",
        replace_text(
            GRAPH,
            old=(
                "        if start.category is not None:\n"
                '            raise CorruptFile(f"product {start.sku!r} is in two categories")\n'
            ),
            new="",
        ),
    ),
    wrong(
        "an edge of any other kind is taken as related",
        replace_text(
            GRAPH,
            old=(
                "    elif (\n"
                '        kind == "related"\n'
                "        and isinstance(start, ProductNode)\n"
                "        and isinstance(end, ProductNode)\n"
                "    ):\n"
            ),
            new="    elif isinstance(start, ProductNode) and isinstance(end, ProductNode):\n",
        ),
    ),
    wrong(
        "messages that do not name the node",
        replace_text(
            GRAPH,
            old='            raise CorruptFile(f"category {start.slug!r} has two parents")\n',
            new='            raise CorruptFile("a category has two parents")\n',
        ),
    ),
    alternative(
        "no helpers: kinds in a table, loops found by slug, other messages",
        replace_function(
            GRAPH,
            "graph_from_document",
            '''
            def graph_from_document(document: Any) -> CatalogGraph:
                """Rebuild the graph, one object per node id."""
                if not isinstance(document, dict):
                    raise CorruptFile("a catalog graph is a JSON object")
                if document.get("format") != FORMAT:
                    raise CorruptFile(f"format {document.get('format')!r} is not ours")
                graph = CatalogGraph()
                objects: dict[str, Any] = {}
                try:
                    for node in document["nodes"]:
                        node_id, name = node["id"], node["name"]
                        if node_id in objects:
                            raise CorruptFile(f"{node_id} appears twice")
                        if node_id.startswith("category:"):
                            objects[node_id] = CategoryNode(node_id[9:], name)
                        elif node_id.startswith("product:"):
                            objects[node_id] = ProductNode(node_id[8:], name)
                        else:
                            raise CorruptFile(f"what kind of node is {node_id}?")
                    fits = {
                        "parent": (CategoryNode, CategoryNode),
                        "in": (ProductNode, CategoryNode),
                        "related": (ProductNode, ProductNode),
                    }
                    for edge in document["edges"]:
                        kind, ends = edge["kind"], (edge["from"], edge["to"])
                        for end in ends:
                            if end not in objects:
                                raise CorruptFile(f"no node {end} for a {kind} edge")
                        start, stop = objects[ends[0]], objects[ends[1]]
                        wanted = fits.get(kind)
                        if wanted is None or not (
                            type(start) is wanted[0] and type(stop) is wanted[1]
                        ):
                            raise CorruptFile(f"bad {kind!r} edge {ends[0]} -> {ends[1]}")
                        if kind == "parent":
                            if start.parent is not None:
                                raise CorruptFile(f"{start.slug}: a second parent")
                            start.parent = stop
                            stop.children.append(start)
                        elif kind == "in":
                            if start.category is not None:
                                raise CorruptFile(f"{start.sku}: a second category")
                            start.category = stop
                        else:
                            start.related.append(stop)
                except (KeyError, TypeError, AttributeError) as error:
                    raise CorruptFile(f"broken node or edge ({error})") from error
                for item in objects.values():
                    if isinstance(item, CategoryNode):
                        slugs, up = {item.slug}, item.parent
                        while up is not None:
                            if up.slug in slugs:
                                raise CorruptFile(f"{item.slug} loops back to itself")
                            slugs.add(up.slug)
                            up = up.parent
                        graph.categories[item.slug] = item
                    else:
                        graph.products[item.sku] = item
                return graph
            ''',
        ),
        replace_function(
            GRAPH,
            "graph_to_document",
            '''
            def graph_to_document(graph: CatalogGraph) -> dict[str, Any]:
                """Nodes with ids and edges between ids."""
                categories = graph.categories.values()
                products = graph.products.values()
                nodes = [{"id": f"category:{c.slug}", "name": c.name} for c in categories]
                nodes += [{"id": f"product:{p.sku}", "name": p.name} for p in products]
                edges = [
                    {"kind": "parent", "from": f"category:{c.slug}", "to": f"category:{c.parent.slug}"}
                    for c in categories
                    if c.parent is not None
                ]
                for p in products:
                    if p.category is not None:
                        edges.append(
                            {"kind": "in", "from": f"product:{p.sku}", "to": f"category:{p.category.slug}"}
                        )
                    edges += [
                        {"kind": "related", "from": f"product:{p.sku}", "to": f"product:{r.sku}"}
                        for r in p.related
                    ]
                return {"format": FORMAT, "version": VERSION, "nodes": nodes, "edges": edges}
            ''',
        ),
    ),
]
