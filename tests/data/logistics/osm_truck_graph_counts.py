#!/usr/bin/env python3
"""Counts the truck road graph of an OSM XML file straight from its node ids, without GDAL.

An independent check of the graph ParkTwin builds from GDAL's OSM layers: a graph node is an
OSM node that ends a drivable way, is used more than once by drivable ways, or carries a
barrier or motorway_junction tag; each stretch of a way between graph nodes gives one link per
allowed direction. Usage: osm_truck_graph_counts.py FILE.osm
"""
import sys
import xml.etree.ElementTree as ET

DRIVABLE = {"motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link",
            "secondary", "secondary_link", "tertiary", "tertiary_link", "unclassified",
            "residential", "living_street", "service", "road"}
ACCESS_KEYS = ["hgv", "goods", "motor_vehicle", "vehicle", "access"]


def access(tags):
    for key in ACCESS_KEYS:
        if tags.get(key):
            return tags[key]
    return "yes"


def main(path):
    nodes, ways = {}, []
    for _, el in ET.iterparse(path):
        if el.tag == "node":
            nodes[el.get("id")] = {t.get("k"): t.get("v") for t in el.findall("tag")}
        elif el.tag == "way":
            tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
            ways.append(([nd.get("ref") for nd in el.findall("nd")], tags))
            el.clear()
    drivable = [(refs, t) for refs, t in ways
                if t.get("highway") in DRIVABLE and len(refs) >= 2
                and t.get("area") != "yes"
                and access(t) not in ("no", "agricultural", "forestry", "emergency")]
    uses = {}
    for refs, _ in drivable:
        for r in refs:
            uses[r] = uses.get(r, 0) + 1
    def special(r):
        t = nodes.get(r, {})
        return "barrier" in t or t.get("highway") == "motorway_junction"
    graph_nodes, links, oneway_links = set(), 0, 0
    for refs, t in drivable:
        is_node = [i in (0, len(refs) - 1) or uses[r] > 1 or special(r)
                   for i, r in enumerate(refs)]
        graph_nodes.update(r for r, n in zip(refs, is_node) if n)
        oneway = t.get("oneway") in ("yes", "true", "1", "-1", "reverse") or (
            t.get("junction") == "roundabout" and t.get("oneway") not in ("no",))
        segments = sum(is_node[1:])
        links += segments * (1 if oneway else 2)
        oneway_links += segments if oneway else 0
    print(f"drivable ways {len(drivable)}, graph nodes {len(graph_nodes)}, links {links}, "
          f"one-way links {oneway_links}")


main(sys.argv[1])
