"""Step 05: a category tree and a related-products graph, to JSON and back."""

import json

import pytest

from app.errors import CorruptFile
from app.files.graph_json import (
    FORMAT,
    dumps_graph,
    graph_from_document,
    graph_to_document,
    load_graph,
    loads_graph,
    save_graph,
)
from app.graph import CatalogGraph


def shop():
    graph = CatalogGraph()
    graph.add_category("drinks", "Drinks")
    graph.add_category("tea", "Tea", parent="drinks")
    graph.add_category("coffee", "Coffee", parent="drinks")
    graph.add_category("green", "Green tea", parent="tea")
    graph.add_category("gifts", "Gifts")
    graph.add_product("TEA-1", "Sencha", "green")
    graph.add_product("TEA-2", "Matcha", "green")
    graph.add_product("COF-1", "Espresso", "coffee")
    graph.add_product("MUG-1", "Big mug", None)
    graph.relate("TEA-1", "TEA-2")
    graph.relate("TEA-2", "TEA-1")  # a two-node cycle
    graph.relate("TEA-1", "MUG-1")
    graph.relate("MUG-1", "COF-1")
    graph.relate("COF-1", "MUG-1")
    graph.relate("COF-1", "COF-1")  # a product may even recommend itself
    return graph


def test_the_rebuilt_graph_has_the_same_nodes_and_edges():
    original = shop()
    again = loads_graph(dumps_graph(original))
    assert again == original
    assert again.shape()["products"]["TEA-1"] == ("Sencha", "green", ["TEA-2", "MUG-1"])
    assert again.shape()["categories"]["drinks"] == ("Drinks", None, ["tea", "coffee"])


def test_shared_nodes_are_one_object_not_copies():
    again = loads_graph(dumps_graph(shop()))
    tea1, tea2 = again.products["TEA-1"], again.products["TEA-2"]
    assert tea1.category is tea2.category is again.categories["green"]
    assert again.categories["green"].parent is again.categories["tea"]
    assert again.categories["tea"].children[0] is again.categories["green"]
    assert tea1.related[1] is again.products["MUG-1"]


def test_cycles_come_back_as_cycles():
    again = loads_graph(dumps_graph(shop()))
    tea1 = again.products["TEA-1"]
    assert tea1.related[0].related[0] is tea1
    coffee = again.products["COF-1"]
    assert coffee.related[1] is coffee


def test_each_object_appears_once_in_the_document():
    document = graph_to_document(shop())
    ids = [node["id"] for node in document["nodes"]]
    assert len(ids) == len(set(ids)) == 9
    assert {"kind": "related", "from": "product:TEA-2", "to": "product:TEA-1"} in (
        document["edges"]
    )
    json.dumps(document)  # plain data only: no objects, no cycles


def test_a_graph_survives_a_file(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(shop(), path)
    assert load_graph(path) == shop()


def test_an_empty_graph_round_trips():
    assert loads_graph(dumps_graph(CatalogGraph())) == CatalogGraph()


def edge(kind, start, end):
    return {"kind": kind, "from": start, "to": end}


@pytest.mark.parametrize(
    ("extra_nodes", "extra_edges", "named"),
    [
        ([], [edge("related", "product:TEA-1", "product:NOPE")], "NOPE"),
        ([], [edge("in", "product:GHOST-1", "category:tea")], "GHOST-1"),
        ([{"id": "product:TEA-1", "name": "Twin"}], [], "TEA-1"),
        ([{"id": "category:gifts", "name": "Twin"}], [], "gifts"),
        ([], [edge("parent", "category:coffee", "category:gifts")], "coffee"),
        ([], [edge("in", "product:COF-1", "category:gifts")], "COF-1"),
        ([], [edge("parent", "category:drinks", "category:green")], None),
        ([], [edge("parent", "category:gifts", "category:gifts")], None),
        ([], [edge("in", "category:tea", "product:TEA-1")], None),
        ([], [edge("parent", "product:TEA-1", "category:tea")], None),
        ([], [edge("related", "product:TEA-1", "category:tea")], None),
        ([], [edge("likes", "product:TEA-1", "product:TEA-2")], None),
        ([{"id": "shelf:1", "name": "Top shelf"}], [], None),
        ([{"name": "no id"}], [], None),
        ([{"id": "category:x"}], [], None),
        (["category:x"], [], None),
        ([{"id": 7, "name": "seven"}], [], None),
        ([], [{"kind": "related", "from": "product:TEA-1"}], None),
        ([], ["related TEA-1 TEA-2"], None),
    ],
)
def test_a_broken_graph_document_is_a_clear_error(extra_nodes, extra_edges, named):
    document = graph_to_document(shop())
    document["nodes"] += extra_nodes
    document["edges"] += extra_edges
    with pytest.raises(CorruptFile) as error:
        graph_from_document(document)
    if named is not None:
        assert named in str(error.value), "the message names the node at fault"


@pytest.mark.parametrize(
    "document",
    [
        {"format": "acme/graph", "nodes": [], "edges": []},
        {"nodes": [], "edges": []},
        [],
        {"format": FORMAT, "nodes": 5, "edges": []},
        {"format": FORMAT, "nodes": []},
    ],
)
def test_anything_but_a_catalog_graph_is_refused(document):
    with pytest.raises(CorruptFile):
        graph_from_document(document)


def test_someone_elses_json_is_refused():
    with pytest.raises(CorruptFile):
        loads_graph('{"format": "acme/graph", "nodes": [], "edges": []}')
