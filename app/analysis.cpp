#include "app/analysis.h"

#include <cmath>
#include <fstream>
#include <map>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/core/thresholds.h"
#include "gis/contours.h"
#include "gis/geopackage_writer.h"
#include "gis/geotiff_writer.h"
#include "gis/spatial_ref.h"

namespace parktwin::app {
namespace {

namespace fs = std::filesystem;
using namespace scenario;

std::string lower(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "PM2.5" would put a dot in file and field names.
    for (char& c : s)
        if (c == '.')
            c = '_';
    return s;
}

std::string number(double v) { return std::isnan(v) ? "" : fmt::format("{:.6g}", v); }

ThresholdTable limitsFor(const Scenario& s) {
    const fs::path file = s.compliance.thresholds.empty()
                              ? fs::path(PARKTWIN_ASSETS_DIR) / "regulation" /
                                    "qcvn_thresholds.csv"
                              : s.compliance.thresholds;
    return readThresholds(file);
}

// Longitude/latitude of local points, for the CSV tables a spreadsheet user reads.
class LonLat {
public:
    explicit LonLat(const LocalFrame& frame)
        : frame_(frame),
          ct_(gis::makeTransform(gis::parseCrs(frame.crs, "park frame", "crs"), gis::wgs84(),
                                 "park frame")) {}
    Vec2 operator()(Vec2 local) const {
        const Vec2 p = frame_.toProjected(local);
        double x = p.x, y = p.y;
        if (!ct_->Transform(1, &x, &y))
            return {std::nan(""), std::nan("")};
        return {x, y};
    }

private:
    const LocalFrame& frame_;
    gis::TransformPtr ct_;
};

void writeComplianceCsv(const fs::path& file, const ComplianceResult& c, const ParkModel& park) {
    std::ofstream out(file);
    out << "pollutant,period,location_id,location_name,kind,component,averages,incomplete,"
           "highest_ugm3,highest_start_local,rank,ranked_ugm3,limit_ugm3,margin_ugm3,"
           "exceedances,limit_grade,easting_m,northing_m\n";
    for (const ComplianceRow& r : c.rows) {
        const bool placed = r.locationKind != "background";
        const Vec2 en = park.frame.toProjected(r.at);
        out << csvField(r.pollutant) << ',' << periodName(r.period) << ','
            << csvField(r.locationId) << ',' << csvField(r.locationName) << ','
            << csvField(r.locationKind) << ',' << componentName(r.component) << ','
            << r.stats.averages << ',' << r.stats.incomplete << ','
            << number(r.stats.highest) << ','
            << (std::isnan(r.stats.highest) ? "" : formatIsoTime(r.stats.highestStart,
                                                                 park.timeZone))
            << ',' << r.stats.rank << ',' << number(r.stats.ranked) << ','
            << (r.limit_ugm3 ? number(*r.limit_ugm3) : "") << ',' << number(r.margin_ugm3())
            << ',' << r.stats.exceedances << ',' << r.limitGrade << ','
            << (placed ? fmt::format("{:.1f}", en.x) : "") << ','
            << (placed ? fmt::format("{:.1f}", en.y) : "") << '\n';
    }
    if (!out)
        throw Error(file.string() + ": cannot write");
}

// Receptor value columns: "<pollutant>_<period>_<component>" (the ranked value) and the
// same with "_exceedances".
struct ReceptorTable {
    std::vector<std::string> fields;
    std::vector<gis::ReceptorRecord> records;
};

ReceptorTable receptorTable(const ComplianceResult& c, const std::vector<SensitiveSite>& sites) {
    ReceptorTable t;
    std::map<std::string, size_t> column;
    std::map<std::string, size_t> row;
    for (const SensitiveSite& s : sites) {
        row[s.id] = t.records.size();
        t.records.push_back({s.id, s.name, s.kind, s.layer, s.position, {}});
    }
    for (const ComplianceRow& r : c.rows) {
        auto it = row.find(r.locationId);
        if (it == row.end() || r.locationKind == "grid" || r.locationKind == "background")
            continue;
        const std::string base = lower(r.pollutant) + "_" + periodName(r.period) + "_" +
                                 componentName(r.component);
        for (const auto& [name, value] :
             {std::pair{base, r.stats.ranked},
              std::pair{base + "_exceedances", double(r.stats.exceedances)}}) {
            if (!column.count(name)) {
                column[name] = t.fields.size();
                t.fields.push_back(name);
            }
            auto& values = t.records[it->second].values;
            values.resize(t.fields.size(), std::nan(""));
            values[column[name]] = value;
        }
    }
    for (auto& rec : t.records)
        rec.values.resize(t.fields.size(), std::nan(""));
    return t;
}

void writeReceptorsCsv(const fs::path& file, const ReceptorTable& t, const ParkModel& park) {
    const LonLat lonLat(park.frame);
    std::ofstream out(file);
    out << "id,name,kind,layer,easting_m,northing_m,longitude,latitude";
    for (const std::string& f : t.fields)
        out << ',' << f;
    out << '\n';
    for (const gis::ReceptorRecord& r : t.records) {
        const Vec2 en = park.frame.toProjected(r.position);
        const Vec2 ll = lonLat(r.position);
        out << csvField(r.id) << ',' << csvField(r.name) << ',' << csvField(r.kind) << ','
            << csvField(r.layer) << ',' << fmt::format("{:.1f},{:.1f},{:.6f},{:.6f}", en.x,
                                                       en.y, ll.x, ll.y);
        for (double v : r.values)
            out << ',' << number(v);
        out << '\n';
    }
    if (!out)
        throw Error(file.string() + ": cannot write");
}

} // namespace

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string q = "\"";
    for (char c : text)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::vector<std::vector<std::string>> readCsv(const fs::path& file) {
    std::ifstream in(file);
    if (!in)
        throw InputError(file.string(), "", "cannot open the table");
    std::vector<std::vector<std::string>> rows;
    std::string line;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::vector<std::string> fields(1);
        bool quoted = false;
        for (size_t k = 0; k < line.size(); ++k) {
            const char c = line[k];
            if (quoted) {
                if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
                    fields.back() += '"';
                    ++k;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    fields.back() += c;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.emplace_back();
            } else {
                fields.back() += c;
            }
        }
        if (quoted)
            throw InputError(file.string(), "line " + std::to_string(lineNo),
                             "a quoted field is not closed");
        if (!rows.empty() && fields.size() != rows.front().size())
            throw InputError(file.string(), "line " + std::to_string(lineNo),
                             fmt::format("expected {} fields, found {}", rows.front().size(),
                                         fields.size()));
        rows.push_back(std::move(fields));
    }
    if (rows.empty())
        throw InputError(file.string(), "line 1", "the table is empty");
    return rows;
}

std::string gridName(const std::string& pollutant, const PeriodGrid& grid) {
    return lower(pollutant) + "_" + periodName(grid.period) + "_" + componentName(grid.component);
}

RunAnalysis analyseRun(const Scenario& s, const ParkModel& park, const RunResult& result,
                       const fs::path& folder) {
    RunAnalysis a;
    a.name = s.name;
    a.title = s.title;
    a.folder = folder;
    a.sites = result.sites;
    a.background = loadBackground(s);

    const ThresholdTable limits = limitsFor(s);
    ComplianceInput in;
    in.pollutant = s.compliancePollutant();
    in.start = s.start;
    in.hours = s.hourCount();
    in.zone = park.timeZone;
    in.gridHourly = &result.hourly;
    in.sites = result.sites;
    in.siteHourly = &result.siteHourly;
    in.background = a.background.hourly_ugm3;
    in.hourlyScale = s.no2.active() ? s.no2.hourlyRatio : 1.0;
    in.annualScale = s.no2.active() ? s.no2.annualRatio : 1.0;
    in.spec = s.compliance;
    in.limits = &limits;
    a.compliance = evaluateCompliance(in);
    if (s.no2.active())
        a.compliance.notes.push_back(fmt::format(
            "NO2 from modelled NOx by EPA's {} method: {:g} of 1-hour NOx, {:g} of the annual "
            "mean; the background is NO2",
            s.no2.method == "arm" ? "Tier 2 ambient ratio" : "Tier 1 full conversion",
            s.no2.hourlyRatio, s.no2.annualRatio));
    for (const std::string& note : a.compliance.notes)
        log::get("run").info("{}: {}", s.name, note);

    writeComplianceCsv(folder / "compliance.csv", a.compliance, park);
    const ReceptorTable receptors = receptorTable(a.compliance, result.sites);
    writeReceptorsCsv(folder / "receptors.csv", receptors, park);

    fs::create_directories(folder / "averages");
    gis::GeoPackageContent gpkg;
    gpkg.park = &park;
    gpkg.valueFields = receptors.fields;
    gpkg.receptors = receptors.records;
    for (const PeriodGrid& g : a.compliance.grids) {
        const std::string name = gridName(a.compliance.pollutant, g);
        gis::GeoTiffInfo info;
        info.units = "ug/m3";
        info.description = g.period == Period::Year
                               ? fmt::format("{} {} mean of the run, {}", a.compliance.pollutant,
                                             componentName(g.component),
                                             g.complete ? "complete" : "incomplete year")
                               : fmt::format("{} {} average, {} value of rank {}",
                                             a.compliance.pollutant, periodName(g.period),
                                             componentName(g.component), g.rank);
        info.metadata = {{"POLLUTANT", a.compliance.pollutant},
                         {"AVERAGING_PERIOD", periodName(g.period)},
                         {"COMPONENT", componentName(g.component)},
                         {"RANK", std::to_string(g.rank)},
                         {"SCENARIO", s.name},
                         {"PERIOD_START_UTC", formatIsoTime(s.start, UtcOffset{0})},
                         {"PERIOD_END_UTC", formatIsoTime(s.end, UtcOffset{0})}};
        if (g.period == Period::Year)
            info.metadata.push_back({"COMPLETE_YEAR", g.complete ? "yes" : "no"});
        gis::writeGeoTiff(folder / "averages" / (name + ".tif"), g.values, park.frame, info);

        std::vector<double> levels = s.outputs.contourLevels_ugm3;
        std::optional<double> limit;
        if (auto t = limits.ambient(a.compliance.pollutant, periodName(g.period))) {
            limit = t->limit;
            levels.push_back(t->limit);
        }
        for (gis::ContourLine& line : gis::contourLines(g.values, park.frame, levels))
            gpkg.contours.push_back({name, periodName(g.period), componentName(g.component),
                                     limit && line.level == *limit, std::move(line)});
        gpkg.rasters.emplace_back(name, g.values);
    }
    if (s.outputs.geopackage)
        gis::writeGeoPackage(folder / "results.gpkg", gpkg, park.frame);
    log::get("run").info("{}: compliance table, receptors and {} period grids written to {}",
                         s.name, a.compliance.grids.size(), folder.string());
    return a;
}

} // namespace parktwin::app
