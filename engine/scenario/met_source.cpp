#include "engine/scenario/met_source.h"

#include "engine/core/error.h"
#include "engine/met/isc_ascii_met.h"
#include "engine/met/parktwin_met_csv.h"
#include "engine/met/station_csv.h"

namespace parktwin::scenario {

MetSeries loadMet(const Scenario& scenario) {
    const MetSpec& spec = scenario.met;
    if (!std::filesystem::exists(spec.file))
        throw InputError(spec.file.string(), "", "met file not found (named in " +
                                                     scenario.file.string() + ", [met] file)");
    if (spec.format == "prsa-csv") {
        met::StationInfo info;
        info.name = spec.station;
        info.latitude_deg = spec.latitude_deg;
        info.longitude_deg = spec.longitude_deg;
        info.utcOffset = spec.utcOffset;
        info.anemometerHeight_m = spec.anemometerHeight_m;
        info.landUse = scenario.plume.landUse;
        return met::readStationCsv(spec.file, info, scenario.start, scenario.end);
    }

    // The other formats may cover more than the scenario: keep the scenario's hours.
    MetSeries all =
        spec.format == "isc-ascii"
            ? met::readIscAsciiMet(spec.file, spec.utcOffset, spec.anemometerHeight_m,
                                   scenario.plume.landUse == dispersion::LandUse::Urban
                                       ? met::IscMixing::Urban
                                       : met::IscMixing::Rural)
            : met::readParkTwinMetCsv(spec.file, spec.utcOffset);
    MetSeries kept = all;
    kept.hours.clear();
    for (const MetHour& h : all.hours)
        if (h.start >= scenario.start && h.start < scenario.end)
            kept.hours.push_back(h);
    return kept;
}

} // namespace parktwin::scenario
