// A regulatory-size run through the ISCST3 control-file path: 10 stacks, 10,000 gridded
// receptors with terrain heights, a year of hourly meteorology, rural DFAULT options (plume
// rise, stack-tip downwash, simple terrain), 1/3/8/24-hour and period averages with their
// ranked tables accumulated as the run goes. Prints source-receptor-hours per second on one
// thread and on every core, and their ratio; and the process's peak memory after a month
// and after the year, to show it does not grow with the number of hours.
//
// Usage: isc_year_bench [--hours N]   (default 8760)

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "engine/isc/deck.h"
#include "engine/isc/run.h"

namespace fs = std::filesystem;
using namespace parktwin;

namespace {

constexpr int kStacks = 10;
constexpr int kGridSide = 100; // 100 x 100 receptors at 100 m
constexpr double kSpacing_m = 100.0;

double terrain_m(double x, double y) {
    return 60.0 + 45.0 * std::sin(x / 1700.0) * std::cos(y / 2300.0) + 0.004 * (x + y);
}

double uniform01(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

/// A year of hours in the ISC ASCII layout, with a veering wind, a daily cycle of stability
/// and mixing height, and a seasonal temperature.
void writeMet(const fs::path& file, int hours) {
    std::ofstream out(file);
    out << " 99999     90  99999     90\n";
    std::mt19937_64 rng(1990);
    const int daysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    double flow = 200.0;
    int written = 0;
    for (int month = 1; month <= 12 && written < hours; ++month)
        for (int day = 1; day <= daysInMonth[month - 1] && written < hours; ++day)
            for (int hour = 1; hour <= 24 && written < hours; ++hour, ++written) {
                flow = std::fmod(flow + 40.0 * (uniform01(rng) - 0.5) + 360.0, 360.0);
                const double speed = 0.8 + 6.0 * uniform01(rng) * uniform01(rng) + 0.6;
                const bool day_time = hour >= 7 && hour <= 18;
                int cls = day_time ? (speed < 2 ? 1 : speed < 3 ? 2 : speed < 5 ? 3 : 4)
                                   : (speed < 2 ? 6 : speed < 3 ? 5 : 4);
                const double temp = 288.0 + 10.0 * std::sin((month - 4) * 0.5236) +
                                    4.0 * std::sin((hour - 9) * 0.2618);
                const double mix = day_time ? 400.0 + 1200.0 * uniform01(rng) : 250.0;
                char line[96];
                std::snprintf(line, sizeof line, "%2d%2d%2d%2d%9.4f%9.4f%6.1f%2d%7.1f%7.1f\n", 90,
                              month, day, hour, flow, speed, temp, cls, mix, mix * 0.9);
                out << line;
            }
}

void writeDeck(const fs::path& file, const fs::path& met) {
    std::ofstream d(file);
    d << "CO STARTING\n"
         "   TITLEONE  ParkTwin speed bench: 10 stacks, 10,000 receptors, one year\n"
         "   MODELOPT  DFAULT  RURAL  CONC\n"
         "   AVERTIME  1  3  8  24  PERIOD\n"
         "   POLLUTID  SO2\n"
         "   TERRHGTS  ELEV\n"
         "   RUNORNOT  RUN\n"
         "CO FINISHED\n\n"
         "SO STARTING\n";
    std::mt19937_64 rng(10);
    for (int s = 0; s < kStacks; ++s) {
        const double x = -2000.0 + 4000.0 * uniform01(rng);
        const double y = -2000.0 + 4000.0 * uniform01(rng);
        char line[160];
        std::snprintf(line, sizeof line, "   LOCATION  STK%02d  POINT  %.1f  %.1f  %.1f\n", s, x,
                      y, terrain_m(x, y));
        d << line;
        std::snprintf(line, sizeof line, "   SRCPARAM  STK%02d  %.2f  %.1f  %.1f  %.2f  %.2f\n",
                      s, 5.0 + 40.0 * uniform01(rng), 25.0 + 75.0 * uniform01(rng),
                      360.0 + 120.0 * uniform01(rng), 6.0 + 14.0 * uniform01(rng),
                      1.0 + 3.0 * uniform01(rng));
        d << line;
    }
    d << "   SRCGROUP  ALL\nSO FINISHED\n\nRE STARTING\n"
         "   GRIDCART  CAR1  STA\n";
    const double x0 = -0.5 * kSpacing_m * (kGridSide - 1);
    d << "             CAR1  XYINC  " << x0 << " " << kGridSide << " " << kSpacing_m << " " << x0
      << " " << kGridSide << " " << kSpacing_m << "\n";
    for (int row = 0; row < kGridSide; ++row) {
        d << "             CAR1  ELEV  " << row + 1;
        for (int col = 0; col < kGridSide; ++col)
            d << " " << std::lround(terrain_m(x0 + col * kSpacing_m, x0 + row * kSpacing_m));
        d << "\n";
    }
    d << "             CAR1  END\nRE FINISHED\n\nME STARTING\n"
         "   INPUTFIL  " << met.filename().string() << "\n"
         "   ANEMHGHT  10\n"
         "   SURFDATA  99999  1990\n"
         "   UAIRDATA  99999  1990\n"
         "ME FINISHED\n\nOU STARTING\n"
         "   RECTABLE  ALLAVE  FIRST-SECOND\n"
         "   MAXTABLE  ALLAVE  50\n"
         "OU FINISHED\n";
}

long peakRss_kB() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

struct Timing {
    double seconds = 0;
    double rate = 0; ///< source-receptor-hours per second
    double check = 0;
};

Timing timeRun(const isc::Deck& deck, int threads) {
    const auto t0 = std::chrono::steady_clock::now();
    const isc::RunResult r = isc::runDeck(deck, {}, {}, threads);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Timing t;
    t.seconds = s;
    t.rate = double(kStacks) * double(deck.receptors.size()) * double(r.hours) / s;
    t.check = r.groups.front().averages.top(0).front().value;
    return t;
}

} // namespace

int main(int argc, char** argv) {
    int hours = 8760;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--hours") == 0)
            hours = std::atoi(argv[i + 1]);
    const fs::path dir =
        fs::temp_directory_path() / ("parktwin-isc-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    writeMet(dir / "YEAR.ASC", hours);
    writeDeck(dir / "YEAR.INP", dir / "YEAR.ASC");

    const isc::Deck deck = isc::readDeck(dir / "YEAR.INP");
    const int cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("isc_year_bench: %d stacks, %zu receptors, %d hours, averages 1/3/8/24 h + "
                "period, ranks and top-50 kept as the run goes\n",
                kStacks, deck.receptors.size(), hours);

    // A month first: peak memory then and after the whole year show the run does not keep
    // hours.
    isc::Deck month = deck;
    month.met.days.assign(367, false);
    for (int d = 1; d <= 31; ++d)
        month.met.days[std::size_t(d)] = true;
    isc::runDeck(month, {}, {}, cores);
    const long rssMonth = peakRss_kB();

    const Timing one = timeRun(deck, 1);
    const Timing all = timeRun(deck, cores);
    const long rssYear = peakRss_kB();
    isc::Deck scalarDeck = deck;
    scalarDeck.control.vectorLoop = false;
    const Timing scalar = timeRun(scalarDeck, 1);
    std::printf("  1 thread : %7.2f s  %6.1f million source-receptor-hours/s\n", one.seconds,
                one.rate / 1e6);
    std::printf("  %d threads: %7.2f s  %6.1f million source-receptor-hours/s  (x%.2f of one "
                "thread)\n",
                cores, all.seconds, all.rate / 1e6, all.rate / one.rate);
    std::printf("  scalar receptor loop, 1 thread: %7.2f s  %6.1f million/s  (vector loop "
                "x%.2f of it)\n",
                scalar.seconds, scalar.rate / 1e6, one.rate / scalar.rate);
    const bool same = one.check == all.check;
    const double loopDiff = std::abs(one.check - scalar.check) / scalar.check;
    std::printf("  same highest 1-hour value on 1 and %d threads: %s (%.4f ug/m3); vector and "
                "scalar loops differ by %.1e of it\n",
                cores, same ? "yes" : "NO", all.check, loopDiff);
    std::printf("  peak memory: %.1f MB after a month, %.1f MB after the year\n",
                rssMonth / 1024.0, rssYear / 1024.0);
    fs::remove_all(dir);
    return same && loopDiff < 1e-9 ? 0 : 1;
}
