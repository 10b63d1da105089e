#pragma once
// One validated measurement from a monitoring station or sensor, as every feed delivers it to
// the store and the alarms.

#include <string>

#include "engine/core/time.h"

namespace parktwin::sensors {

/// Device status as Vietnam's automatic-monitoring station files carry it (Thông tư
/// 10/2021/TT-BTNMT): 00 measuring, 01 calibrating, 02 device fault.
enum class ReadingStatus { Measuring = 0, Calibrating = 1, DeviceFault = 2 };

struct Reading {
    std::string station;    ///< station or sensor id, as the park model names it
    std::string parameter;  ///< canonical parameter symbol, e.g. "SO2", "PM2.5", "WS"
    UtcTime time;           ///< UTC, converted from the source's local time
    double value = 0;       ///< in `unit`, after normalisation
    std::string unit;       ///< canonical unit, e.g. "ug/m3", "mg/Nm3", "m/s", "deg", "degC"
    ReadingStatus status = ReadingStatus::Measuring;
};

} // namespace parktwin::sensors
