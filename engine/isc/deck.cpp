#include "engine/isc/deck.h"

// Reader of ISCST3 control files. The layout and keywords follow the ISC3 user's guide,
// volume I (EPA-454/B-95-003a), sections 3.2 to 3.7 and appendix B: columns 1-2 hold the
// pathway, columns 4-11 the keyword, fields follow separated by blanks; a blank pathway or
// keyword continues the previous one; lines starting with "**" are comments.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <numbers>
#include <set>
#include <sstream>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::isc {

const char* receptorCode(ReceptorKind kind) {
    switch (kind) {
    case ReceptorKind::GridCart:
        return "GC";
    case ReceptorKind::GridPolar:
        return "GP";
    case ReceptorKind::DiscCart:
        return "DC";
    case ReceptorKind::DiscPolar:
        return "DP";
    }
    return "??";
}

namespace {

constexpr double kFeetToMetres = 0.3048;

std::string upper(std::string s) {
    for (char& c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string t; in >> t;)
        out.push_back(t);
    return out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(' ');
    if (b == std::string::npos)
        return "";
    return s.substr(b, s.find_last_not_of(' ') - b + 1);
}

/// A grid network being assembled between its STA and END records.
struct PendingGrid {
    Network net;
    bool ended = false;
    std::map<int, std::vector<double>> elev, flag; ///< row (1-based) -> values
    int line = 0;
};

class Parser {
public:
    explicit Parser(Deck& deck) : d_(deck), file_(deck.path.string()) {}

    void parse(std::istream& in) {
        std::string raw;
        while (std::getline(in, raw)) {
            ++line_;
            if (!raw.empty() && raw.back() == '\r')
                raw.pop_back();
            std::replace(raw.begin(), raw.end(), '\t', ' ');
            d_.echo.push_back(raw);
            if (trim(raw).empty() || raw.rfind("**", 0) == 0)
                continue;
            handleLine(raw);
        }
        if (pathway_ != "OU" || open_)
            fail(line_, open_ ? "the " + pathway_ + " pathway has no FINISHED record"
                              : "the deck ends before the OU pathway");
        finish();
    }

private:
    [[noreturn]] void fail(int line, const std::string& what) const {
        throw InputError(file_, "line " + std::to_string(line), what);
    }

    double number(const std::string& tok, const std::string& what) const {
        size_t used = 0;
        double v = 0;
        try {
            v = std::stod(tok, &used);
        } catch (const std::exception&) {
            fail(line_, "expected a number for " + what + ", found '" + tok + "'");
        }
        if (used != tok.size() || !std::isfinite(v))
            fail(line_, "expected a number for " + what + ", found '" + tok + "'");
        return v;
    }

    int integer(const std::string& tok, const std::string& what) const {
        const double v = number(tok, what);
        if (v != std::floor(v))
            fail(line_, "expected a whole number for " + what + ", found '" + tok + "'");
        return static_cast<int>(v);
    }

    /// Numbers with ISC's repeat syntax: "36*34." is 36 values of 34.
    std::vector<double> numbers(const std::vector<std::string>& f, size_t from,
                                const std::string& what) const {
        std::vector<double> out;
        for (size_t i = from; i < f.size(); ++i) {
            const auto star = f[i].find('*');
            if (star == std::string::npos) {
                out.push_back(number(f[i], what));
                continue;
            }
            const int n = integer(f[i].substr(0, star), "the repeat count of " + what);
            if (n < 1 || n > 100000)
                fail(line_, "repeat count " + std::to_string(n) + " out of range in '" + f[i] +
                                "'");
            out.insert(out.end(), size_t(n), number(f[i].substr(star + 1), what));
        }
        return out;
    }

    void need(const std::vector<std::string>& f, size_t n, const std::string& usage) const {
        if (f.size() < n)
            fail(line_, keyword_ + " needs " + usage);
    }

    void handleLine(const std::string& raw) {
        const std::string path = upper(trim(raw.substr(0, std::min<size_t>(2, raw.size()))));
        if (!path.empty()) {
            static const std::set<std::string> known{"CO", "SO", "RE", "ME", "OU"};
            if (!known.count(path)) {
                if (path == "TG" || path == "EV")
                    fail(line_, "the " + path + " pathway is not supported by ParkTwin");
                fail(line_, "unknown pathway '" + path + "' (expected CO, SO, RE, ME or OU)");
            }
            if (path != pathway_) {
                if (open_)
                    fail(line_, "the " + pathway_ + " pathway has no FINISHED record before " +
                                    path);
                static const std::string order = "CO SO RE ME OU";
                const auto want = pathway_.empty() ? 0 : order.find(pathway_) + 3;
                if (order.find(path) != want)
                    fail(line_, "pathway " + path + " out of order: ISCST3 expects CO, SO, "
                                                    "RE, ME, OU");
                pathway_ = path;
                keyword_.clear();
            }
        } else if (pathway_.empty()) {
            fail(line_, "a continuation line before any pathway");
        }
        const std::string rest = raw.size() > 3 ? raw.substr(3) : "";
        std::vector<std::string> f = split(rest);
        const std::string keyField = raw.size() > 3 ? trim(raw.substr(3, 8)) : "";
        if (!keyField.empty()) {
            keyword_ = upper(f.front());
            f.erase(f.begin());
        } else if (keyword_.empty()) {
            fail(line_, "a continuation line without a keyword before it");
        }
        if (keyword_ == "STARTING") {
            if (open_)
                fail(line_, "STARTING twice on the " + pathway_ + " pathway");
            open_ = true;
            return;
        }
        if (!open_)
            fail(line_, keyword_ + " before " + pathway_ + " STARTING");
        if (keyword_ == "FINISHED") {
            open_ = false;
            closePathway();
            return;
        }
        if (pathway_ == "CO")
            control(f, raw);
        else if (pathway_ == "SO")
            sources(f);
        else if (pathway_ == "RE")
            receptors(f);
        else if (pathway_ == "ME")
            meteorology(f);
        else
            outputs(f);
    }

    [[noreturn]] void unknownKeyword() const {
        fail(line_, "unknown keyword '" + keyword_ + "' on the " + pathway_ + " pathway");
    }
    [[noreturn]] void unsupported(const std::string& what) const {
        fail(line_, what + " is not supported by ParkTwin");
    }

    // ---- CO ------------------------------------------------------------------------------
    void control(const std::vector<std::string>& f, const std::string& raw) {
        Control& c = d_.control;
        const std::string& k = keyword_;
        if (k == "TITLEONE" || k == "TITLETWO") {
            const auto pos = upper(raw).find(k);
            const std::string text = trim(raw.substr(pos + k.size()));
            (k == "TITLEONE" ? c.title1 : c.title2) = text;
        } else if (k == "MODELOPT") {
            for (const std::string& t : f) {
                const std::string o = upper(t);
                if (o == "DFAULT")
                    c.regulatoryDefault = true;
                else if (o == "RURAL")
                    rural_ = true;
                else if (o == "URBAN")
                    c.urban = true;
                else if (o == "CONC")
                    conc_ = true;
                else if (o == "NOSTD")
                    c.noStackTipDownwash = true;
                else if (o == "MSGPRO")
                    c.missingProcessing = true;
                else if (o == "NOCMPL")
                    continue; // complex terrain is not modelled either way
                else if (o == "DEPOS" || o == "DDEP" || o == "WDEP" || o == "DRYDPLT" ||
                         o == "WETDPLT" || o == "AREADPLT" || o == "GRDRIS" || o == "NOBID" ||
                         o == "NOCALM" || o == "TOXICS")
                    unsupported("MODELOPT " + o);
                else
                    fail(line_, "unknown MODELOPT option '" + t + "'");
            }
        } else if (k == "AVERTIME") {
            for (const std::string& t : f) {
                const std::string o = upper(t);
                if (o == "PERIOD" || o == "ANNUAL") {
                    c.periodAverage = true;
                    continue;
                }
                if (o == "MONTH")
                    unsupported("AVERTIME MONTH");
                const int h = integer(t, "an averaging time");
                if (h < 1 || 24 % h != 0)
                    fail(line_, "averaging time " + t + " h: ISCST3 allows 1, 2, 3, 4, 6, 8, "
                                                        "12 and 24 hours");
                if (std::find(c.periods_h.begin(), c.periods_h.end(), h) != c.periods_h.end())
                    fail(line_, "averaging time " + t + " given twice");
                c.periods_h.push_back(h);
            }
        } else if (k == "POLLUTID") {
            need(f, 1, "a pollutant name");
            c.pollutant = upper(f[0]);
        } else if (k == "HALFLIFE") {
            need(f, 1, "a half-life in seconds");
            c.halfLife_s = number(f[0], "the half-life");
            if (!(*c.halfLife_s > 0))
                fail(line_, "the half-life must be positive");
        } else if (k == "DCAYCOEF") {
            need(f, 1, "a decay coefficient in 1/s");
            c.decayCoef_per_s = number(f[0], "the decay coefficient");
            if (*c.decayCoef_per_s < 0)
                fail(line_, "the decay coefficient must not be negative");
        } else if (k == "TERRHGTS") {
            need(f, 1, "FLAT or ELEV");
            const std::string o = upper(f[0]);
            if (o != "FLAT" && o != "ELEV")
                fail(line_, "TERRHGTS takes FLAT or ELEV, not '" + f[0] + "'");
            c.elevatedTerrain = o == "ELEV";
        } else if (k == "FLAGPOLE") {
            defaultFlagpole_m_ = f.empty() ? 0.0 : number(f[0], "the flagpole height");
            if (defaultFlagpole_m_ < 0)
                fail(line_, "the flagpole height must not be negative");
        } else if (k == "RUNORNOT") {
            need(f, 1, "RUN or NOT");
            const std::string o = upper(f[0]);
            if (o != "RUN" && o != "NOT")
                fail(line_, "RUNORNOT takes RUN or NOT, not '" + f[0] + "'");
            c.run = o == "RUN";
        } else if (k == "EVENTFIL") {
            c.eventFile = f.empty() ? "EVENTS.INP" : f[0];
        } else if (k == "ERRORFIL") {
            c.errorFile = f.empty() ? "ERRORS.LST" : f[0];
        } else if (k == "ELEVUNIT") {
            elevUnit(f);
        } else if (k == "SAVEFILE" || k == "INITFILE" || k == "MULTYEAR") {
            unsupported("CO " + k);
        } else {
            unknownKeyword();
        }
    }

    void elevUnit(const std::vector<std::string>& f) {
        need(f, 1, "METERS or FEET");
        const std::string o = upper(f[0]);
        if (o != "METERS" && o != "FEET")
            fail(line_, "ELEVUNIT takes METERS or FEET, not '" + f[0] + "'");
        (pathway_ == "SO" ? sourceElevFeet_ : receptorElevFeet_) = o == "FEET";
    }

    // ---- SO ------------------------------------------------------------------------------
    Source& sourceById(const std::string& id) {
        for (Source& s : d_.sources)
            if (s.id == upper(id))
                return s;
        fail(line_, "source '" + id + "' has no LOCATION before this line");
    }

    void sources(const std::vector<std::string>& f) {
        const std::string& k = keyword_;
        if (k == "LOCATION") {
            need(f, 4, "a source id, a type (POINT, VOLUME, AREA) and x, y [, z]");
            Source s;
            s.id = upper(f[0]);
            if (s.id.size() > 8)
                fail(line_, "source id '" + f[0] + "' is longer than 8 characters");
            for (const Source& o : d_.sources)
                if (o.id == s.id)
                    fail(line_, "source '" + s.id + "' is defined twice (first on line " +
                                    std::to_string(o.line) + ")");
            const std::string type = upper(f[1]);
            if (type == "POINT")
                s.type = SourceType::Point;
            else if (type == "VOLUME")
                s.type = SourceType::Volume;
            else if (type == "AREA")
                s.type = SourceType::Area;
            else if (type == "AREAPOLY" || type == "AREACIRC" || type == "OPENPIT")
                unsupported("source type " + type);
            else
                fail(line_, "unknown source type '" + f[1] + "'");
            s.line = line_;
            s.position = {number(f[2], "x"), number(f[3], "y")};
            s.baseElevation_m = f.size() > 4 ? number(f[4], "the base elevation") : 0.0;
            if (sourceElevFeet_)
                s.baseElevation_m *= kFeetToMetres;
            d_.sources.push_back(s);
        } else if (k == "SRCPARAM") {
            srcParam(f);
        } else if (k == "BUILDHGT" || k == "BUILDWID") {
            need(f, 2, "a source id and building dimensions");
            Source& s = sourceById(f[0]);
            if (s.type != SourceType::Point)
                fail(line_, k + " applies to POINT sources, and '" + s.id + "' is not one");
            auto& v = k == "BUILDHGT" ? s.buildingHeights_m : s.buildingWidths_m;
            for (double x : numbers(f, 1, "a building dimension")) {
                if (x < 0)
                    fail(line_, "negative building dimension " + std::to_string(x));
                v.push_back(x);
            }
            if (v.size() > 36)
                fail(line_, k + " for '" + s.id + "' gives more than 36 sectors");
            s.buildingLine = line_;
        } else if (k == "SRCGROUP") {
            need(f, 1, "a group id");
            const std::string id = upper(f[0]);
            SourceGroup* g = nullptr;
            for (SourceGroup& o : d_.groups)
                if (o.id == id)
                    g = &o;
            if (!g) {
                d_.groups.push_back({id, {}});
                g = &d_.groups.back();
            }
            if (id == "ALL" && f.size() == 1) {
                for (size_t i = 0; i < d_.sources.size(); ++i)
                    g->sources.push_back(i);
                return;
            }
            if (f.size() == 1)
                fail(line_, "group '" + id + "' lists no sources");
            for (size_t i = 1; i < f.size(); ++i) {
                const Source& s = sourceById(f[i]);
                g->sources.push_back(size_t(&s - d_.sources.data()));
            }
        } else if (k == "ELEVUNIT") {
            elevUnit(f);
        } else if (k == "EMISFACT" || k == "EMISUNIT" || k == "PARTDIAM" || k == "MASSFRAX" ||
                   k == "PARTDENS" || k == "GAS-SCAV" || k == "PART-SCAV" || k == "HOUREMIS" ||
                   k == "CONCUNIT" || k == "DEPOUNIT") {
            unsupported("SO " + k);
        } else {
            unknownKeyword();
        }
    }

    void srcParam(const std::vector<std::string>& f) {
        need(f, 2, "a source id and its parameters");
        Source& s = sourceById(f[0]);
        if (s.hasParams)
            fail(line_, "SRCPARAM given twice for '" + s.id + "'");
        const std::vector<double> v = numbers(f, 1, "a source parameter");
        const size_t want = s.type == SourceType::Point ? 5 : s.type == SourceType::Volume ? 4 : 3;
        if (v.size() < want || (s.type != SourceType::Area && v.size() > want) || v.size() > 6)
            fail(line_, "SRCPARAM for " + std::string(s.type == SourceType::Point ? "POINT"
                                                      : s.type == SourceType::Volume
                                                          ? "VOLUME"
                                                          : "AREA") +
                            " source '" + s.id + "' needs " +
                            (s.type == SourceType::Point    ? "QS HS TS VS DS"
                             : s.type == SourceType::Volume ? "QS HS SYINIT SZINIT"
                                                            : "QS HS XINIT [YINIT ANGLE SZINIT]"));
        if (v[0] < 0)
            fail(line_, "negative emission rate " + f[1] + " for source '" + s.id + "'");
        for (size_t i = 1; i < v.size(); ++i)
            if (v[i] < 0 && !(s.type == SourceType::Area && i == 4))
                fail(line_, "negative source parameter " + f[i + 1] + " for source '" + s.id +
                                "'");
        s.hasParams = true;
        if (s.type == SourceType::Point) {
            dispersion::PointSource& p = s.point;
            p.id = s.id;
            p.position = s.position;
            p.baseElevation_m = s.baseElevation_m;
            p.emissionRate_gs = v[0];
            p.height_m = v[1];
            p.exitTemperature_K = v[2];
            p.exitVelocity_ms = v[3];
            p.diameter_m = v[4];
            // A TS of 0 means "ambient temperature" in ISC3; a stack needs an exit area.
            if (p.diameter_m <= 0)
                fail(line_, "stack diameter of '" + s.id + "' must be positive");
        } else if (s.type == SourceType::Volume) {
            dispersion::VolumeSource& p = s.volume;
            p.id = s.id;
            p.position = s.position;
            p.baseElevation_m = s.baseElevation_m;
            p.emissionRate_gs = v[0];
            p.releaseHeight_m = v[1];
            p.initialSigmaY_m = v[2];
            p.initialSigmaZ_m = v[3];
        } else {
            dispersion::AreaSource& p = s.area;
            p.id = s.id;
            p.corner = s.position;
            p.baseElevation_m = s.baseElevation_m;
            p.emissionRate_gsm2 = v[0];
            p.releaseHeight_m = v[1];
            p.xLength_m = v[2];
            p.yLength_m = v.size() > 3 ? v[3] : v[2];
            p.angle_deg = v.size() > 4 ? v[4] : 0.0;
            p.initialSigmaZ_m = v.size() > 5 ? v[5] : 0.0;
            if (!(p.xLength_m > 0) || !(p.yLength_m > 0))
                fail(line_, "area source '" + s.id + "' needs positive side lengths");
        }
    }

    // ---- RE ------------------------------------------------------------------------------
    void receptors(const std::vector<std::string>& f) {
        const std::string& k = keyword_;
        if (k == "GRIDPOLR" || k == "GRIDCART") {
            grid(f, k == "GRIDPOLR");
        } else if (k == "DISCCART") {
            need(f, 2, "x and y");
            Receptor r;
            r.kind = ReceptorKind::DiscCart;
            r.position = {number(f[0], "x"), number(f[1], "y")};
            r.elevation_m = f.size() > 2 ? number(f[2], "the elevation") : 0.0;
            if (receptorElevFeet_)
                r.elevation_m *= kFeetToMetres;
            r.flagpole_m = f.size() > 3 ? number(f[3], "the flagpole height") : defaultFlagpole_m_;
            d_.receptors.push_back(r);
        } else if (k == "DISCPOLR") {
            need(f, 3, "a source id, a distance and a direction");
            const Source& s = sourceById(f[0]);
            const double dist = number(f[1], "the distance");
            const double dir = number(f[2], "the direction") * std::numbers::pi / 180.0;
            Receptor r;
            r.kind = ReceptorKind::DiscPolar;
            r.position = {s.position.x + dist * std::sin(dir), s.position.y + dist * std::cos(dir)};
            r.elevation_m = f.size() > 3 ? number(f[3], "the elevation") : 0.0;
            if (receptorElevFeet_)
                r.elevation_m *= kFeetToMetres;
            r.flagpole_m = f.size() > 4 ? number(f[4], "the flagpole height") : defaultFlagpole_m_;
            d_.receptors.push_back(r);
        } else if (k == "ELEVUNIT") {
            elevUnit(f);
        } else if (k == "BOUNDARY" || k == "BOUNDELV" || k == "INCLUDED") {
            unsupported("RE " + k);
        } else {
            unknownKeyword();
        }
    }

    void grid(const std::vector<std::string>& f, bool polar) {
        need(f, 2, "a network id and a record type");
        const std::string id = upper(f[0]);
        const std::string sub = upper(f[1]);
        if (sub == "STA") {
            for (const Network& n : d_.networks)
                if (n.id == id)
                    fail(line_, "network '" + id + "' is defined twice");
            if (grid_)
                fail(line_, "network '" + grid_->net.id + "' has no END before this one");
            grid_ = PendingGrid{};
            grid_->net.id = id;
            grid_->net.kind = polar ? ReceptorKind::GridPolar : ReceptorKind::GridCart;
            grid_->line = line_;
            return;
        }
        if (!grid_ || grid_->net.id != id)
            fail(line_, "network '" + id + "' has no STA record before this line");
        Network& n = grid_->net;
        if (sub == "END") {
            endGrid();
            return;
        }
        auto values = [&](size_t from) { return numbers(f, from, "a " + sub + " value"); };
        if (polar && sub == "ORIG") {
            need(f, 3, "ORIG x y, or ORIG and a source id");
            if (f.size() == 3 && std::isalpha(static_cast<unsigned char>(f[2][0])))
                n.origin = sourceById(f[2]).position;
            else {
                need(f, 4, "ORIG x y");
                n.origin = {number(f[2], "x"), number(f[3], "y")};
            }
        } else if (polar && sub == "DIST") {
            for (double v : values(2)) {
                if (!(v > 0))
                    fail(line_, "ring distances must be positive");
                n.distances_m.push_back(v);
            }
        } else if (polar && sub == "DDIR") {
            for (double v : values(2))
                n.directions_deg.push_back(v);
        } else if (polar && sub == "GDIR") {
            need(f, 5, "GDIR count first-direction increment");
            const int count = integer(f[2], "the direction count");
            const double first = number(f[3], "the first direction");
            const double inc = number(f[4], "the direction increment");
            if (count < 1 || count > 360)
                fail(line_, "GDIR count must be 1-360");
            for (int i = 0; i < count; ++i)
                n.directions_deg.push_back(first + i * inc);
        } else if (!polar && sub == "XYINC") {
            need(f, 8, "XYINC x0 nx dx y0 ny dy");
            const double x0 = number(f[2], "x0"), dx = number(f[4], "dx");
            const double y0 = number(f[5], "y0"), dy = number(f[7], "dy");
            const int nx = integer(f[3], "nx"), ny = integer(f[6], "ny");
            if (nx < 1 || ny < 1 || nx > 10000 || ny > 10000)
                fail(line_, "XYINC point counts must be 1-10000");
            for (int i = 0; i < nx; ++i)
                n.xs.push_back(x0 + i * dx);
            for (int j = 0; j < ny; ++j)
                n.ys.push_back(y0 + j * dy);
        } else if (!polar && sub == "XPNTS") {
            for (double v : values(2))
                n.xs.push_back(v);
        } else if (!polar && sub == "YPNTS") {
            for (double v : values(2))
                n.ys.push_back(v);
        } else if (sub == "ELEV" || sub == "FLAG") {
            need(f, 4, sub + " row value...");
            const int row = integer(f[2], "the row");
            auto& dst = (sub == "ELEV" ? grid_->elev : grid_->flag)[row];
            for (double v : values(3))
                dst.push_back(v);
        } else {
            fail(line_, "unknown " + keyword_ + " record '" + f[1] + "'");
        }
    }

    void endGrid() {
        PendingGrid& g = *grid_;
        Network& n = g.net;
        const bool polar = n.kind == ReceptorKind::GridPolar;
        // Rows are directions (polar) or y values (Cartesian); columns rings or x values.
        const std::vector<double>& rows = polar ? n.directions_deg : n.ys;
        const std::vector<double>& cols = polar ? n.distances_m : n.xs;
        if (rows.empty() || cols.empty())
            fail(line_, "network '" + n.id + "' has no " +
                            (polar ? "distances or directions" : "x or y points"));
        for (auto* table : {&g.elev, &g.flag})
            for (const auto& [row, vals] : *table) {
                if (row < 1 || size_t(row) > rows.size())
                    fail(line_, "network '" + n.id + "': row " + std::to_string(row) +
                                    " of ELEV/FLAG is outside 1-" + std::to_string(rows.size()));
                if (vals.size() != cols.size())
                    fail(line_, "network '" + n.id + "': row " + std::to_string(row) + " has " +
                                    std::to_string(vals.size()) + " ELEV/FLAG values for " +
                                    std::to_string(cols.size()) + " points");
            }
        if (!g.elev.empty() && g.elev.size() != rows.size())
            fail(line_, "network '" + n.id + "': ELEV given for " +
                            std::to_string(g.elev.size()) + " of " + std::to_string(rows.size()) +
                            " rows");
        n.firstReceptor = d_.receptors.size();
        const int netIndex = int(d_.networks.size());
        for (size_t i = 0; i < rows.size(); ++i)
            for (size_t j = 0; j < cols.size(); ++j) {
                Receptor r;
                r.kind = n.kind;
                r.network = netIndex;
                if (polar) {
                    const double a = rows[i] * std::numbers::pi / 180.0;
                    r.position = {n.origin.x + cols[j] * std::sin(a),
                                  n.origin.y + cols[j] * std::cos(a)};
                } else {
                    r.position = {cols[j], rows[i]};
                }
                if (auto it = g.elev.find(int(i) + 1); it != g.elev.end())
                    r.elevation_m = it->second[j] * (receptorElevFeet_ ? kFeetToMetres : 1.0);
                r.flagpole_m = defaultFlagpole_m_;
                if (auto it = g.flag.find(int(i) + 1); it != g.flag.end())
                    r.flagpole_m = it->second[j];
                d_.receptors.push_back(r);
            }
        n.receptorCount = d_.receptors.size() - n.firstReceptor;
        d_.networks.push_back(n);
        grid_.reset();
    }

    // ---- ME ------------------------------------------------------------------------------
    void meteorology(const std::vector<std::string>& f) {
        Meteorology& m = d_.met;
        const std::string& k = keyword_;
        if (k == "INPUTFIL") {
            need(f, 1, "a met file name");
            m.inputFile = f[0];
            if (m.inputFile.is_relative())
                m.inputFile = d_.path.parent_path() / m.inputFile;
            m.inputLine = line_;
            if (f.size() > 1) {
                std::string fmt;
                for (size_t i = 1; i < f.size(); ++i)
                    fmt += upper(f[i]);
                if (fmt != "(4I2,2F9.4,F6.1,I2,2F7.1)")
                    unsupported("met format '" + fmt + "' (ParkTwin reads ISC ASCII files in "
                                                      "the default (4I2,2F9.4,F6.1,I2,2F7.1))");
            }
        } else if (k == "ANEMHGHT") {
            need(f, 1, "the anemometer height");
            m.anemometerHeight_m = number(f[0], "the anemometer height");
            if (f.size() > 1) {
                const std::string u = upper(f[1]);
                if (u == "FEET")
                    m.anemometerHeight_m *= kFeetToMetres;
                else if (u != "METERS")
                    fail(line_, "ANEMHGHT units are METERS or FEET, not '" + f[1] + "'");
            }
            if (!(m.anemometerHeight_m > 0) || m.anemometerHeight_m > 1000)
                fail(line_, "anemometer height must be above 0 and at most 1000 m");
        } else if (k == "SURFDATA" || k == "UAIRDATA") {
            need(f, 2, "a station number and a year");
            const long station = integer(f[0], "the station number");
            long year = integer(f[1], "the year");
            if (year < 100)
                year += year >= 50 ? 1900 : 2000;
            const std::string name = f.size() > 2 ? f[2] : "";
            if (k == "SURFDATA") {
                m.surfaceStation = station;
                m.surfaceYear = year;
                m.surfaceName = name;
            } else {
                m.upperStation = station;
                m.upperYear = year;
                m.upperName = name;
            }
        } else if (k == "DAYRANGE") {
            dayRange(f);
        } else if (k == "STARTEND") {
            need(f, 6, "YY MM DD [HH] YY MM DD [HH]");
            const bool hours = f.size() >= 8;
            auto stamp = [&](size_t at, int defaultHour) {
                int y = integer(f[at], "the year");
                if (y < 100)
                    y += y >= 50 ? 1900 : 2000;
                const int mo = integer(f[at + 1], "the month");
                const int dd = integer(f[at + 2], "the day");
                const int hh = hours ? integer(f[at + 3], "the hour") : defaultHour;
                if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh < 1 || hh > 24)
                    fail(line_, "STARTEND date out of range");
                return std::int64_t(y) * 1000000 + mo * 10000 + dd * 100 + hh;
            };
            m.start = stamp(0, 1);
            m.end = stamp(hours ? 4 : 3, 24);
            if (*m.end < *m.start)
                fail(line_, "STARTEND ends before it starts");
        } else if (k == "WDROTATE" || k == "WINDCATS" || k == "SCIMBYHR") {
            unsupported("ME " + k);
        } else {
            unknownKeyword();
        }
    }

    /// DAYRANGE: Julian days "5", ranges "1-10", and month/day forms "1/15" or "1/1-1/31".
    void dayRange(const std::vector<std::string>& f) {
        Meteorology& m = d_.met;
        if (m.days.empty())
            m.days.assign(367, false);
        const int year = m.surfaceYear ? int(m.surfaceYear) : 2001;
        auto julian = [&](const std::string& t) {
            const auto slash = t.find('/');
            if (slash == std::string::npos) {
                const int j = integer(t, "a Julian day");
                if (j < 1 || j > 366)
                    fail(line_, "Julian day " + t + " outside 1-366");
                return j;
            }
            const int mo = integer(t.substr(0, slash), "the month");
            const int dd = integer(t.substr(slash + 1), "the day");
            using namespace std::chrono;
            const year_month_day ymd{std::chrono::year(year), month(unsigned(mo)),
                                     day(unsigned(dd))};
            if (!ymd.ok())
                fail(line_, "no such date " + t);
            return int((sys_days(ymd) - sys_days(std::chrono::year(year) / January / 1)).count()) +
                   1;
        };
        for (const std::string& t : f) {
            const auto dash = t.find('-');
            const int a = julian(t.substr(0, dash));
            const int b = dash == std::string::npos ? a : julian(t.substr(dash + 1));
            if (b < a)
                fail(line_, "day range " + t + " ends before it starts");
            for (int j = a; j <= b; ++j)
                m.days[size_t(j)] = true;
        }
    }

    // ---- OU ------------------------------------------------------------------------------
    /// Averaging periods an OU record applies to: one period, or every short-term one for
    /// ALLAVE.
    std::vector<int> periodsOf(const std::string& tok, bool allowPeriod) const {
        const std::string o = upper(tok);
        const Control& c = d_.control;
        if (o == "ALLAVE")
            return c.periods_h;
        if (o == "PERIOD" || o == "ANNUAL") {
            if (!allowPeriod)
                fail(line_, keyword_ + " takes short-term averaging times, not " + o);
            if (!c.periodAverage)
                fail(line_, o + " is not among the CO AVERTIME averages");
            return {0};
        }
        const int h = integer(tok, "an averaging time");
        if (std::find(c.periods_h.begin(), c.periods_h.end(), h) == c.periods_h.end())
            fail(line_, "averaging time " + tok + " is not among the CO AVERTIME averages");
        return {h};
    }

    int rankOf(const std::string& tok) const {
        static const char* words[] = {"FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH",
                                      "SIXTH", "SEVENTH", "EIGHTH", "NINTH", "TENTH"};
        static const char* short_[] = {"1ST", "2ND", "3RD", "4TH", "5TH",
                                       "6TH", "7TH", "8TH", "9TH", "10TH"};
        const std::string o = upper(tok);
        for (int i = 0; i < 10; ++i)
            if (o == words[i] || o == short_[i])
                return i + 1;
        fail(line_, "unknown high value '" + tok + "' (expected FIRST..TENTH or 1ST..10TH)");
    }

    const std::string& group(const std::string& tok) const {
        for (const SourceGroup& g : d_.groups)
            if (g.id == upper(tok))
                return g.id;
        fail(line_, "no source group '" + tok + "' on the SO pathway");
    }

    void outputs(const std::vector<std::string>& f) {
        Outputs& o = d_.outputs;
        const std::string& k = keyword_;
        if (k == "RECTABLE") {
            need(f, 2, "an averaging time and the high values");
            int ranks = 0;
            for (size_t i = 1; i < f.size(); ++i) {
                const auto dash = f[i].find('-');
                ranks = std::max(ranks, rankOf(dash == std::string::npos ? f[i]
                                                                          : f[i].substr(dash + 1)));
                if (dash != std::string::npos)
                    rankOf(f[i].substr(0, dash));
            }
            for (int p : periodsOf(f[0], false))
                o.recTables.push_back({p, ranks});
        } else if (k == "MAXTABLE") {
            need(f, 2, "an averaging time and the number of values");
            const int n = integer(f[1], "the number of values");
            if (n < 1 || n > 10000)
                fail(line_, "MAXTABLE needs 1-10000 values");
            for (int p : periodsOf(f[0], false))
                o.maxTables.push_back({p, n});
        } else if (k == "MAXIFILE") {
            need(f, 4, "an averaging time, a group, a threshold and a file name");
            const double thr = number(f[2], "the threshold");
            for (int p : periodsOf(f[0], false))
                o.maxiFiles.push_back({p, group(f[1]), thr, f[3], line_});
        } else if (k == "POSTFILE") {
            need(f, 4, "an averaging time, a group, a format and a file name");
            const std::string fmt = upper(f[2]);
            if (fmt == "UNFORM")
                unsupported("POSTFILE format UNFORM (use PLOT)");
            if (fmt != "PLOT")
                fail(line_, "POSTFILE format is PLOT or UNFORM, not '" + f[2] + "'");
            for (int p : periodsOf(f[0], true))
                o.postFiles.push_back({p, group(f[1]), f[3], line_});
        } else if (k == "PLOTFILE") {
            need(f, 3, "an averaging time, a group and a file name");
            const std::vector<int> ps = periodsOf(f[0], true);
            for (int p : ps) {
                if (p == 0)
                    o.plotFiles.push_back({0, group(f[1]), 0, f[2], line_});
                else {
                    need(f, 4, "an averaging time, a group, a high value and a file name");
                    o.plotFiles.push_back({p, group(f[1]), rankOf(f[2]), f[3], line_});
                }
            }
        } else if (k == "DAYTABLE" || k == "TOXXFILE" || k == "EVENTOUT" || k == "SEASONHR" ||
                   k == "RANKFILE" || k == "NOHEADER") {
            unsupported("OU " + k);
        } else {
            unknownKeyword();
        }
    }

    // ---- checks at the end of each pathway ------------------------------------------------
    void closePathway() {
        if (pathway_ == "CO") {
            Control& c = d_.control;
            if (!conc_)
                fail(line_, "MODELOPT must include CONC (ParkTwin computes concentrations)");
            if (rural_ == c.urban)
                fail(line_, "MODELOPT must give exactly one of RURAL and URBAN");
            if (c.periods_h.empty() && !c.periodAverage)
                fail(line_, "CO AVERTIME is missing");
            if (c.pollutant.empty())
                fail(line_, "CO POLLUTID is missing");
        } else if (pathway_ == "SO") {
            if (d_.sources.empty())
                fail(line_, "no sources on the SO pathway");
            for (const Source& s : d_.sources) {
                if (!s.hasParams)
                    fail(s.line, "source '" + s.id + "' has no SRCPARAM");
                const size_t nh = s.buildingHeights_m.size(), nw = s.buildingWidths_m.size();
                if ((nh || nw) && (nh != 36 || nw != 36))
                    fail(s.buildingLine, "source '" + s.id + "' has " + std::to_string(nh) +
                                             " BUILDHGT and " + std::to_string(nw) +
                                             " BUILDWID values; ISCST3 needs 36 of each");
            }
            for (Source& s : d_.sources)
                if (!s.buildingHeights_m.empty()) {
                    dispersion::BuildingWakeTable t{};
                    for (size_t i = 0; i < 36; ++i)
                        t[i] = {s.buildingHeights_m[i], s.buildingWidths_m[i]};
                    s.point.buildings = t;
                }
            if (d_.groups.empty())
                fail(line_, "no SRCGROUP on the SO pathway");
        } else if (pathway_ == "RE") {
            if (grid_)
                fail(grid_->line, "network '" + grid_->net.id + "' has no END record");
            if (d_.receptors.empty())
                fail(line_, "no receptors on the RE pathway");
        } else if (pathway_ == "ME") {
            if (d_.met.inputLine == 0)
                fail(line_, "ME INPUTFIL is missing");
        }
    }

    void finish() {
        if (d_.control.elevatedTerrain)
            return;
        // TERRHGTS FLAT: receptor and source elevations play no part.
        for (Receptor& r : d_.receptors)
            r.elevation_m = 0;
    }

    Deck& d_;
    std::string file_;
    int line_ = 0;
    std::string pathway_, keyword_;
    bool open_ = false;
    bool rural_ = false, conc_ = false;
    bool sourceElevFeet_ = false, receptorElevFeet_ = false;
    double defaultFlagpole_m_ = 0;
    std::optional<PendingGrid> grid_;
};

} // namespace

Deck readDeck(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in)
        throw InputError(file.string(), "", "cannot open the control file");
    Deck d;
    d.path = file;
    Parser(d).parse(in);
    log::get("isc").info("{}: {} sources, {} receptors, {} source groups", file.string(),
                         d.sources.size(), d.receptors.size(), d.groups.size());
    return d;
}

} // namespace parktwin::isc
