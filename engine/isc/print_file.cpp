// The ISCST3 print file (ISC3 user's guide, volume I, section 3.7.1), laid out as ISCST3 02035
// lays it out so that an analyst can set the two side by side: the same table titles, column
// order, five-decimal values with their calm flag and YYMMDDHH dates.

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <fstream>

#include "engine/core/error.h"
#include "engine/isc/outputs.h"

namespace parktwin::isc {
namespace {

std::string fmt(const char* f, ...) {
    char buf[1024];
    va_list args;
    va_start(args, f);
    std::vsnprintf(buf, sizeof buf, f, args);
    va_end(args);
    return buf;
}

const char* kRule = "- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - "
                    "- - - - - - - - - - - - - - - - - - - - - - - - - - - - -";

class Printer {
public:
    Printer(const Deck& d, const RunResult& r, std::ostream& out) : d_(d), r_(r), out_(out) {}

    void write() {
        for (const std::string& l : d_.echo)
            out_ << l << "\n";
        out_ << "\n***********************************\n*** SETUP Finishes Successfully ***\n"
                "***********************************\n";
        setup();
        metSample();
        for (size_t g = 0; g < d_.groups.size(); ++g) {
            if (d_.control.periodAverage)
                periodTables(g);
            for (const RecTable& t : d_.outputs.recTables)
                for (int rank = 1; rank <= t.ranks; ++rank)
                    highTables(g, t.period_h, rank);
        }
        for (const MaxTable& t : d_.outputs.maxTables)
            for (size_t g = 0; g < d_.groups.size(); ++g)
                maxTable(g, t);
        summaries();
        page();
        out_ << "\n*** Message Summary : ParkTwin ISC run ***\n\n";
        out_ << fmt("A Total of %12ld Hours Processed\n", r_.hours);
        // As ISCST3 does, the calm count covers every hour of the met file read.
        out_ << fmt("A Total of %12ld Calm Hours Identified (%ld in the hours processed)\n",
                    r_.calmHoursInFile, r_.calmHours);
        out_ << "\n   *** Run Finishes Successfully ***\n";
    }

private:
    void page() {
        ++page_;
        out_ << fmt(" *** ParkTwin ISC (ISCST3 02035 layout) ***    ***  %-68s ***\n",
                    d_.control.title1.c_str());
        out_ << fmt("**MODELOPTs: %107s PAGE %3d\n", "", page_);
        out_ << fmt("CONC                    %s %s         %s\n\n",
                    d_.control.urban ? "URBAN" : "RURAL",
                    d_.control.elevatedTerrain ? "ELEV" : "FLAT",
                    d_.control.regulatoryDefault ? "DFAULT" : "");
    }

    void setup() {
        const Control& c = d_.control;
        page();
        out_ << "                                           ***     MODEL SETUP OPTIONS SUMMARY"
                "       ***\n"
             << kRule << "\n\n";
        out_ << fmt("**Model Uses %s Dispersion.\n\n", c.urban ? "URBAN" : "RURAL");
        out_ << fmt("**Model Uses Stack-tip Downwash: %s\n",
                    c.regulatoryDefault || !c.noStackTipDownwash ? "YES" : "NO");
        out_ << fmt("**Model Assumes Receptors on %s Terrain.\n\n",
                    c.elevatedTerrain ? "ELEVATED" : "FLAT");
        out_ << "**Model Calculates " << c.periods_h.size() << " Short Term Average(s) of:";
        for (int p : c.periods_h)
            out_ << fmt("  %2d-HR", p);
        out_ << (c.periodAverage ? "\n    and Calculates PERIOD Averages\n\n" : "\n\n");
        out_ << fmt("**This Run Includes: %5zu Source(s); %6zu Source Group(s); and %7zu "
                    "Receptor(s)\n\n",
                    d_.sources.size(), d_.groups.size(), d_.receptors.size());
        out_ << fmt("**The Model Assumes A Pollutant Type of:  %s\n\n", c.pollutant.c_str());
        out_ << fmt("**Misc. Inputs:  Anem. Hgt. (m) = %8.2f ;    Decay Coef. = %11.4g\n\n",
                    d_.met.anemometerHeight_m, r_.decayCoefficient_per_s);
        page();
        out_ << "                                                 *** POINT SOURCE DATA ***\n\n"
                "             EMISSION RATE                    BASE     STACK   STACK    STACK "
                "    STACK    BUILDING\n"
                "   SOURCE     (GRAMS/SEC)     X        Y      ELEV.    HEIGHT  TEMP.   EXIT "
                "VEL. DIAMETER   EXISTS\n"
                "     ID                    (METERS) (METERS) (METERS) (METERS) (DEG.K)  "
                "(M/SEC)  (METERS)\n"
             << kRule << "\n\n";
        for (const Source& s : d_.sources)
            if (s.type == SourceType::Point)
                out_ << fmt("  %-8s   %11.5E %9.1f %9.1f %7.1f %8.2f %8.2f %8.2f %8.2f      %s\n",
                            s.id.c_str(), s.point.emissionRate_gs, s.position.x, s.position.y,
                            s.baseElevation_m, s.point.height_m, s.point.exitTemperature_K,
                            s.point.exitVelocity_ms, s.point.diameter_m,
                            s.point.buildings ? "YES" : "NO");
    }

    void metSample() {
        page();
        out_ << fmt("                     *** THE FIRST %3zu HOURS OF METEOROLOGICAL DATA ***\n\n",
                    r_.firstDay.size());
        out_ << fmt("     FILE:   %s\n\n", d_.met.inputFile.filename().string().c_str());
        out_ << "             FLOW   SPEED  TEMP  STAB  MIXING HEIGHT (M)\n"
                "YR MN DY HR VECTOR  (M/S)   (K)  CLASS\n"
             << kRule << "\n\n";
        for (size_t i = 0; i < r_.firstDay.size(); ++i) {
            const MetHour& h = r_.firstDay[i];
            const auto& s = r_.firstDayStamps[i];
            const double flow = std::fmod(h.windFromDir_deg + 180.0, 360.0);
            out_ << fmt("%02d %02d %02d %02d %6.1f %6.2f %6.1f %3d %11.1f\n", s.year % 100,
                        s.month, s.day, s.hourEnding, flow == 0 ? 360.0 : flow, h.windSpeed_ms,
                        h.temperature_K, int(h.stability), h.mixingHeight_m);
        }
        out_ << "\n*** NOTES:  STABILITY CLASS 1=A, 2=B, 3=C, 4=D, 5=E AND 6=F.\n"
                "            FLOW VECTOR IS DIRECTION TOWARD WHICH WIND IS BLOWING.\n";
    }

    std::string sourcesOf(size_t g) const {
        std::string s;
        for (size_t i : d_.groups[g].sources)
            s += fmt("%-8s, ", d_.sources[i].id.c_str());
        return s;
    }

    void tableHead(size_t g, const std::string& title, const Network* n) {
        page();
        out_ << fmt("                             *** %s FOR SOURCE GROUP: %-8s ***\n",
                    title.c_str(), d_.groups[g].id.c_str());
        out_ << fmt("                                 INCLUDING SOURCE(S):      %s\n\n",
                    sourcesOf(g).c_str());
        if (n)
            out_ << fmt("                                  *** NETWORK ID: %-8s ;  NETWORK "
                        "TYPE: %s ***\n\n",
                        n->id.c_str(),
                        n->kind == ReceptorKind::GridPolar ? "GRIDPOLR" : "GRIDCART");
        out_ << fmt("                                       ** CONC OF %-8s IN MICROGRAMS/M**3"
                    "                          **\n\n",
                    d_.control.pollutant.c_str());
    }

    /// Rows of a grid network: polar radials, or Cartesian y from north to south.
    std::vector<std::pair<double, std::vector<size_t>>> gridRows(const Network& n) const {
        std::vector<std::pair<double, std::vector<size_t>>> rows;
        const bool polar = n.kind == ReceptorKind::GridPolar;
        const size_t nr = polar ? n.directions_deg.size() : n.ys.size();
        const size_t nc = polar ? n.distances_m.size() : n.xs.size();
        for (size_t i = 0; i < nr; ++i) {
            const size_t row = polar ? i : nr - 1 - i;
            std::vector<size_t> idx;
            for (size_t j = 0; j < nc; ++j)
                idx.push_back(n.firstReceptor + row * nc + j);
            rows.push_back({polar ? n.directions_deg[row] : n.ys[row], idx});
        }
        return rows;
    }

    template <class Cell>
    void gridTables(size_t g, const std::string& title, int width, Cell cell) {
        for (const Network& n : d_.networks) {
            const bool polar = n.kind == ReceptorKind::GridPolar;
            const std::vector<double>& cols = polar ? n.distances_m : n.xs;
            for (size_t c0 = 0; c0 < cols.size(); c0 += 5) {
                const size_t c1 = std::min(cols.size(), c0 + 5);
                tableHead(g, title, &n);
                out_ << (polar ? "DIRECTION |                                                  "
                                 "DISTANCE (METERS)\n(DEGREES) |"
                               : "  Y-COORD |                                                  "
                                 "X-COORD (METERS)\n (METERS) |");
                for (size_t c = c0; c < c1; ++c)
                    out_ << fmt("%*.2f", width, cols[c]);
                out_ << "\n" << kRule << "\n\n";
                for (const auto& [key, idx] : gridRows(n)) {
                    out_ << fmt(" %8.1f |", key);
                    for (size_t c = c0; c < c1; ++c)
                        out_ << cell(idx[c]);
                    out_ << "\n";
                }
            }
        }
        std::vector<size_t> discrete;
        for (size_t i = 0; i < d_.receptors.size(); ++i)
            if (d_.receptors[i].network < 0)
                discrete.push_back(i);
        if (discrete.empty())
            return;
        tableHead(g, title, nullptr);
        out_ << "                  *** DISCRETE RECEPTOR POINTS ***\n\n"
                "      X-COORD (M)   Y-COORD (M)        CONC\n"
             << kRule << "\n\n";
        for (size_t i : discrete)
            out_ << fmt("   %13.2f %13.2f %s\n", d_.receptors[i].position.x,
                        d_.receptors[i].position.y, cell(i).c_str());
    }

    void periodTables(size_t g) {
        const auto& acc = r_.groups[g].averages;
        gridTables(g, fmt("THE PERIOD (%6ld HRS) AVERAGE CONCENTRATION   VALUES", r_.hours), 13,
                   [&](size_t i) { return fmt("%13.5f", acc.periodAverage(i)); });
    }

    size_t periodIndex(int period_h) const {
        const auto& ps = d_.control.periods_h;
        return size_t(std::find(ps.begin(), ps.end(), period_h) - ps.begin());
    }

    static std::string rankLabel(int rank) {
        static const char* l[] = {"1ST", "2ND", "3RD", "4TH", "5TH",
                                  "6TH", "7TH", "8TH", "9TH", "10TH"};
        return l[rank - 1];
    }

    std::string valueCell(const dispersion::RankedValue& v) const {
        return fmt("%13.5f%c(%08lld)", std::max(v.value, 0.0), v.flag(), (long long)v.stamp);
    }

    void highTables(size_t g, int period_h, int rank) {
        const auto& acc = r_.groups[g].averages;
        const size_t p = periodIndex(period_h);
        gridTables(g,
                   fmt("THE %5s HIGHEST %2d-HR AVERAGE CONCENTRATION   VALUES",
                       rankLabel(rank).c_str(), period_h),
                   26, [&](size_t i) { return "  " + valueCell(acc.highest(p, i, rank - 1)); });
    }

    std::string where(size_t receptor) const {
        const Receptor& r = d_.receptors[receptor];
        return fmt("AT (%10.2f, %10.2f)  %s", r.position.x, r.position.y,
                   receptorCode(r.kind));
    }

    void maxTable(size_t g, const MaxTable& t) {
        const auto& acc = r_.groups[g].averages;
        const auto top = acc.top(periodIndex(t.period_h));
        const size_t n = std::min<size_t>(size_t(t.count), top.size());
        page();
        out_ << fmt("                               *** THE MAXIMUM %4d %2d-HR AVERAGE "
                    "CONCENTRATION   VALUES FOR SOURCE GROUP: %-8s ***\n",
                    t.count, t.period_h, d_.groups[g].id.c_str());
        out_ << fmt("                                   INCLUDING SOURCE(S):    %s\n\n",
                    sourcesOf(g).c_str());
        out_ << "RANK        CONC    (YYMMDDHH) AT      RECEPTOR (XR,YR) OF TYPE    RANK        "
                "CONC    (YYMMDDHH) AT      RECEPTOR (XR,YR) OF TYPE\n"
             << kRule << "\n";
        const size_t half = (n + 1) / 2;
        for (size_t i = 0; i < half; ++i) {
            auto entry = [&](size_t k) {
                const auto& v = top[k];
                return fmt("%4zu. %13.5f%c(%08lld) %s", k + 1, std::max(v.value, 0.0), v.flag(),
                           (long long)v.stamp, where(v.receptor).c_str());
            };
            out_ << entry(i);
            if (i + half < n)
                out_ << "     " << entry(i + half);
            out_ << "\n";
        }
        out_ << "\n *** RECEPTOR TYPES:  GC = GRIDCART\n                      GP = GRIDPOLR\n"
                "                      DC = DISCCART\n                      DP = DISCPOLR\n";
    }

    void summaries() {
        if (d_.control.periodAverage) {
            page();
            out_ << fmt("                                           *** THE SUMMARY OF MAXIMUM "
                        "PERIOD (%6ld HRS) RESULTS ***\n\n",
                        r_.hours);
            for (size_t g = 0; g < d_.groups.size(); ++g) {
                const auto& acc = r_.groups[g].averages;
                std::vector<size_t> order(d_.receptors.size());
                for (size_t i = 0; i < order.size(); ++i)
                    order[i] = i;
                std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
                    return acc.periodAverage(a) > acc.periodAverage(b);
                });
                for (size_t k = 0; k < std::min<size_t>(10, order.size()); ++k)
                    out_ << fmt("%-8s %4s HIGHEST VALUE IS %13.5f %s\n",
                                k == 0 ? d_.groups[g].id.c_str() : "",
                                rankLabel(int(k) + 1).c_str(), acc.periodAverage(order[k]),
                                where(order[k]).c_str());
            }
        }
        for (const RecTable& t : d_.outputs.recTables) {
            page();
            out_ << fmt("                                               *** THE SUMMARY OF "
                        "HIGHEST %2d-HR RESULTS ***\n\n",
                        t.period_h);
            for (size_t g = 0; g < d_.groups.size(); ++g) {
                const auto& acc = r_.groups[g].averages;
                const size_t p = periodIndex(t.period_h);
                for (int rank = 1; rank <= t.ranks; ++rank) {
                    // The receptor whose rank-th highest value is the largest.
                    size_t best = 0;
                    for (size_t i = 1; i < d_.receptors.size(); ++i)
                        if (acc.highest(p, i, rank - 1).value >
                            acc.highest(p, best, rank - 1).value)
                            best = i;
                    const auto& v = acc.highest(p, best, rank - 1);
                    out_ << fmt("%-8s HIGH %4s HIGH VALUE IS %13.5f%c ON %08lld: %s\n",
                                rank == 1 ? d_.groups[g].id.c_str() : "",
                                rankLabel(rank).c_str(), std::max(v.value, 0.0), v.flag(),
                                (long long)v.stamp, where(best).c_str());
                }
            }
        }
    }

    const Deck& d_;
    const RunResult& r_;
    std::ostream& out_;
    int page_ = 0;
};

} // namespace

void writePrintFile(const Deck& deck, const RunResult& result, const std::filesystem::path& file) {
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file);
    if (!out)
        throw InputError(file.string(), "", "cannot write the print file");
    Printer(deck, result, out).write();
    out.flush();
    if (!out)
        throw InputError(file.string(), "", "write failed");
}

} // namespace parktwin::isc
