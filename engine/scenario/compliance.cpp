#include "engine/scenario/compliance.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <spdlog/fmt/fmt.h>

#include "engine/core/error.h"
#include "engine/core/log.h"

namespace parktwin::scenario {
namespace {

using namespace std::chrono;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int hourIndex(UtcTime t, UtcTime start) {
    return static_cast<int>(duration_cast<hours>(t - start).count());
}

// Midnight (local) starting the local day that holds `t`, as UTC.
UtcTime localDayStart(UtcTime t, UtcOffset zone) {
    const auto local = t + minutes{zone.minutes};
    return floor<days>(local) - minutes{zone.minutes};
}

// 1 January 00:00 (local) of the local year holding `t`, as UTC, and of the next year.
std::pair<UtcTime, UtcTime> localYear(UtcTime t, UtcOffset zone) {
    const year_month_day ymd{floor<days>(t + minutes{zone.minutes})};
    const UtcTime begin = sys_days{ymd.year() / January / 1} - minutes{zone.minutes};
    const UtcTime end = sys_days{(ymd.year() + years{1}) / January / 1} - minutes{zone.minutes};
    return {begin, end};
}

// Windows of whole calendar units (days, years) that overlap the run.
std::vector<Window> calendarWindows(UtcTime start, int count,
                                    const std::function<std::pair<UtcTime, UtcTime>(UtcTime)>&
                                        unitOf) {
    std::vector<Window> out;
    const UtcTime end = start + hours{count};
    for (UtcTime t = start; t < end;) {
        const auto [begin, next] = unitOf(t);
        Window w;
        w.start = begin;
        w.nominal = hourIndex(next, begin);
        w.first = std::max(0, hourIndex(begin, start));
        w.last = std::min(count, hourIndex(next, start));
        out.push_back(w);
        t = next;
    }
    return out;
}

int requiredHours(const Window& w, double completeness) {
    // A small tolerance keeps 0.75 x 24 = 18 from becoming 19 through rounding.
    return std::max(1, static_cast<int>(std::ceil(completeness * w.nominal - 1e-9)));
}

} // namespace

const char* periodName(Period p) {
    switch (p) {
    case Period::Hour1:
        return "1h";
    case Period::Hour8:
        return "8h";
    case Period::Hour24:
        return "24h";
    case Period::Year:
        return "year";
    }
    return "1h";
}

const char* componentName(Component c) {
    switch (c) {
    case Component::Modelled:
        return "modelled";
    case Component::Background:
        return "background";
    case Component::Total:
        return "total";
    }
    return "total";
}

double ComplianceRow::margin_ugm3() const {
    return limit_ugm3 && !std::isnan(stats.ranked) ? *limit_ugm3 - stats.ranked : kNaN;
}

std::vector<Window> windows(Period period, UtcTime start, int count, UtcOffset zone) {
    std::vector<Window> out;
    switch (period) {
    case Period::Hour1:
        for (int h = 0; h < count; ++h)
            out.push_back({h, h + 1, 1, start + hours{h}});
        break;
    case Period::Hour8:
        for (int h = 7; h < count; ++h)
            out.push_back({h - 7, h + 1, 8, start + hours{h - 7}});
        break;
    case Period::Hour24:
        out = calendarWindows(start, count, [zone](UtcTime t) {
            const UtcTime begin = localDayStart(t, zone);
            return std::pair{begin, begin + hours{24}};
        });
        break;
    case Period::Year:
        out = calendarWindows(start, count, [zone](UtcTime t) { return localYear(t, zone); });
        break;
    }
    return out;
}

std::vector<double> averages(const std::vector<double>& hourly, const std::vector<Window>& wins,
                             double completeness) {
    // Prefix sums of the values and of the hours that have one.
    std::vector<double> sum(hourly.size() + 1, 0.0);
    std::vector<int> valid(hourly.size() + 1, 0);
    for (size_t h = 0; h < hourly.size(); ++h) {
        const bool ok = !std::isnan(hourly[h]);
        sum[h + 1] = sum[h] + (ok ? hourly[h] : 0.0);
        valid[h + 1] = valid[h] + ok;
    }
    std::vector<double> out(wins.size(), kNaN);
    for (size_t k = 0; k < wins.size(); ++k) {
        const Window& w = wins[k];
        const int n = valid[w.last] - valid[w.first];
        if (n >= requiredHours(w, completeness))
            out[k] = (sum[w.last] - sum[w.first]) / n;
    }
    return out;
}

PeriodStats statistics(const std::vector<double>& avg, const std::vector<Window>& wins, int rank,
                       std::optional<double> limit_ugm3) {
    PeriodStats s;
    s.rank = rank;
    std::vector<double> complete;
    complete.reserve(avg.size());
    for (size_t k = 0; k < avg.size(); ++k) {
        if (std::isnan(avg[k])) {
            ++s.incomplete;
            continue;
        }
        complete.push_back(avg[k]);
        if (std::isnan(s.highest) || avg[k] > s.highest) {
            s.highest = avg[k];
            s.highestStart = wins[k].start;
        }
        if (limit_ugm3 && avg[k] > *limit_ugm3)
            ++s.exceedances;
    }
    s.averages = static_cast<int>(complete.size());
    if (rank <= s.averages) {
        std::nth_element(complete.begin(), complete.begin() + (rank - 1), complete.end(),
                         std::greater<>());
        s.ranked = complete[rank - 1];
    }
    return s;
}

namespace {

struct PeriodPlan {
    Period period;
    std::vector<Window> wins;
    int rank = 1;
    std::optional<Threshold> limit;
    double scale = 1.0; ///< applied to modelled hours
};

// Total of one hour: scaled modelled plus background; missing when either is missing.
void combine(const std::vector<double>& modelled, const std::vector<double>& background,
             double scale, std::vector<double>& modelledOut, std::vector<double>& totalOut) {
    const size_t n = modelled.size();
    modelledOut.resize(n);
    totalOut.resize(n);
    for (size_t h = 0; h < n; ++h) {
        modelledOut[h] = modelled[h] * scale;
        totalOut[h] = background.empty() ? modelledOut[h] : modelledOut[h] + background[h];
    }
}

} // namespace

ComplianceResult evaluateCompliance(const ComplianceInput& in) {
    ComplianceResult result;
    result.pollutant = in.pollutant;
    const bool hasBackground = !in.background.empty();
    if (hasBackground && static_cast<int>(in.background.size()) != in.hours)
        throw Error("compliance: background series has " + std::to_string(in.background.size()) +
                    " hours, the run " + std::to_string(in.hours));
    if (in.siteHourly && in.siteHourly->size() != in.sites.size())
        throw Error("compliance: site series do not match the sites");

    std::vector<PeriodPlan> plans;
    for (Period p : kPeriods) {
        PeriodPlan plan;
        plan.period = p;
        plan.wins = windows(p, in.start, in.hours, in.zone);
        const std::string name = periodName(p);
        if (auto it = in.spec.ranks.find(name); it != in.spec.ranks.end())
            plan.rank = it->second;
        if (in.limits)
            plan.limit = in.limits->ambient(in.pollutant, name);
        plan.scale = p == Period::Year ? in.annualScale : in.hourlyScale;
        if (!plan.limit)
            result.notes.push_back(fmt::format("QCVN 05:2023 sets no {} limit for {}", name,
                                               in.pollutant));
        if (plan.wins.empty())
            result.notes.push_back(
                fmt::format("the run is too short for a {} average", name));
        plans.push_back(std::move(plan));
    }

    auto makeRow = [&](const PeriodPlan& plan, const std::string& id, const std::string& name,
                       const std::string& kind, Vec2 at, Component c,
                       const std::vector<double>& series) {
        ComplianceRow row;
        row.pollutant = in.pollutant;
        row.period = plan.period;
        row.locationId = id;
        row.locationName = name;
        row.locationKind = kind;
        row.at = at;
        row.component = c;
        if (plan.limit) {
            row.limit_ugm3 = plan.limit->limit;
            row.limitGrade = plan.limit->grade;
        }
        const std::optional<double> limit =
            plan.limit ? std::optional<double>(plan.limit->limit) : std::nullopt;
        row.stats = statistics(averages(series, plan.wins, in.spec.completeness), plan.wins,
                               plan.rank, limit);
        return row;
    };

    std::vector<double> modelled, total;
    // The background alone, the same everywhere.
    if (hasBackground)
        for (const PeriodPlan& plan : plans)
            if (plan.limit)
                result.rows.push_back(makeRow(plan, "background", "background", "background",
                                              {}, Component::Background, in.background));

    // Each sensitive site.
    for (size_t k = 0; k < in.sites.size() && in.siteHourly; ++k) {
        const SensitiveSite& site = in.sites[k];
        for (const PeriodPlan& plan : plans) {
            if (!plan.limit)
                continue;
            combine((*in.siteHourly)[k], in.background, plan.scale, modelled, total);
            result.rows.push_back(makeRow(plan, site.id, site.name, site.kind, site.position,
                                          Component::Modelled, modelled));
            if (hasBackground)
                result.rows.push_back(makeRow(plan, site.id, site.name, site.kind,
                                              site.position, Component::Total, total));
        }
    }

    // The grid: ranked values per cell, and the cell with the highest ranked value.
    if (in.gridHourly && !in.gridHourly->empty()) {
        const std::vector<RasterGrid>& hourly = *in.gridHourly;
        if (static_cast<int>(hourly.size()) != in.hours)
            throw Error("compliance: the run has " + std::to_string(in.hours) +
                        " hours but " + std::to_string(hourly.size()) + " grids");
        const RasterGrid& layout = hourly.front();
        const size_t cells = layout.size();
        std::vector<Component> components = {Component::Modelled};
        if (hasBackground)
            components.push_back(Component::Total);
        for (const PeriodPlan& plan : plans) {
            if (plan.wins.empty())
                continue;
            for (Component c : components) {
                PeriodGrid g;
                g.period = plan.period;
                g.component = c;
                g.rank = plan.period == Period::Year ? 1 : plan.rank;
                g.values = RasterGrid(layout.x0, layout.y0, layout.dx, layout.dy, layout.nx,
                                      layout.ny, kNaN);
                result.grids.push_back(std::move(g));
            }
        }
        struct Best {
            ComplianceRow row;
            bool set = false;
        };
        std::vector<Best> best(result.grids.size());
        std::vector<double> series(in.hours);
        for (size_t cell = 0; cell < cells; ++cell) {
            for (int h = 0; h < in.hours; ++h)
                series[h] = hourly[h].values[cell];
            const Vec2 at = layout.position(static_cast<int>(cell % layout.nx),
                                            static_cast<int>(cell / layout.nx));
            size_t g = 0;
            for (const PeriodPlan& plan : plans) {
                if (plan.wins.empty())
                    continue;
                combine(series, in.background, plan.scale, modelled, total);
                for (Component c : components) {
                    const std::vector<double>& s = c == Component::Total ? total : modelled;
                    PeriodGrid& grid = result.grids[g];
                    ComplianceRow row = makeRow(plan, "grid", "grid maximum", "grid", at, c, s);
                    if (plan.period == Period::Year) {
                        // The run's mean, complete or not, so a map exists for short runs.
                        const Window all{0, in.hours, in.hours, in.start};
                        grid.values.values[cell] = averages(s, {all}, 1e-9).front();
                        grid.complete = row.stats.averages > 0 && row.stats.incomplete == 0;
                    } else {
                        grid.values.values[cell] = row.stats.ranked;
                    }
                    Best& b = best[g];
                    const double v = row.stats.ranked;
                    if (!std::isnan(v) && (!b.set || v > b.row.stats.ranked)) {
                        // The grid maximum's exceedances are the most found at any cell.
                        const int most = b.set ? std::max(b.row.stats.exceedances,
                                                          row.stats.exceedances)
                                               : row.stats.exceedances;
                        b.row = row;
                        b.row.stats.exceedances = most;
                        b.set = true;
                    } else if (b.set) {
                        b.row.stats.exceedances =
                            std::max(b.row.stats.exceedances, row.stats.exceedances);
                    } else if (!b.set && std::isnan(v)) {
                        b.row = row; // keep the counts of an all-incomplete period
                    }
                    ++g;
                }
            }
        }
        for (const Best& b : best)
            if ((b.set || !b.row.pollutant.empty()) && b.row.limit_ugm3)
                result.rows.push_back(b.row);
    }
    return result;
}

} // namespace parktwin::scenario
