#include "engine/isc/run.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "engine/core/error.h"
#include "engine/core/log.h"
#include "engine/dispersion/hour_pool.h"
#include "engine/dispersion/volume_area.h"
#include "engine/met/isc_ascii_met.h"

namespace parktwin::isc {
namespace {

/// ISC3's default decay for SO2 in urban mode: a 4-hour half-life (vol I, CO HALFLIFE).
constexpr double kUrbanSo2HalfLife_s = 4.0 * 3600.0;

/// The stamp of the hour a MetHour covers: hour ending 1-24, local standard time. The met is
/// read at a zero offset, so its UTC fields are the file's local clock.
dispersion::IscHour iscHourOf(const MetHour& h) {
    using namespace std::chrono;
    const auto end = h.start + hours(1);
    auto day = floor<days>(end);
    int hourEnding = int(duration_cast<hours>(end - day).count());
    if (hourEnding == 0) {
        hourEnding = 24;
        day -= days(1);
    }
    const year_month_day ymd{day};
    return {int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), hourEnding};
}

int julianDay(const dispersion::IscHour& h) {
    using namespace std::chrono;
    const sys_days d{year(h.year) / month(unsigned(h.month)) / day(unsigned(h.day))};
    return int((d - sys_days{year(h.year) / January / 1}).count()) + 1;
}

std::int64_t longStamp(const dispersion::IscHour& h) {
    return std::int64_t(h.year) * 1000000 + h.month * 10000 + h.day * 100 + h.hourEnding;
}

/// The decay coefficient ISC3 applies (vol I, CO HALFLIFE and DCAYCOEF; vol II section
/// 1.1.7): under the regulatory default only SO2 in urban mode decays, with a 4-hour
/// half-life; otherwise the deck's DCAYCOEF or HALFLIFE, or that same SO2 default.
double decayCoefficient(const Control& c) {
    const double so2Urban = c.urban && c.pollutant == "SO2" ? std::log(2.0) / kUrbanSo2HalfLife_s
                                                            : 0.0;
    if (c.regulatoryDefault)
        return so2Urban;
    if (c.decayCoef_per_s)
        return *c.decayCoef_per_s;
    if (c.halfLife_s)
        return std::log(2.0) / *c.halfLife_s;
    return so2Urban;
}

} // namespace

RunResult runDeck(const Deck& deck, const BlockSink& sink, const Progress& progress,
                  int threads) {
    const Control& c = deck.control;
    const Meteorology& m = deck.met;
    if (!std::filesystem::is_regular_file(m.inputFile))
        throw InputError(deck.path.string(), "line " + std::to_string(m.inputLine),
                         "met file " + m.inputFile.string() + " not found");
    std::vector<int> lines;
    const MetSeries met =
        met::readIscAsciiMet(m.inputFile, UtcOffset{0}, m.anemometerHeight_m,
                             c.urban ? met::IscMixing::Urban : met::IscMixing::Rural, &lines);
    // ISCST3 reads its met file hour after hour: a gap is an error, not a calm.
    for (size_t i = 1; i < met.hours.size(); ++i) {
        const auto gap = met.hours[i].start - met.hours[i - 1].start;
        if (gap != std::chrono::hours(1)) {
            const long missing =
                long(std::chrono::duration_cast<std::chrono::hours>(gap).count()) - 1;
            throw InputError(m.inputFile.string(), "line " + std::to_string(lines[i]),
                             "hour " + std::to_string(iscHourOf(met.hours[i]).stamp()) +
                                 " follows hour " +
                                 std::to_string(iscHourOf(met.hours[i - 1]).stamp()) +
                                 " of line " + std::to_string(lines[i - 1]) + ": " +
                                 std::to_string(missing) + " hour(s) missing");
        }
    }

    std::vector<std::size_t> selected;
    RunResult result;
    for (size_t i = 0; i < met.hours.size(); ++i) {
        const dispersion::IscHour h = iscHourOf(met.hours[i]);
        result.calmHoursInFile += met.hours[i].calm;
        if (met.hours[i].calm)
            result.calmStamps.push_back(h.stamp());
        if (!m.days.empty() && !m.days[size_t(julianDay(h))])
            continue;
        if ((m.start && longStamp(h) < *m.start) || (m.end && longStamp(h) > *m.end))
            continue;
        selected.push_back(i);
    }
    if (selected.empty())
        throw InputError(deck.path.string(), "line " + std::to_string(m.inputLine),
                         "met file " + m.inputFile.string() +
                             " holds none of the hours selected by DAYRANGE/STARTEND");

    dispersion::PlumeOptions options;
    options.landUse = c.urban ? dispersion::LandUse::Urban : dispersion::LandUse::Rural;
    options.stackTipDownwash = c.regulatoryDefault || !c.noStackTipDownwash;
    options.terrain = c.elevatedTerrain;
    options.decayCoefficient_per_s = decayCoefficient(c);
    options.vectorLoop = c.vectorLoop;
    result.decayCoefficient_per_s = options.decayCoefficient_per_s;

    std::vector<dispersion::Receptor> receptors;
    receptors.reserve(deck.receptors.size());
    for (const Receptor& r : deck.receptors)
        receptors.push_back({r.position, r.elevation_m, r.flagpole_m});

    int ranks = 1, topN = 0;
    for (const RecTable& t : deck.outputs.recTables)
        ranks = std::max(ranks, t.ranks);
    for (const PlotFile& p : deck.outputs.plotFiles)
        ranks = std::max(ranks, p.rank);
    for (const MaxTable& t : deck.outputs.maxTables)
        topN = std::max(topN, t.count);

    struct GroupSources {
        std::vector<dispersion::PointSource> points;
        std::vector<dispersion::VolumeSource> volumes;
        std::vector<dispersion::AreaSource> areas;
    };
    std::vector<GroupSources> groupSources;
    for (size_t g = 0; g < deck.groups.size(); ++g) {
        GroupSources gs;
        for (size_t si : deck.groups[g].sources) {
            const Source& s = deck.sources[si];
            if (s.type == SourceType::Point)
                gs.points.push_back(s.point);
            else if (s.type == SourceType::Volume)
                gs.volumes.push_back(s.volume);
            else
                gs.areas.push_back(s.area);
        }
        groupSources.push_back(std::move(gs));
        result.groups.push_back({deck.groups[g].id,
                                 dispersion::AveragingAccumulator(receptors.size(), c.periods_h,
                                                                  ranks, topN)});
        if (sink)
            result.groups.back().averages.onBlock(
                [&sink, g](std::size_t p, const dispersion::IscHour& h,
                           std::span<const double> v, bool calm, bool missing) {
                    sink(g, p, h, v, calm, missing);
                });
    }

    // Hours are computed a block at a time, each hour of each group a task for the next free
    // thread, then added to the averages in order: memory holds one block, whatever the length
    // of the run, and a thread never waits for the others within an hour.
    dispersion::HourPool pool(threads);
    const std::size_t groupCount = groupSources.size();
    const std::size_t blockHours = std::size_t(4 * pool.threads());
    std::vector<std::vector<double>> block(blockHours * groupCount,
                                           std::vector<double>(receptors.size()));
    long done = 0;
    for (std::size_t first = 0; first < selected.size(); first += blockHours) {
        const std::size_t hours = std::min(blockHours, selected.size() - first);
        pool.forEach(hours * groupCount, [&](std::size_t task) {
            const MetHour& hour = met.hours[selected[first + task / groupCount]];
            const GroupSources& gs = groupSources[task % groupCount];
            std::vector<double>& conc = block[task];
            std::fill(conc.begin(), conc.end(), 0.0);
            if (hour.calm)
                return;
            if (!gs.points.empty())
                dispersion::addHourConcentrations(gs.points, hour, receptors, options, conc);
            if (!gs.volumes.empty())
                dispersion::addVolumeHour(gs.volumes, hour, receptors, options, conc);
            if (!gs.areas.empty())
                dispersion::addAreaHour(gs.areas, hour, receptors, options, conc);
        });
        for (std::size_t h = 0; h < hours; ++h) {
            const MetHour& hour = met.hours[selected[first + h]];
            const dispersion::IscHour stamp = iscHourOf(hour);
            if (result.firstDay.size() < 24) {
                result.firstDay.push_back(hour);
                result.firstDayStamps.push_back(stamp);
            }
            ++result.hours;
            result.calmHours += hour.calm;
            for (std::size_t g = 0; g < groupCount; ++g)
                result.groups[g].averages.addHour(stamp, block[h * groupCount + g], hour.calm,
                                                  false);
            if (progress)
                progress(++done, long(selected.size()));
        }
    }
    for (GroupResult& g : result.groups)
        g.averages.onBlock({}); // the sink belongs to the caller
    log::get("isc").info("{}: {} hours ({} calm) for {} receptors", deck.path.string(),
                         result.hours, result.calmHours, receptors.size());
    return result;
}

} // namespace parktwin::isc
