#pragma once
// Truck exhaust: emission factors of heavy-duty diesel classes by speed and at idle, and the
// hourly line sources (traffic on links) and volume sources (idling at gates and docks) they
// give for the dispersion engine.

#include <optional>
#include <string>
#include <vector>

#include "engine/dispersion/volume_area.h"
#include "engine/logistics/des.h"
#include "engine/physics/park_world.h"

namespace parktwin::logistics {

enum class Pollutant { NOx, PM, CO2 };

/// Reads a pollutant name as scenarios write it: "NOX"/"NO2"/"NOx" (NOx as NO2 mass),
/// "PM"/"PM10"/"PM2.5" (exhaust particles), "CO2". Nothing for others (trucks' SO2 is not
/// modelled: diesel sulphur is too low for these factors to carry it).
std::optional<Pollutant> parsePollutant(const std::string& name);

/// Emission rate of one truck at a steady speed v on level road: idle_mgs + perMetre_mgm * v
/// milligrams per second, so perMetre_mgm + idle_mgs / v milligrams per metre (= grams per km)
/// on the move. A truck standing in a queue with its engine at low idle emits queueIdle_mgs.
struct EmissionFactor {
    double idle_mgs = 0;      ///< the moving fit's rate at zero speed
    double perMetre_mgm = 0;
    double queueIdle_mgs = 0; ///< standing at low idle

    double gramsPerKm(double speed_ms) const { return perMetre_mgm + idle_mgs / speed_ms; }
    double gramsPerHourIdle() const { return queueIdle_mgs * 3.6; }
};

/// The factor of an HBEFA3 heavy-duty diesel class ("HDV_D_EU3" ... "HDV_D_EU6"); nothing for
/// an unknown class. The queue idling rates are checked against measured idling trucks in
/// emissions.cpp.
std::optional<EmissionFactor> emissionFactor(const std::string& truckClass, Pollutant p);

/// Classes emissionFactor knows.
std::vector<std::string> truckClasses();

/// Hourly sources of one pollutant from a finished simulation.
struct HourlySources {
    int hour = 0; ///< hour index from the run's start
    std::vector<dispersion::LineSource> lines;
    std::vector<dispersion::VolumeSource> volumes;
    double totalGrams = 0;
};

/// Traffic on every link in every hour becomes a line source along the link, its rate the
/// grams of the trucks that entered it that hour (idle term over their time on the link, per
/// metre term over their distance) spread over the hour and the link's length; idling in the
/// queues of each gate and dock (at queueIdle_mgs) becomes a volume source at its node.
/// `world`, when given, sets each source's base elevation on the ground. Release heights
/// follow US EPA (2015), Transportation Conformity Guidance for Quantitative Hot-spot Analyses
/// of PM2.5 and PM10, EPA-420-B-15-084, appendix J: plume top 1.7 x vehicle height (4 m
/// trucks: 6.8 m), release height half of it, initial sigma-z the top over 2.15; road width
/// plus 3 m each side (CALINE3's mixing zone, Benson 1979).
std::vector<HourlySources> hourlySources(const Simulation& sim, const std::string& truckClass,
                                         Pollutant pollutant,
                                         const physics::ParkWorld* world = nullptr);

} // namespace parktwin::logistics
