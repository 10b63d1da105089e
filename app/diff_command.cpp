// parktwin diff RESULTS_A RESULTS_B: what changed from one run to another.

#include "app/commands.h"
#include "app/diff.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include <spdlog/fmt/fmt.h>

#include "app/analysis.h"
#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::app {
namespace {

namespace fs = std::filesystem;
using Table = std::vector<std::vector<std::string>>;

size_t column(const Table& t, const std::string& name, const fs::path& file) {
    for (size_t k = 0; k < t.front().size(); ++k)
        if (t.front()[k] == name)
            return k;
    throw InputError(file.string(), "line 1", "no column \"" + name + "\"");
}

double value(const std::string& text) { return text.empty() ? std::nan("") : std::stod(text); }

fs::path requireFile(const fs::path& folder, const std::string& name) {
    const fs::path file = folder / name;
    if (!fs::exists(file))
        throw InputError(folder.string(), "",
                         "not a ParkTwin run folder: " + name + " is missing (write it with "
                         "parktwin run)");
    return file;
}

std::vector<ValueChange> receptorChanges(const fs::path& a, const fs::path& b) {
    const fs::path fa = requireFile(a, "receptors.csv"), fb = requireFile(b, "receptors.csv");
    const Table ta = readCsv(fa), tb = readCsv(fb);
    constexpr size_t kFirstValue = 8; // id,name,kind,layer,easting,northing,lon,lat
    std::map<std::string, size_t> rowB;
    for (size_t r = 1; r < tb.size(); ++r)
        rowB[tb[r][0]] = r;
    std::vector<ValueChange> out;
    for (size_t c = kFirstValue; c < ta.front().size(); ++c) {
        const std::string& quantity = ta.front()[c];
        const std::set<std::string> headerB(tb.front().begin(), tb.front().end());
        if (!headerB.count(quantity))
            continue;
        const size_t cb = column(tb, quantity, fb);
        for (size_t r = 1; r < ta.size(); ++r) {
            auto it = rowB.find(ta[r][0]);
            if (it == rowB.end())
                continue;
            out.push_back({ta[r][0], ta[r][1], ta[r][2], quantity, value(ta[r][c]),
                           value(tb[it->second][cb])});
        }
    }
    return out;
}

std::vector<ValueChange> maximaChanges(const fs::path& a, const fs::path& b) {
    const fs::path fa = requireFile(a, "compliance.csv"), fb = requireFile(b, "compliance.csv");
    auto gridRows = [](const Table& t, const fs::path& file) {
        const size_t loc = column(t, "location_id", file), per = column(t, "period", file),
                     comp = column(t, "component", file), pol = column(t, "pollutant", file),
                     ranked = column(t, "ranked_ugm3", file);
        std::map<std::string, double> m;
        for (size_t r = 1; r < t.size(); ++r)
            if (t[r][loc] == "grid")
                m[t[r][pol] + " " + t[r][per] + " " + t[r][comp]] = value(t[r][ranked]);
        return m;
    };
    const auto ma = gridRows(readCsv(fa), fa), mb = gridRows(readCsv(fb), fb);
    std::vector<ValueChange> out;
    for (const auto& [quantity, va] : ma)
        if (auto it = mb.find(quantity); it != mb.end())
            out.push_back({"grid", "park-wide maximum", "grid", quantity, va, it->second});
    return out;
}

void writeChanges(const fs::path& file, const std::vector<ValueChange>& changes) {
    std::ofstream out(file);
    out << "location_id,location_name,kind,quantity,a_ugm3,b_ugm3,change_ugm3\n";
    auto num = [](double v) { return std::isnan(v) ? std::string() : fmt::format("{:.6g}", v); };
    for (const ValueChange& c : changes)
        out << csvField(c.locationId) << ',' << csvField(c.locationName) << ','
            << csvField(c.kind) << ',' << csvField(c.quantity) << ',' << num(c.a) << ','
            << num(c.b) << ',' << num(c.change()) << '\n';
    if (!out)
        throw Error(file.string() + ": cannot write");
}

} // namespace

RunDiff diffRuns(const fs::path& a, const fs::path& b, const fs::path& out) {
    for (const fs::path& folder : {a, b})
        if (!fs::is_directory(folder))
            throw InputError(folder.string(), "", "no such run folder");
    RunDiff d{a, b, out, {}, {}, {}};
    std::error_code ec;
    fs::create_directories(out / "averages", ec);
    if (ec)
        throw Error(out.string() + ": cannot create the folder: " + ec.message());

    std::vector<std::string> files;
    for (const char* f : {"period_max.tif", "period_mean.tif"})
        if (fs::exists(a / f) && fs::exists(b / f))
            files.push_back(f);
    if (fs::is_directory(a / "averages"))
        for (const auto& entry : fs::directory_iterator(a / "averages"))
            if (entry.path().extension() == ".tif" &&
                fs::exists(b / "averages" / entry.path().filename()))
                files.push_back("averages/" + entry.path().filename().string());
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw InputError(b.string(), "", "no GeoTIFF in common with " + a.string());
    for (const std::string& f : files)
        d.rasters.push_back({f, gis::writeRasterDifference(a / f, b / f, out / f)});

    d.receptors = receptorChanges(a, b);
    d.maxima = maximaChanges(a, b);
    writeChanges(out / "diff_receptors.csv", d.receptors);
    writeChanges(out / "diff_maxima.csv", d.maxima);
    log::get("diff").info("{} difference rasters, {} receptor values and {} maxima compared; "
                          "written to {}",
                          d.rasters.size(), d.receptors.size(), d.maxima.size(), out.string());
    return d;
}

int diffCommand(const DiffArgs& args) {
    const fs::path out = args.out.empty() ? args.b / "diff" : args.out;
    const RunDiff d = diffRuns(args.a, args.b, out);
    std::printf("Difference %s minus %s (ug/m3), written to %s\n", args.b.c_str(),
                args.a.c_str(), out.c_str());
    for (const RasterChange& r : d.rasters)
        std::printf("  %-36s max A %10.3f  max B %10.3f  change %+.3f to %+.3f\n",
                    r.file.c_str(), r.stats.maxA, r.stats.maxB, r.stats.minChange,
                    r.stats.maxChange);
    std::printf("Park-wide maxima (regulation's ranked value):\n");
    for (const ValueChange& c : d.maxima)
        std::printf("  %-24s %10.3f -> %10.3f  (%+.3f)\n", c.quantity.c_str(), c.a, c.b,
                    c.change());
    double largest = 0;
    const ValueChange* where = nullptr;
    for (const ValueChange& c : d.receptors)
        if (!std::isnan(c.change()) && std::abs(c.change()) > std::abs(largest)) {
            largest = c.change();
            where = &c;
        }
    if (where)
        std::printf("Largest change at a sensitive receptor: %s (%s), %s %+.3f ug/m3\n",
                    where->locationName.c_str(), where->kind.c_str(), where->quantity.c_str(),
                    largest);
    else
        std::printf("No change at the %zu sensitive receptor values compared\n",
                    d.receptors.size());
    return 0;
}

} // namespace parktwin::app
