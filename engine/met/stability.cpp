#include "engine/met/stability.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "engine/met/solar.h"

namespace parktwin::met {

int insolationClass(double solarElevation_deg) {
    if (solarElevation_deg > 60.0)
        return 4;
    if (solarElevation_deg > 35.0)
        return 3;
    if (solarElevation_deg > 15.0)
        return 2;
    return 1;
}

int netRadiationIndex(double solarElevation_deg) {
    // Without cloud cover every night is taken as clear (index -2) and every day as having
    // no cloud correction; see the header.
    return solarElevation_deg > 0.0 ? insolationClass(solarElevation_deg) : -2;
}

Stability turnerStability(int netRadiationIndex, double windSpeed_ms) {
    // Table 6-4 rows are by whole knots: 0-1, 2-3, 4-5, 6, 7, 8-9, 10, 11, >= 12.
    // Columns are net radiation index 4, 3, 2, 1, 0, -1, -2; 7 stands for Turner's G.
    static constexpr int table[9][7] = {
        {1, 1, 2, 3, 4, 6, 7}, // 0, 1 kt
        {1, 2, 2, 3, 4, 6, 7}, // 2, 3
        {1, 2, 3, 4, 4, 5, 6}, // 4, 5
        {2, 2, 3, 4, 4, 5, 6}, // 6
        {2, 2, 3, 4, 4, 4, 5}, // 7
        {2, 3, 3, 4, 4, 4, 5}, // 8, 9
        {3, 3, 4, 4, 4, 4, 5}, // 10
        {3, 3, 4, 4, 4, 4, 4}, // 11
        {3, 4, 4, 4, 4, 4, 4}, // >= 12
    };
    constexpr double knotsPerMs = 1.0 / 0.514444;
    const int knots = int(std::lround(std::max(windSpeed_ms, 0.0) * knotsPerMs));
    int row;
    if (knots <= 1)
        row = 0;
    else if (knots <= 3)
        row = 1;
    else if (knots <= 5)
        row = 2;
    else if (knots <= 7)
        row = knots - 3; // 6 -> 3, 7 -> 4
    else if (knots <= 9)
        row = 5;
    else if (knots <= 11)
        row = knots - 4; // 10 -> 6, 11 -> 7
    else
        row = 8;
    const int column = 4 - std::clamp(netRadiationIndex, -2, 4);
    return Stability(std::min(table[row][column], 6));
}

const char* turnerMethodText() {
    return "Turner (1964) net radiation index from solar elevation (Meeus 1991 solar position) "
           "and 10 m wind, EPA-454/R-99-005 section 6.4 tables 6-4/6-5; no cloud observations: "
           "night from 1 h before sunset to 1 h after sunrise as Turner defines it; "
           "daytime without cloud correction, every night taken as clear sky (index -2); "
           "class G merged into F";
}

Stability turnerStabilityAt(UtcTime hourMiddle, double latitude_deg, double longitude_deg,
                            double windSpeed_ms) {
    const auto sunAt = [&](UtcTime t) {
        return solarElevation_deg(t, latitude_deg, longitude_deg);
    };
    const double elevation_deg = sunAt(hourMiddle);
    const bool daytime = elevation_deg > 0.0 && sunAt(hourMiddle - std::chrono::hours(1)) > 0.0 &&
                         sunAt(hourMiddle + std::chrono::hours(1)) > 0.0;
    return turnerStability(daytime ? netRadiationIndex(elevation_deg) : -2, windSpeed_ms);
}

} // namespace parktwin::met
