#include "engine/met/solar.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>

namespace parktwin::met {
namespace {

constexpr double kRad = std::numbers::pi / 180.0;

double sinDeg(double a) { return std::sin(a * kRad); }
double cosDeg(double a) { return std::cos(a * kRad); }

} // namespace

double solarElevation_deg(UtcTime t, double latitude_deg, double longitude_deg) {
    using namespace std::chrono;
    const double unixDays = duration<double, days::period>(t.time_since_epoch()).count();
    const double julianDay = unixDays + 2440587.5;
    const double T = (julianDay - 2451545.0) / 36525.0; // Julian centuries since J2000.0

    // Geometric mean longitude, mean anomaly and orbital eccentricity of the sun.
    const double L0 = std::fmod(280.46646 + T * (36000.76983 + T * 0.0003032), 360.0);
    const double M = 357.52911 + T * (35999.05029 - 0.0001537 * T);
    const double e = 0.016708634 - T * (0.000042037 + 0.0000001267 * T);

    // Equation of centre, apparent longitude (nutation and aberration), corrected obliquity.
    const double C = sinDeg(M) * (1.914602 - T * (0.004817 + 0.000014 * T)) +
                     sinDeg(2 * M) * (0.019993 - 0.000101 * T) + sinDeg(3 * M) * 0.000289;
    const double omega = 125.04 - 1934.136 * T;
    const double apparentLong = L0 + C - 0.00569 - 0.00478 * sinDeg(omega);
    const double meanObliquity =
        23.0 + (26.0 + (21.448 - T * (46.815 + T * (0.00059 - T * 0.001813))) / 60.0) / 60.0;
    const double obliquity = meanObliquity + 0.00256 * cosDeg(omega);
    const double declination = std::asin(sinDeg(obliquity) * sinDeg(apparentLong));

    // Equation of time in minutes (Meeus' series in y = tan²(obliquity / 2)).
    const double y = std::pow(std::tan(obliquity * kRad / 2.0), 2);
    const double eqTime_min =
        4.0 / kRad *
        (y * sinDeg(2 * L0) - 2 * e * sinDeg(M) + 4 * e * y * sinDeg(M) * cosDeg(2 * L0) -
         0.5 * y * y * sinDeg(4 * L0) - 1.25 * e * e * sinDeg(2 * M));

    // True solar time and hour angle: 4 minutes of time per degree of longitude.
    const double minutesUtc =
        duration<double, minutes::period>(t - floor<days>(t)).count();
    const double hourAngle = (minutesUtc + eqTime_min + 4.0 * longitude_deg) / 4.0 - 180.0;

    const double lat = latitude_deg * kRad;
    const double cosZenith = std::sin(lat) * std::sin(declination) +
                             std::cos(lat) * std::cos(declination) * cosDeg(hourAngle);
    return 90.0 - std::acos(std::clamp(cosZenith, -1.0, 1.0)) / kRad;
}

} // namespace parktwin::met
