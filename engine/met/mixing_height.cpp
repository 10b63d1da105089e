#include "engine/met/mixing_height.h"

namespace parktwin::met {

double screen3MixingHeight_m(Stability stability, double windSpeed10_ms) {
    if (stability == Stability::E || stability == Stability::F)
        return 10000.0;
    return 320.0 * windSpeed10_ms;
}

const char* screen3MixingMethodText() {
    return "SCREEN3 regulatory default (EPA-454/B-95-004): 320 m per m/s of 10 m wind for "
           "classes A-D, 10000 m (no lid) for E and F; as in SCREEN3, the lid is kept at least "
           "1 m above each plume";
}

} // namespace parktwin::met
