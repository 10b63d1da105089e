#include "engine/isc/outputs.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <sstream>

#include "engine/core/error.h"

namespace parktwin::isc {
namespace {

std::string format(const char* fmt, ...) {
    char buf[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

std::string periodLabel(int period_h) {
    return period_h == 0 ? "PERIOD" : format("%2d-HR", period_h);
}

std::string rankLabel(int rank) {
    static const char* labels[] = {"1ST", "2ND", "3RD", "4TH", "5TH",
                                   "6TH", "7TH", "8TH", "9TH", "10TH"};
    return rank >= 1 && rank <= 10 ? labels[rank - 1] : std::to_string(rank) + "TH";
}

std::string modelOptions(const Deck& d) {
    const Control& c = d.control;
    return format("CONC                    %s %s         %s", c.urban ? "URBAN" : "RURAL",
                  c.elevatedTerrain ? "ELEV" : "FLAT", c.regulatoryDefault ? "DFAULT" : "");
}

std::string netId(const Deck& d, const Receptor& r) {
    return r.network >= 0 ? d.networks[size_t(r.network)].id : "";
}

/// The header records every ISCST3 output file starts with.
void fileHeader(std::ostream& out, const Deck& d) {
    out << "* ISCST3 (02035) layout, written by ParkTwin: " << d.control.title1 << "\n";
    out << "* MODELING OPTIONS USED:\n";
    out << "* " << modelOptions(d) << "\n";
}

size_t groupIndex(const Deck& d, const std::string& id) {
    for (size_t g = 0; g < d.groups.size(); ++g)
        if (d.groups[g].id == id)
            return g;
    throw Error("no source group " + id);
}

size_t periodIndex(const Deck& d, int period_h) {
    const auto& ps = d.control.periods_h;
    return size_t(std::find(ps.begin(), ps.end(), period_h) - ps.begin());
}

} // namespace

std::filesystem::path outputPath(const std::filesystem::path& outDir, const std::string& name) {
    const std::filesystem::path p(name);
    return outDir / (p.is_absolute() ? p.filename() : p);
}

struct OutputFiles::Stream {
    std::string name;
    std::ofstream out;
};

OutputFiles::OutputFiles(const Deck& deck, const std::filesystem::path& outDir)
    : deck_(deck), outDir_(outDir) {
    const Outputs& o = deck.outputs;
    for (const MaxiFile& m : o.maxiFiles) {
        std::ofstream& out = open(m.file);
        fileHeader(out, deck);
        out << format("*         MAXI-FILE FOR %s VALUES FOR SOURCE GROUP: %-8s\n",
                      periodLabel(m.period_h).c_str(), m.group.c_str());
        out << format("*         FOR THRESHOLD VALUE = %14.5f\n", m.threshold);
        out << "*         FORMAT: (1X,I3,1X,A8,1X,I8.8,2(1X,F13.5),2(1X,F7.2),1X,F13.5)\n";
    }
    for (const PostFile& p : o.postFiles) {
        std::ofstream& out = open(p.file);
        fileHeader(out, deck);
        out << format("*         POST/PLOT FILE OF CONCURRENT %s VALUES FOR SOURCE GROUP: %-8s\n",
                      periodLabel(p.period_h).c_str(), p.group.c_str());
        out << format("*         FOR A TOTAL OF %5zu RECEPTORS.\n", deck.receptors.size());
        out << "*         FORMAT: (3(1X,F13.5),2(1X,F8.2),2X,A6,2X,A8,2X,I8.8,2X,A8)\n";
        out << "*        X             Y      AVERAGE CONC    ZELEV    ZFLAG    AVE     GRP "
               "      DATE     NET ID\n";
        out << "* ____________  ____________  ____________  ______   ______  ______  ________"
               "  ________  ________\n";
    }
}

OutputFiles::~OutputFiles() = default;

std::ofstream& OutputFiles::open(const std::string& name) {
    for (auto& s : streams_)
        if (s->name == name)
            return s->out;
    const std::filesystem::path path = outputPath(outDir_, name);
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path());
    auto s = std::make_unique<Stream>();
    s->name = name;
    s->out.open(path);
    if (!s->out)
        throw InputError(path.string(), "", "cannot write this output file");
    written_.push_back(path);
    streams_.push_back(std::move(s));
    return streams_.back()->out;
}

BlockSink OutputFiles::sink() {
    return [this](std::size_t g, std::size_t p, const dispersion::IscHour& h,
                  std::span<const double> v, bool calm, bool missing) {
        block(g, p, h, v, calm, missing);
    };
}

void OutputFiles::block(std::size_t g, std::size_t p, const dispersion::IscHour& hour,
                        std::span<const double> averages, bool, bool) {
    const int period_h = deck_.control.periods_h[p];
    const std::string& group = deck_.groups[g].id;
    for (const MaxiFile& m : deck_.outputs.maxiFiles) {
        if (m.period_h != period_h || m.group != group)
            continue;
        std::ofstream& out = open(m.file);
        for (size_t r = 0; r < averages.size(); ++r)
            if (averages[r] >= m.threshold) {
                if (!deck_.control.eventFile.empty())
                    exceedances_.push_back({period_h, g, hour.stamp(), r});
                const Receptor& rc = deck_.receptors[r];
                out << format(" %3d %-8s %08lld %13.5f %13.5f %7.2f %7.2f %13.5f\n", period_h,
                              group.c_str(), (long long)hour.stamp(), rc.position.x,
                              rc.position.y, rc.elevation_m, rc.flagpole_m, averages[r]);
            }
    }
    for (const PostFile& pf : deck_.outputs.postFiles) {
        if (pf.period_h != period_h || pf.group != group)
            continue;
        std::ofstream& out = open(pf.file);
        for (size_t r = 0; r < averages.size(); ++r) {
            const Receptor& rc = deck_.receptors[r];
            out << format(" %13.5f %13.5f %13.5f %8.2f %8.2f  %-6s  %-8s  %08lld  %-8s\n",
                          rc.position.x, rc.position.y, averages[r], rc.elevation_m,
                          rc.flagpole_m, periodLabel(period_h).c_str(), group.c_str(),
                          (long long)hour.stamp(), netId(deck_, rc).c_str());
        }
    }
}

void OutputFiles::finish(const RunResult& result) {
    for (const PostFile& pf : deck_.outputs.postFiles) {
        if (pf.period_h != 0)
            continue;
        const auto& acc = result.groups[groupIndex(deck_, pf.group)].averages;
        std::ofstream& out = open(pf.file);
        for (size_t r = 0; r < deck_.receptors.size(); ++r) {
            const Receptor& rc = deck_.receptors[r];
            out << format(" %13.5f %13.5f %13.5f %8.2f %8.2f  %-6s  %-8s  %8ld  %-8s\n",
                          rc.position.x, rc.position.y, acc.periodAverage(r), rc.elevation_m,
                          rc.flagpole_m, "PERIOD", pf.group.c_str(), result.hours,
                          netId(deck_, rc).c_str());
        }
    }
    for (const PlotFile& pf : deck_.outputs.plotFiles) {
        std::ofstream& out = open(pf.file);
        const auto& acc = result.groups[groupIndex(deck_, pf.group)].averages;
        fileHeader(out, deck_);
        if (pf.period_h == 0)
            out << format("*         PLOT FILE OF PERIOD VALUES FOR SOURCE GROUP: %-8s\n",
                          pf.group.c_str());
        else
            out << format("*         PLOT FILE OF %5s HIGHEST %s VALUES FOR SOURCE GROUP: %-8s\n",
                          rankLabel(pf.rank).c_str(), periodLabel(pf.period_h).c_str(),
                          pf.group.c_str());
        out << format("*         FOR A TOTAL OF %5zu RECEPTORS.\n", deck_.receptors.size());
        if (pf.period_h == 0) {
            out << "*         FORMAT: (3(1X,F13.5),2(1X,F8.2),2X,A6,2X,A8,2X,I8,2X,A8)\n";
            out << "*        X             Y      AVERAGE CONC    ZELEV    ZFLAG    AVE     GRP"
                   "      NUM HRS   NET ID\n";
        } else {
            out << "*         FORMAT: (3(1X,F13.5),2(1X,F8.2),2X,A6,2X,A8,2X,A5,5X,A8,2X,I8.8)\n";
            out << "*        X             Y      AVERAGE CONC    ZELEV    ZFLAG    AVE     GRP"
                   "       HIVAL    NET ID   DATE(CONC)\n";
        }
        out << "* ____________  ____________  ____________  ______   ______  ______  ________"
               "  ________  ________\n";
        for (size_t r = 0; r < deck_.receptors.size(); ++r) {
            const Receptor& rc = deck_.receptors[r];
            if (pf.period_h == 0) {
                out << format(" %13.5f %13.5f %13.5f %8.2f %8.2f  %-6s  %-8s  %8ld  %-8s\n",
                              rc.position.x, rc.position.y, acc.periodAverage(r), rc.elevation_m,
                              rc.flagpole_m, "PERIOD", pf.group.c_str(), result.hours,
                              netId(deck_, rc).c_str());
            } else {
                const auto& v = acc.highest(periodIndex(deck_, pf.period_h), r, pf.rank - 1);
                out << format(" %13.5f %13.5f %13.5f %8.2f %8.2f  %-6s  %-8s  %-5s     %-8s  "
                              "%08lld\n",
                              rc.position.x, rc.position.y, std::max(v.value, 0.0),
                              rc.elevation_m, rc.flagpole_m, periodLabel(pf.period_h).c_str(),
                              pf.group.c_str(), rankLabel(pf.rank).c_str(),
                              netId(deck_, rc).c_str(), (long long)v.stamp);
            }
        }
    }
    if (!deck_.control.eventFile.empty())
        writeEventFile(result);
    if (!deck_.control.errorFile.empty())
        writeMessageFile(result);
    for (auto& s : streams_) {
        s->out.flush();
        if (!s->out)
            throw InputError(outputPath(outDir_, s->name).string(), "", "write failed");
    }
    streams_.clear();
}

namespace {

/// The pathway of each echoed deck line: a line opening with a two-letter pathway sets it,
/// a continuation line keeps the one before; comment lines get none.
std::vector<std::pair<std::string, std::string>> pathwayLines(const Deck& d) {
    std::vector<std::pair<std::string, std::string>> lines;
    std::string pathway;
    for (const std::string& line : d.echo) {
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line.compare(first, 2, "**") == 0)
            continue;
        if (first == 0 && line.size() >= 2)
            pathway = line.substr(0, 2);
        lines.emplace_back(pathway, line);
    }
    return lines;
}

/// The keyword of a deck line (the word after the pathway, or the first word of a
/// continuation line).
std::string keywordOf(const std::string& line) {
    std::istringstream words(line.substr(line.size() >= 2 && line[0] != ' ' ? 2 : 0));
    std::string k;
    words >> k;
    return k;
}

} // namespace

// The runstream of ISC's short-term event model (ISC3 user's guide, volume I, sections 3.2.9
// and 3.6): the deck's CO, SO and ME pathways, and an EV pathway with one event per design
// value of the RECTABLE tables (the highest value of each rank over all receptors, named
// H1H00001, H2H00002, ...) and per MAXIFILE threshold exceedance (TH000001, ...), each an
// EVENTPER (averaging period, source group, YYMMDDHH of the period's last hour) and an
// EVENTLOC (XR=, YR=, elevation, flagpole).
void OutputFiles::writeEventFile(const RunResult& result) {
    std::ofstream& out = open(deck_.control.eventFile);
    struct Event {
        std::string name;
        int period_h;
        std::size_t group;
        std::int64_t stamp;
        std::size_t receptor;
    };
    std::vector<Event> events;
    int serial = 0;
    for (std::size_t g = 0; g < deck_.groups.size(); ++g)
        for (const RecTable& t : deck_.outputs.recTables) {
            if (t.period_h == 0)
                continue;
            const auto& acc = result.groups[g].averages;
            const std::size_t p = periodIndex(deck_, t.period_h);
            for (int rank = 1; rank <= t.ranks; ++rank) {
                std::size_t best = 0;
                for (std::size_t r = 1; r < deck_.receptors.size(); ++r)
                    if (acc.highest(p, r, rank - 1).value > acc.highest(p, best, rank - 1).value)
                        best = r;
                const dispersion::RankedValue& v = acc.highest(p, best, rank - 1);
                if (!(v.value > 0))
                    continue;
                const std::string prefix = format("H%dH", rank);
                // Event names have eight characters: the prefix, then the serial number.
                const int width = std::max(1, 8 - int(prefix.size()));
                events.push_back({prefix + format("%0*d", width, ++serial), t.period_h, g,
                                  v.stamp, best});
            }
        }
    int thresholds = 0;
    for (const Exceedance& e : exceedances_)
        events.push_back({format("TH%06d", ++thresholds), e.period_h, e.group, e.stamp,
                          e.receptor});

    out << "** ISC short-term event model runstream written by ParkTwin from "
        << deck_.path.filename().string() << ":\n** " << serial
        << " design values (RECTABLE) and " << thresholds
        << " threshold exceedances (MAXIFILE)\n";
    const auto lines = pathwayLines(deck_);
    auto copyPathway = [&](const std::string& pathway, auto keep) {
        for (const auto& [pw, line] : lines)
            if (pw == pathway && keep(line))
                out << line << "\n";
    };
    copyPathway("CO", [&](const std::string& line) {
        const std::string k = keywordOf(line);
        if (k == "FINISHED") {
            // The event model takes the short-term averaging times only.
            out << "   AVERTIME ";
            for (int p : deck_.control.periods_h)
                out << " " << p;
            out << "\n";
        }
        return k != "EVENTFIL" && k != "ERRORFIL" && k != "AVERTIME";
    });
    copyPathway("SO", [](const std::string&) { return true; });
    out << "EV STARTING\n";
    for (const Event& e : events)
        out << format("   EVENTPER  %-8s  %3d  %-8s  %08lld\n", e.name.c_str(), e.period_h,
                      deck_.groups[e.group].id.c_str(), (long long)e.stamp);
    for (const Event& e : events) {
        const Receptor& rc = deck_.receptors[e.receptor];
        out << format("   EVENTLOC  %-8s  XR= %12.2f  YR= %12.2f  %9.2f  %7.2f\n",
                      e.name.c_str(), rc.position.x, rc.position.y, rc.elevation_m,
                      rc.flagpole_m);
    }
    out << "EV FINISHED\n";
    copyPathway("ME", [&](const std::string& line) {
        // The met file by its full path: the runstream sits in the output folder.
        if (keywordOf(line) == "INPUTFIL") {
            out << "   INPUTFIL  " << deck_.met.inputFile.string() << "\n";
            return false;
        }
        return true;
    });
    out << "OU STARTING\n   EVENTOUT  DETAIL\nOU FINISHED\n";
}

// Every message of the run, one per line: pathway, type (E fatal error, W warning,
// I informational), the deck line or the YYMMDDHH hour it concerns, and the text. A run that
// reaches this point had no fatal error: those stop ParkTwin at the deck line.
void OutputFiles::writeMessageFile(const RunResult& result) {
    std::ofstream& out = open(deck_.control.errorFile);
    out << "** Messages of the ParkTwin ISC run of " << deck_.path.filename().string() << "\n";
    out << format("** %d fatal error(s), %d warning(s), %zu informational message(s)\n", 0, 0,
                  result.calmStamps.size());
    for (std::int64_t stamp : result.calmStamps)
        out << format("ME I  %08lld  calm hour in the met file: no concentrations; counted "
                      "as zero in the averages it falls in (ISC3 calm processing)\n",
                      (long long)stamp);
}

} // namespace parktwin::isc
