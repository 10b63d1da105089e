#include "engine/logistics/kpi_csv.h"

#include <fstream>

#include <fmt/format.h>

#include "engine/core/error.h"

namespace parktwin::logistics {
namespace {

std::string utcAt(UtcTime start, double t_s) {
    return formatIsoTime(start + std::chrono::seconds(std::llround(t_s)), UtcOffset{0});
}

std::ofstream openCsv(const std::filesystem::path& file, const char* header) {
    std::ofstream out(file);
    if (!out)
        throw Error(file.string() + ": cannot write");
    out << header << '\n';
    return out;
}

void check(std::ofstream& out, const std::filesystem::path& file) {
    out.flush();
    if (!out)
        throw Error(file.string() + ": write failed");
}

} // namespace

void writeKpiCsv(const Simulation& sim, UtcTime start, const std::filesystem::path& dir) {
    const SimKpis k = sim.kpis();
    {
        const auto file = dir / "logistics_kpis.csv";
        auto out = openCsv(file, "key,value");
        out << fmt::format("arrived,{}\ncompleted,{}\nmean_turnaround_s,{:.1f}\n"
                           "mean_wait_s,{:.1f}\nmean_gate_wait_s,{:.1f}\nmean_dock_wait_s,{:.1f}\n"
                           "vehicle_km,{:.3f}\nidle_hours,{:.3f}\nlittle_l,{:.6f}\n"
                           "little_lambda_w,{:.6f}\n",
                           k.arrived, k.completed, k.meanTurnaround_s, k.meanWait_s,
                           k.meanGateWait_s, k.meanDockWait_s, k.vehicleKm, k.idleHours,
                           k.littleL, k.littleLambdaW);
        check(out, file);
    }
    {
        const auto file = dir / "logistics_throughput.csv";
        auto out = openCsv(file, "hour_start_utc,trucks");
        for (size_t h = 0; h < k.throughputPerHour.size(); ++h)
            out << utcAt(start, h * 3600.0) << ',' << k.throughputPerHour[h] << '\n';
        check(out, file);
    }
    {
        const auto file = dir / "logistics_queues.csv";
        auto out = openCsv(file, "time_utc,place,trucks,length_m,spill_back_m");
        for (const QueueSample& q : sim.queueSeries())
            if (q.time_s <= k.end_s)
                out << fmt::format("{},{},{},{:.1f},{:.1f}\n", utcAt(start, q.time_s), q.place,
                                   q.trucks, q.length_m, q.spillBack_m);
        check(out, file);
    }
    {
        const auto file = dir / "logistics_docks.csv";
        auto out = openCsv(file, "dock_id,served,utilisation,mean_wait_s,max_queue");
        for (const DockKpi& d : k.docks)
            out << fmt::format("{},{},{:.4f},{:.1f},{}\n", d.id, d.served, d.utilisation,
                               d.meanWait_s, d.maxQueue);
        check(out, file);
    }
}

} // namespace parktwin::logistics
