#include "app/report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"

namespace parktwin::app {
namespace {

namespace fs = std::filesystem;
using namespace scenario;

std::string esc(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string num(double v, int decimals = 1) {
    return std::isnan(v) ? "&ndash;" : fmt::format("{:.{}f}", v, decimals);
}

std::string signedNum(double v) {
    return std::isnan(v) ? "&ndash;" : fmt::format("{:+.2f}", v);
}

// Speed classes of the rose, m/s (lower bounds), and their colours (light to dark).
constexpr std::array<double, 4> kSpeedFrom = {0.0, 2.0, 4.0, 6.0};
constexpr std::array<const char*, 4> kSpeedColour = {"#c6dbef", "#6baed6", "#2171b5",
                                                     "#08306b"};

int speedClass(double v) {
    int k = 0;
    while (k + 1 < int(kSpeedFrom.size()) && v >= kSpeedFrom[k + 1])
        ++k;
    return k;
}

// Point at `radius` along compass bearing `deg` (0 = north, clockwise) from the centre.
std::pair<double, double> polar(double cx, double cy, double radius, double deg) {
    const double a = deg * M_PI / 180.0;
    return {cx + radius * std::sin(a), cy - radius * std::cos(a)};
}

const ComplianceRow* findRow(const ComplianceResult& c, const std::string& id, Period p,
                             Component comp) {
    for (const ComplianceRow& r : c.rows)
        if (r.locationId == id && r.period == p && r.component == comp)
            return &r;
    return nullptr;
}

void complianceTables(std::ostringstream& h, const RunAnalysis& run) {
    const ComplianceResult& c = run.compliance;
    const bool background = !run.background.hourly_ugm3.empty();
    const Component judged = background ? Component::Total : Component::Modelled;
    for (Period p : kPeriods) {
        const ComplianceRow* grid = findRow(c, "grid", p, judged);
        if (!grid)
            continue;
        h << "<h4>" << esc(c.pollutant) << ", " << periodName(p) << " average: limit "
          << num(*grid->limit_ugm3, 0) << " µg/m³ (QCVN 05:2023, grade "
          << esc(grid->limitGrade) << ")";
        if (p != Period::Year)
            h << ", value compared: rank " << grid->stats.rank << " (1 = highest)";
        h << "</h4>\n<table><tr><th>location</th><th>kind</th><th>modelled</th>";
        if (background)
            h << "<th>background</th><th>total</th>";
        h << "<th>highest total</th><th>margin</th><th>exceedances</th><th>averages "
             "(incomplete)</th></tr>\n";
        const ComplianceRow* bg = findRow(c, "background", p, Component::Background);
        std::vector<std::pair<std::string, std::string>> locations = {{"grid", "park-wide "
                                                                                "maximum"}};
        std::vector<const SensitiveSite*> sites;
        for (const SensitiveSite& s : run.sites)
            sites.push_back(&s);
        // Least margin first: the places that matter most come to the top.
        auto margin = [&](const std::string& id) {
            const ComplianceRow* r = findRow(c, id, p, judged);
            return r && !std::isnan(r->margin_ugm3()) ? r->margin_ugm3() : 1e300;
        };
        std::stable_sort(sites.begin(), sites.end(), [&](auto* x, auto* y) {
            return margin(x->id) < margin(y->id);
        });
        for (const SensitiveSite* s : sites)
            locations.emplace_back(s->id, s->name.empty() ? s->id : s->name);
        for (const auto& [id, name] : locations) {
            const ComplianceRow* m = findRow(c, id, p, Component::Modelled);
            const ComplianceRow* j = findRow(c, id, p, judged);
            if (!m || !j)
                continue;
            const double mg = j->margin_ugm3();
            h << "<tr" << (mg < 0 ? " class=\"over\"" : "") << "><td>" << esc(name)
              << "</td><td>" << esc(j->locationKind) << "</td><td>" << num(m->stats.ranked)
              << "</td>";
            if (background)
                h << "<td>" << num(bg ? bg->stats.ranked : std::nan("")) << "</td><td>"
                  << num(j->stats.ranked) << "</td>";
            h << "<td>" << num(j->stats.highest) << "</td><td>" << num(mg) << "</td><td>"
              << j->stats.exceedances << "</td><td>" << j->stats.averages << " ("
              << j->stats.incomplete << ")</td></tr>\n";
        }
        h << "</table>\n";
    }
    if (!c.notes.empty()) {
        h << "<ul class=\"notes\">";
        for (const std::string& n : c.notes)
            h << "<li>" << esc(n) << "</li>";
        h << "</ul>\n";
    }
}

void diffTables(std::ostringstream& h, const RunDiff& d) {
    h << "<table><tr><th>park-wide maximum</th><th>baseline</th><th>variant</th>"
         "<th>change</th></tr>\n";
    for (const ValueChange& c : d.maxima)
        h << "<tr><td>" << esc(c.quantity) << "</td><td>" << num(c.a, 2) << "</td><td>"
          << num(c.b, 2) << "</td><td>" << signedNum(c.change()) << "</td></tr>\n";
    h << "</table>\n";

    // One row per receptor, one column per value compared (exceedance counts left out).
    std::vector<std::string> quantities;
    std::map<std::string, std::map<std::string, const ValueChange*>> bySite;
    std::vector<std::pair<std::string, std::string>> order;
    for (const ValueChange& c : d.receptors) {
        if (c.quantity.find("_exceedances") != std::string::npos)
            continue;
        if (std::find(quantities.begin(), quantities.end(), c.quantity) == quantities.end())
            quantities.push_back(c.quantity);
        if (!bySite.count(c.locationId))
            order.emplace_back(c.locationId, c.locationName);
        bySite[c.locationId][c.quantity] = &c;
    }
    if (order.empty())
        return;
    h << "<table><tr><th>sensitive receptor</th>";
    for (const std::string& q : quantities)
        h << "<th>" << esc(q) << "<br>baseline &rarr; variant (change)</th>";
    h << "</tr>\n";
    for (const auto& [id, name] : order) {
        h << "<tr><td>" << esc(name.empty() ? id : name) << "</td>";
        for (const std::string& q : quantities) {
            const ValueChange* c = bySite[id][q];
            h << "<td>";
            if (c)
                h << num(c->a, 2) << " &rarr; " << num(c->b, 2) << " ("
                  << signedNum(c->change()) << ")";
            h << "</td>";
        }
        h << "</tr>\n";
    }
    h << "</table>\n";
}

} // namespace

std::string windRoseSvg(const std::vector<MetHour>& hours) {
    constexpr int kSectors = 16;
    std::array<std::array<int, kSpeedFrom.size()>, kSectors> counts{};
    int calm = 0, total = 0;
    for (const MetHour& h : hours) {
        ++total;
        if (h.calm || h.windSpeed_ms <= 0) {
            ++calm;
            continue;
        }
        const int sector = static_cast<int>(std::floor(std::fmod(h.windFromDir_deg + 11.25 +
                                                                 360.0, 360.0) / 22.5)) %
                           kSectors;
        ++counts[sector][speedClass(h.windSpeed_ms)];
    }
    int largest = 1;
    for (const auto& s : counts) {
        int sum = 0;
        for (int c : s)
            sum += c;
        largest = std::max(largest, sum);
    }

    const double cx = 170, cy = 170, inner = 14, outer = 140;
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"540\" height=\"340\" "
           "viewBox=\"0 0 540 340\" font-family=\"sans-serif\" font-size=\"11\">\n";
    // Rings at quarters of the longest sector, labelled in percent of all hours along the
    // north-west diagonal, away from the compass letters.
    for (int q = 1; q <= 4; ++q) {
        const double r = inner + (outer - inner) * q / 4.0;
        svg << fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"{:.1f}\" fill=\"none\" "
                           "stroke=\"#bbb\"/>\n",
                           cx, cy, r);
        const auto [lx, ly] = polar(cx, cy, r, 315.0);
        svg << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#666\" "
                           "text-anchor=\"end\">{:.0f}%</text>\n",
                           lx - 2, ly - 2, 100.0 * largest * q / 4.0 / std::max(total, 1));
    }
    for (int s = 0; s < kSectors; ++s) {
        const double centre = s * 22.5, half = 22.5 * 0.42;
        double from = inner;
        for (size_t k = 0; k < kSpeedFrom.size(); ++k) {
            if (counts[s][k] == 0)
                continue;
            const double to = from + (outer - inner) * counts[s][k] / largest;
            const auto [x1, y1] = polar(cx, cy, from, centre - half);
            const auto [x2, y2] = polar(cx, cy, to, centre - half);
            const auto [x3, y3] = polar(cx, cy, to, centre + half);
            const auto [x4, y4] = polar(cx, cy, from, centre + half);
            svg << fmt::format("<path d=\"M{:.1f},{:.1f} L{:.1f},{:.1f} A{:.1f},{:.1f} 0 0 1 "
                               "{:.1f},{:.1f} L{:.1f},{:.1f} A{:.1f},{:.1f} 0 0 0 {:.1f},{:.1f} "
                               "Z\" fill=\"{}\" stroke=\"white\" stroke-width=\"0.5\"/>\n",
                               x1, y1, x2, y2, to, to, x3, y3, x4, y4, from, from, x1, y1,
                               kSpeedColour[k]);
            from = to;
        }
    }
    for (const auto& [label, deg] :
         {std::pair{"N", 0.0}, std::pair{"E", 90.0}, std::pair{"S", 180.0},
          std::pair{"W", 270.0}}) {
        const auto [x, y] = polar(cx, cy, outer + 12, deg);
        svg << fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"middle\" "
                           "dominant-baseline=\"middle\" font-weight=\"bold\">{}</text>\n",
                           x, y, label);
    }
    svg << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
                       "dominant-baseline=\"middle\">{:.0f}%</text>\n",
                       cx, cy, 100.0 * calm / std::max(total, 1));
    // Legend.
    const char* labels[] = {"below 2 m/s", "2 to 4 m/s", "4 to 6 m/s", "6 m/s and above"};
    for (size_t k = 0; k < kSpeedFrom.size(); ++k)
        svg << fmt::format("<rect x=\"335\" y=\"{}\" width=\"14\" height=\"14\" fill=\"{}\"/>"
                           "<text x=\"355\" y=\"{}\">{}</text>\n",
                           40 + 22 * k, kSpeedColour[k], 52 + 22 * k, labels[k]);
    svg << fmt::format("<text x=\"335\" y=\"150\">{} hours, {} calm</text>\n", total, calm);
    svg << "<text x=\"335\" y=\"166\">sectors: where the wind</text>\n"
           "<text x=\"335\" y=\"182\">blows from; centre: calms</text>\n</svg>\n";
    return svg.str();
}

void writeReport(const fs::path& file, const ReportInput& in) {
    const Scenario& s = *in.scenario;
    std::ostringstream h;
    h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
      << esc(s.title) << "</title>\n<style>\n"
      << "body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}\n"
      << "table{border-collapse:collapse;margin:0.5em 0 1.5em}\n"
      << "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\n"
      << "td:first-child,th:first-child,td:nth-child(2){text-align:left}\n"
      << "th{background:#eef}\ntr.over td{background:#fdd}\n"
      << "img{max-width:100%;border:1px solid #ccc}\n.notes{color:#555}\n</style></head>\n"
      << "<body>\n<h1>" << esc(s.title) << "</h1>\n";

    h << "<h2>What was modelled</h2>\n<table>\n"
      << "<tr><td>park</td><td>" << esc(in.park->name) << " (" << esc(in.park->frame.crs)
      << ")</td></tr>\n<tr><td>period</td><td>" << esc(formatIsoTime(s.start, in.park->timeZone))
      << " to " << esc(formatIsoTime(s.end, in.park->timeZone)) << ", " << in.hours
      << " hours, " << in.missingMetHours << " without met</td></tr>\n"
      << "<tr><td>pollutant</td><td>" << esc(s.pollutant)
      << (s.no2.active() ? " (compared as NO2)" : "") << "</td></tr>\n"
      << "<tr><td>met</td><td>" << esc(in.metSource) << "</td></tr>\n"
      << "<tr><td>background</td><td>"
      << esc(in.runs.empty() || in.runs[0].background.source.empty()
                 ? std::string("none")
                 : in.runs[0].background.source)
      << "</td></tr>\n<tr><td>sensitive receptors</td><td>"
      << (in.runs.empty() ? 0 : in.runs[0].sites.size()) << " inside the receptor grid</td></tr>\n"
      << "</table>\n";

    h << "<h3>Sources of each run</h3>\n<table><tr><th>run</th><th>stack</th>"
         "<th>height (m)</th><th>diameter (m)</th><th>exit velocity (m/s)</th>"
         "<th>exit temperature (K)</th><th>emission (g/s)</th></tr>\n";
    for (size_t r = 0; r < in.runs.size() && r < in.sources.size(); ++r)
        for (const dispersion::PointSource& p : in.sources[r])
            h << "<tr><td>" << esc(in.runs[r].name) << "</td><td>" << esc(p.id) << "</td><td>"
              << num(p.height_m) << "</td><td>" << num(p.diameter_m) << "</td><td>"
              << num(p.exitVelocity_ms) << "</td><td>" << num(p.exitTemperature_K, 0)
              << "</td><td>" << num(p.emissionRate_gs) << "</td></tr>\n";
    h << "</table>\n";

    h << "<h2>Wind rose of the met used</h2>\n" << windRoseSvg(in.metHours);

    h << "<h2>Maps</h2>\n";
    if (!in.mapsNote.empty())
        h << "<p class=\"notes\">" << esc(in.mapsNote) << "</p>\n";
    for (const ReportMap& m : in.maps)
        h << "<figure><img src=\"" << esc(m.image.generic_string()) << "\" alt=\""
          << esc(m.caption) << "\"><figcaption>" << esc(m.caption) << "</figcaption></figure>\n";

    for (const RunAnalysis& run : in.runs) {
        h << "<h2>Compliance: " << esc(run.title) << "</h2>\n"
          << "<p>Values in µg/m³. Rows in red exceed the limit. The margin is the limit minus "
             "the value compared; background is added hour by hour before averaging. Tables: "
          << esc((run.folder / "compliance.csv").lexically_relative(file.parent_path())
                     .generic_string())
          << ".</p>\n";
        complianceTables(h, run);
    }
    for (size_t k = 0; k < in.diffs.size() && k + 1 < in.runs.size(); ++k) {
        h << "<h2>Change: " << esc(in.runs[k + 1].title) << " against the baseline</h2>\n"
          << "<p>Variant minus baseline, µg/m³; difference rasters in "
          << esc(in.diffs[k].out.lexically_relative(file.parent_path()).generic_string())
          << ".</p>\n";
        diffTables(h, in.diffs[k]);
    }
    h << "<h2>Methods</h2>\n<ul>\n"
      << "<li>Gaussian plume after the EPA ISC3 user's guide (EPA-454/B-95-003b), hourly, on "
         "the SRTM terrain.</li>\n"
      << "<li>Averages as QCVN 05:2023 defines its periods: 1 hour; 8-hour running means; "
         "calendar days and years in park local time. A mean counts when "
      << num(100 * s.compliance.completeness, 0)
      << "% of its hours have values. A limit is exceeded when an average is above it.</li>\n"
      << "<li>Limits from the bundled QCVN table with its verification grade (S: two "
         "secondary sources, S1: one, M: to be checked against the official text).</li>\n"
      << "</ul>\n";
    if (!in.park->attributions.empty()) {
        h << "<p class=\"notes\">Data: ";
        for (size_t k = 0; k < in.park->attributions.size(); ++k)
            h << (k ? "; " : "") << esc(in.park->attributions[k]);
        h << "</p>\n";
    }
    h << "</body></html>\n";

    std::ofstream out(file);
    out << h.str();
    if (!out)
        throw Error(file.string() + ": cannot write the report");
}

} // namespace parktwin::app
