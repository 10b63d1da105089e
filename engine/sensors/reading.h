#pragma once
// One validated measurement from a monitoring station or sensor, as every feed delivers it to
// the store and the alarms.

#include "engine/core/time.h"

#include <string>

namespace parktwin::sensors {

/// Device status as Vietnam's automatic-monitoring station files carry it (Thông tư
/// 10/2021/TT-BTNMT): 00 measuring, 01 calibrating, 02 device fault. `Suspect` is a source's
/// own quality flag short of a fault (AirNow's "Suspect"). Every status but `Measuring` is
/// stored and flagged, and kept out of alarms.
enum class ReadingStatus { Measuring = 0, Calibrating = 1, DeviceFault = 2, Suspect = 3 };

struct Reading {
    std::string station;   ///< station or sensor id, as the park model names it
    std::string parameter; ///< canonical parameter symbol, e.g. "SO2", "PM2.5", "WS"
    UtcTime time;          ///< UTC end of the averaging period, from the source's local time
    double value = 0;      ///< in `unit`, after normalisation
    std::string unit;      ///< canonical unit, e.g. "ug/m3", "mg/Nm3", "m/s", "deg", "degC"
    ReadingStatus status = ReadingStatus::Measuring;
    int period_s = 0; ///< averaging period ending at `time`; 0 when the source does not say
};

/// True when the reading may take part in means and alarms (status 00).
inline bool isUsable(const Reading& r) {
    return r.status == ReadingStatus::Measuring;
}

} // namespace parktwin::sensors
