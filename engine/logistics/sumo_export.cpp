#include "engine/logistics/sumo_export.h"

#include <algorithm>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

#include "engine/core/error.h"

namespace parktwin::logistics {
namespace {

std::string nodeId(int node) { return fmt::format("n{}", node); }

std::ofstream openFile(const std::filesystem::path& file) {
    std::ofstream out(file);
    if (!out)
        throw Error(file.string() + ": cannot write");
    return out;
}

} // namespace

std::string sumoEdgeId(const RoadGraph& graph, int link) {
    const GraphLink& l = graph.links()[link];
    const RoadLine& r = graph.roads()[l.road];
    // Several links of one road are told apart by the vertex they start at.
    const Vec2 start = l.shape.front();
    size_t vertex = 0;
    while (vertex < r.line.size() &&
           (r.line[vertex].x != start.x || r.line[vertex].y != start.y))
        ++vertex;
    const Vec2 second = l.shape[1];
    const bool forward = vertex + 1 < r.line.size() && r.line[vertex + 1].x == second.x &&
                         r.line[vertex + 1].y == second.y;
    return fmt::format("{}{}#{}", forward ? "" : "-", r.id, vertex);
}

void writeSumoPlainNetwork(const RoadGraph& graph, const std::filesystem::path& dir,
                           const std::string& stem) {
    const auto nodeFile = dir / (stem + ".nod.xml");
    auto nodes = openFile(nodeFile);
    nodes << "<nodes>\n";
    for (size_t i = 0; i < graph.nodes().size(); ++i)
        nodes << fmt::format("  <node id=\"{}\" x=\"{:.3f}\" y=\"{:.3f}\" type=\"unregulated\"/>\n",
                             nodeId(static_cast<int>(i)), graph.nodes()[i].position.x,
                             graph.nodes()[i].position.y);
    nodes << "</nodes>\n";
    const auto edgeFile = dir / (stem + ".edg.xml");
    auto edges = openFile(edgeFile);
    edges << "<edges>\n";
    for (size_t li = 0; li < graph.links().size(); ++li) {
        const GraphLink& l = graph.links()[li];
        std::string shape;
        for (Vec2 p : l.shape)
            shape += fmt::format("{}{:.3f},{:.3f}", shape.empty() ? "" : " ", p.x, p.y);
        edges << fmt::format("  <edge id=\"{}\" from=\"{}\" to=\"{}\" numLanes=\"1\" "
                             "speed=\"{:.6f}\" shape=\"{}\"/>\n",
                             sumoEdgeId(graph, static_cast<int>(li)), nodeId(l.from),
                             nodeId(l.to), l.speed_ms, shape);
    }
    edges << "</edges>\n";
    nodes.flush();
    edges.flush();
    if (!nodes || !edges)
        throw Error(dir.string() + ": cannot write the SUMO network files");
}

void writeSumoRoutes(const Simulation& sim, const std::filesystem::path& file,
                     double maxSpeed_ms) {
    const RoadGraph& graph = sim.graph();
    const SimConfig& config = sim.config();
    std::vector<size_t> order(sim.trucks().size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return sim.trucks()[a].arrive_s < sim.trucks()[b].arrive_s;
    });

    auto out = openFile(file);
    out << fmt::format("<routes>\n  <vType id=\"hgv\" vClass=\"truck\" maxSpeed=\"{}\" "
                       "speedFactor=\"1\" speedDev=\"0\" sigma=\"0\"/>\n",
                       maxSpeed_ms);
    for (size_t i : order) {
        const TruckRecord& t = sim.trucks()[i];
        const auto in = graph.route(config.gates[t.gate].node, config.docks[t.dock].node);
        const GateSpec& exitGate = config.gates[t.gate];
        const auto outRoute =
            graph.route(config.docks[t.dock].node,
                        exitGate.exitNode < 0 ? exitGate.node : exitGate.exitNode);
        if (!in || !outRoute || in->links.empty())
            continue;
        std::string edges;
        for (const auto* r : {&*in, &*outRoute})
            for (int link : r->links) {
                if (!edges.empty())
                    edges += ' ';
                edges += sumoEdgeId(graph, link);
            }
        const int dockLink = in->links.back();
        out << fmt::format("  <vehicle id=\"truck{}\" type=\"hgv\" depart=\"{:.2f}\" "
                           "departSpeed=\"max\">\n    <route edges=\"{}\"/>\n"
                           "    <stop lane=\"{}_0\" duration=\"{:.2f}\" parking=\"true\"/>\n"
                           "  </vehicle>\n",
                           i, t.arrive_s, edges, sumoEdgeId(graph, dockLink), t.service_s);
    }
    out << "</routes>\n";
    out.flush();
    if (!out)
        throw Error(file.string() + ": write failed");
}

} // namespace parktwin::logistics
