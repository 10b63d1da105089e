#include "viewer/panels.h"

#include "engine/core/time.h"
#include "viewer/sensor_markers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <imgui.h>
#include <optional>
#include <string>

namespace parktwin::viewer {

namespace {

ImU32 packed(const Rgb& c) {
    return IM_COL32(int(std::lround(c.r * 255)), int(std::lround(c.g * 255)),
                    int(std::lround(c.b * 255)), 255);
}

std::string tickLabel(double v) {
    char text[32];
    if (v >= 1.0)
        std::snprintf(text, sizeof text, "%.0f", v);
    else
        std::snprintf(text, sizeof text, "%.*f", int(std::ceil(-std::log10(v) - 1e-9)), v);
    return text;
}

const char* compassPoint(double dx, double dy) {
    // The 16 points of the compass, 22.5 degrees each, as wind directions are reported.
    static const char* names[] = {"N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                                  "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"};
    double bearing = std::atan2(dx, dy) * 180.0 / M_PI;
    if (bearing < 0)
        bearing += 360.0;
    return names[static_cast<int>(std::floor((bearing + 11.25) / 22.5)) % 16];
}

const ImU32 kLimitMark = IM_COL32(255, 60, 220, 255);

void drawSummary(const ViewContent& content, const PanelView& view, PanelState& state) {
    const ParkModel& park = *content.park;
    ImGui::TextWrapped("%s", park.name.empty() ? "(unnamed park)" : park.name.c_str());
    ImGui::Separator();
    char line[160];
    const char* pollutant = content.pollutant.empty() ? "concentration" : content.pollutant.c_str();
    if (state.grid.hour == GridChoice::PeriodMax)
        std::snprintf(line, sizeof line, "%s, period maximum", pollutant);
    else if (view.hour >= 0)
        std::snprintf(line, sizeof line, "%s, hour from %s", pollutant,
                      localTimeLabel(toSeconds(content.hours[view.hour]), park.timeZone)
                          .substr(11, 5)
                          .c_str());
    else
        std::snprintf(line, sizeof line, "%s, no hour at this time", pollutant);
    state.hourText = line;
    if (view.hour >= 0 && view.hour < static_cast<int>(content.met.size())) {
        const MetHour& m = content.met[view.hour];
        char wind[96];
        if (m.calm)
            std::snprintf(wind, sizeof wind, "; calm, class %c", stabilityLetter(m.stability));
        else
            std::snprintf(wind, sizeof wind, "; wind from %.0f° at %.1f m/s, class %c",
                          m.windFromDir_deg, m.windSpeed_ms, stabilityLetter(m.stability));
        state.hourText += wind;
    }
    ImGui::TextWrapped("%s", state.hourText.c_str());
    if (view.peak.found) {
        if (state.grid.change)
            ImGui::Text("largest increase %+.4g µg/m³", view.peak.value_ugm3);
        else
            ImGui::Text("maximum %.4g µg/m³", view.peak.value_ugm3);
        const Stack* nearest = nullptr;
        double best = INFINITY;
        for (const Stack& s : park.stacks) {
            const double d = length(view.peak.position - s.position);
            if (d < best) {
                best = d;
                nearest = &s;
            }
        }
        if (nearest) {
            const Vec2 d = view.peak.position - nearest->position;
            ImGui::TextWrapped("  at %.2f km %s of %s", best / 1000.0, compassPoint(d.x, d.y),
                               nearest->name.empty() ? nearest->id.c_str()
                                                     : nearest->name.c_str());
        }
    } else {
        ImGui::TextDisabled("no concentration grid");
    }
}

void drawTimeline(const PanelView& view, const ParkModel& park, PanelState& state) {
    TimelineState& t = state.timeline;
    state.timeText = std::isfinite(t.time_s) ? localTimeLabel(t.time_s, park.timeZone) : "";
    if (!(view.windowEnd_s > view.windowStart_s)) {
        ImGui::TextDisabled("nothing timed to replay");
        return;
    }
    ImGui::Text("%s", state.timeText.c_str());
    if (ImGui::Button(t.playing ? "pause" : "play"))
        t.playing = !t.playing;
    ImGui::SameLine();
    if (ImGui::Button("<< hour"))
        t.time_s = std::floor((t.time_s - 1) / 3600.0) * 3600.0;
    ImGui::SameLine();
    if (ImGui::Button("hour >>"))
        t.time_s = std::floor(t.time_s / 3600.0) * 3600.0 + 3600.0;
    ImGui::SameLine();
    static const double speeds[] = {60, 600, 3600, 3 * 3600, 12 * 3600};
    static const char* speedNames[] = {"1 min/s", "10 min/s", "1 h/s", "3 h/s", "12 h/s"};
    int speedIndex = 2;
    for (int k = 0; k < 5; ++k)
        if (std::abs(t.speed - speeds[k]) < 1e-9)
            speedIndex = k;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::Combo("##speed", &speedIndex, speedNames, 5))
        t.speed = speeds[speedIndex];

    // The slider counts minutes from the window's start so a float holds it exactly.
    const float span_min = float((view.windowEnd_s - view.windowStart_s) / 60.0);
    float at_min = float((t.time_s - view.windowStart_s) / 60.0);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderFloat("##time", &at_min, 0.0f, span_min, state.timeText.c_str())) {
        t.time_s = view.windowStart_s + std::round(at_min) * 60.0;
        t.playing = false;
    }
    ImGui::Checkbox("show the period maximum", &t.periodMax);
    t.time_s = std::clamp(t.time_s, view.windowStart_s, view.windowEnd_s);
}

void drawLayers(PanelState& state) {
    LayerToggles& l = state.layers;
    struct Item {
        const char* name;
        bool* flag;
    };
    const Item items[] = {{"terrain", &l.terrain},     {"land use", &l.areas},
                          {"buildings", &l.buildings}, {"roads", &l.roads},
                          {"stacks", &l.stacks},       {"plume rise", &l.plumeRise},
                          {"plume", &l.plume},         {"limit contours", &l.contours},
                          {"sensors", &l.sensors},     {"trucks", &l.trucks},
                          {"wind arrow", &l.wind},     {"plume slice", &l.slice}};
    int column = 0;
    for (const Item& item : items) {
        if (column == 1)
            ImGui::SameLine(160);
        ImGui::Checkbox(item.name, item.flag);
        column = 1 - column;
    }
}

void drawCamera(PanelState& state) {
    if (ImGui::Button("oblique view"))
        state.presetRequest = CameraPreset::ObliqueSouth;
    ImGui::SameLine();
    if (ImGui::Button("top view, north up"))
        state.presetRequest = CameraPreset::TopNorthUp;
    if (state.selection.kind == Selection::Kind::None)
        ImGui::BeginDisabled();
    if (ImGui::Button("fly to selection"))
        state.flyToSelection = true;
    if (state.selection.kind == Selection::Kind::None)
        ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("save viewpoint"))
        state.saveViewpoint = true;
    for (size_t k = 0; k < state.viewpoints.size(); ++k) {
        if (k % 4 != 0)
            ImGui::SameLine();
        if (ImGui::Button(state.viewpoints[k].name.c_str()))
            state.viewpointRequest = k;
    }
    ImGui::TextDisabled("drag: orbit; right drag: zoom; middle: pan");
}

void drawIncidents(const ViewContent& content, PanelState& state) {
    for (size_t k = 0; k < content.incidents.size(); ++k) {
        const Incident& inc = content.incidents[k];
        char label[200];
        // Incidents outside the period shown carry their year, and choosing one leaves the
        // timeline where it is.
        const std::string when = localTimeLabel(toSeconds(inc.start), content.park->timeZone);
        std::snprintf(label, sizeof label, "%s  %s %s %.0f/%.0f##%zu",
                      (inc.inPeriod ? when.substr(5, 11) : when.substr(0, 16)).c_str(),
                      inc.sensorId.c_str(), inc.parameter.c_str(), inc.peak, inc.limit, k);
        if (ImGui::Selectable(label, state.incident == int(k))) {
            state.incident = int(k);
            if (inc.inPeriod) {
                state.timeline.time_s = toSeconds(inc.start);
                state.timeline.playing = false;
                state.timeline.periodMax = false;
            }
            for (size_t s = 0; s < content.sensors.size(); ++s)
                if (content.sensors[s].id == inc.sensorId)
                    state.selection = {Selection::Kind::Sensor, int(s), {}};
        }
        if (!inc.description.empty() && ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", inc.description.c_str());
    }
    if (state.incident < 0 || state.incident >= int(content.incidents.size()))
        return;
    // The chosen incident's sources as attribution ranked them.
    const Incident& inc = content.incidents[size_t(state.incident)];
    ImGui::Separator();
    ImGui::TextWrapped("%s %s: %s", inc.id.c_str(), inc.parameter.c_str(),
                       inc.ranking.empty() ? "not ranked" : inc.ranking.c_str());
    if (inc.sources.empty() ||
        !ImGui::BeginTable("ranked", 4, ImGuiTableFlags_SizingStretchProp))
        return;
    for (const char* head : {"source", "g/s", "share", "score"})
        ImGui::TableSetupColumn(head);
    ImGui::TableHeadersRow();
    for (const Incident::Source& src : inc.sources) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%d. %s", src.rank, src.id.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%.3g", src.rate_gs);
        ImGui::TableNextColumn();
        ImGui::Text("%.2f", src.share);
        ImGui::TableNextColumn();
        ImGui::Text("%.2f", src.score);
    }
    ImGui::EndTable();
}

const char* periodUnit(scenario::Period p) {
    switch (p) {
    case scenario::Period::Hour1:
        return "hours";
    case scenario::Period::Hour8:
        return "8-hour means";
    case scenario::Period::Hour24:
        return "days";
    case scenario::Period::Year:
        return "years";
    }
    return "";
}

/// The baseline against the variant shown: the highest hourly value anywhere, and at each
/// sensor the averages of each regulatory period above that period's limit.
void drawFigures(const ViewContent& content, const PanelView& view, const PanelState& state) {
    const bool variant = state.variant >= 0 && state.variant + 1 < int(view.figures.size());
    if (view.figures.empty() || !ImGui::BeginTable("figures", variant ? 3 : 2,
                                                   ImGuiTableFlags_Borders))
        return;
    const RunFigures& base = view.figures.front();
    const RunFigures* other = variant ? &view.figures[state.variant + 1] : nullptr;
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("baseline", ImGuiTableColumnFlags_WidthFixed, 64);
    if (variant)
        ImGui::TableSetupColumn("variant", ImGuiTableColumnFlags_WidthFixed, 64);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", content.pollutant.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("baseline");
    if (variant) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted("variant");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", content.variants[state.variant].name.c_str());
    }
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted("highest 1-h µg/m³");
    ImGui::TableNextColumn();
    ImGui::Text("%.4g", base.max_ugm3);
    if (other) {
        ImGui::TableNextColumn();
        ImGui::Text("%.4g", other->max_ugm3);
    }
    for (size_t s = 0; s < content.sensors.size(); ++s) {
        const bool byPeriod = s < base.sensorPeriods.size() && !base.sensorPeriods[s].empty();
        const size_t rows = byPeriod ? base.sensorPeriods[s].size() : 1;
        for (size_t k = 0; k < rows; ++k) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (byPeriod) {
                const PeriodFigure& f = base.sensorPeriods[s][k];
                ImGui::Text("%s %s > %.0f", content.sensors[s].id.c_str(),
                            scenario::periodName(f.period), f.limit_ugm3);
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s above the QCVN 05:2023 %s limit of %.0f µg/m³",
                                      periodUnit(f.period), scenario::periodName(f.period),
                                      f.limit_ugm3);
            } else {
                ImGui::Text("%s h > limit", content.sensors[s].id.c_str());
            }
            for (const RunFigures* f : {&base, other}) {
                if (!f)
                    continue;
                ImGui::TableNextColumn();
                if (!byPeriod)
                    ImGui::Text("%d", f->hoursOverLimitAtSensors[s]);
                else if (s < f->sensorPeriods.size() && k < f->sensorPeriods[s].size() &&
                         f->sensorPeriods[s][k].averages > 0)
                    ImGui::Text("%d", f->sensorPeriods[s][k].exceedances);
                else
                    ImGui::TextDisabled("-");
            }
        }
    }
    ImGui::EndTable();
}

/// The edit: sources' rates and heights, the planned buildings and stacks, and the run.
void drawWhatIfEdit(PanelState& state) {
    WhatIfPanel& w = state.whatIf;
    ImGui::Separator();
    if (w.running)
        ImGui::BeginDisabled();
    for (SourceChange& source : w.edit.sources) {
        ImGui::PushID(source.stack.c_str());
        ImGui::TextUnformatted(source.stack.c_str());
        ImGui::SameLine(110);
        ImGui::SetNextItemWidth(90);
        float rate = float(source.emissionRate_gs);
        if (ImGui::DragFloat("g/s", &rate, 1.0f, 0.0f, 1e5f, "%.1f")) {
            source.emissionRate_gs = std::max(rate, 0.0f);
            w.editChanged = true;
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(60);
        float height = float(source.height_m);
        if (ImGui::DragFloat("m", &height, 1.0f, 1.0f, 500.0f, "%.0f")) {
            source.height_m = std::max(height, 1.0f);
            w.editChanged = true;
        }
        ImGui::PopID();
    }

    ImGui::TextUnformatted("click on open ground places:");
    int placing = int(w.placing);
    ImGui::RadioButton("nothing", &placing, int(WhatIfPanel::Placing::Nothing));
    ImGui::SameLine();
    ImGui::RadioButton("a building", &placing, int(WhatIfPanel::Placing::Building));
    ImGui::SameLine();
    ImGui::RadioButton("a stack", &placing, int(WhatIfPanel::Placing::Stack));
    w.placing = WhatIfPanel::Placing(placing);
    ImGui::PushItemWidth(120);
    if (w.placing == WhatIfPanel::Placing::Building) {
        ImGui::DragFloat("width m", &w.buildingWidth_m, 1.0f, 5.0f, 1000.0f, "%.0f");
        ImGui::DragFloat("depth m", &w.buildingDepth_m, 1.0f, 5.0f, 1000.0f, "%.0f");
        ImGui::DragFloat("height m", &w.buildingHeight_m, 0.5f, 2.0f, 300.0f, "%.0f");
        ImGui::DragFloat("turn °", &w.buildingRotation_deg, 1.0f, -180.0f, 180.0f, "%.0f");
    } else if (w.placing == WhatIfPanel::Placing::Stack) {
        ImGui::DragFloat("height m", &w.stackHeight_m, 0.5f, 2.0f, 400.0f, "%.0f");
        ImGui::DragFloat("diameter m", &w.stackDiameter_m, 0.05f, 0.1f, 20.0f, "%.1f");
        ImGui::DragFloat("exit m/s", &w.stackExitVelocity_ms, 0.1f, 0.0f, 60.0f, "%.1f");
        ImGui::DragFloat("exit K", &w.stackExitTemperature_K, 1.0f, 250.0f, 1500.0f, "%.0f");
        ImGui::DragFloat("rate g/s", &w.stackRate_gs, 0.5f, 0.0f, 1e5f, "%.1f");
    }
    ImGui::PopItemWidth();

    std::optional<size_t> removeBuilding, removeStack;
    for (size_t k = 0; k < w.edit.buildings.size(); ++k) {
        const Building& b = w.edit.buildings[k];
        ImGui::PushID(int(k));
        ImGui::Text("%s: %.0f m², %.0f m high", b.id.c_str(), area(b.footprint), b.height_m);
        ImGui::SameLine();
        if (ImGui::SmallButton("remove"))
            removeBuilding = k;
        ImGui::PopID();
    }
    for (size_t k = 0; k < w.edit.stacks.size(); ++k) {
        const PlannedStack& p = w.edit.stacks[k];
        ImGui::PushID(int(1000 + k));
        ImGui::Text("%s: %.0f m, %.1f g/s", p.stack.id.c_str(), p.stack.height_m,
                    p.emissionRate_gs);
        ImGui::SameLine();
        if (ImGui::SmallButton("remove"))
            removeStack = k;
        ImGui::PopID();
    }
    if (removeBuilding) {
        w.edit.buildings.erase(w.edit.buildings.begin() + long(*removeBuilding));
        w.editChanged = true;
    }
    if (removeStack) {
        w.edit.stacks.erase(w.edit.stacks.begin() + long(*removeStack));
        w.editChanged = true;
    }
    if (ImGui::Button("run again with these changes"))
        w.runRequest = true;
    if (w.running) {
        ImGui::EndDisabled();
        ImGui::ProgressBar(w.progress, ImVec2(-1, 0));
    }
    if (!w.status.empty())
        ImGui::TextWrapped("%s", w.status.c_str());
}

void drawWhatIf(const ViewContent& content, const PanelView& view, PanelState& state) {
    ImGui::RadioButton("baseline", &state.variant, GridChoice::Baseline);
    for (size_t v = 0; v < content.variants.size(); ++v)
        ImGui::RadioButton(content.variants[v].name.c_str(), &state.variant, int(v));
    if (state.variant != GridChoice::Baseline)
        ImGui::Checkbox("show the change from the baseline", &state.showChange);
    drawFigures(content, view, state);
    if (view.whatIfPossible)
        drawWhatIfEdit(state);
}

void drawInspector(const ViewContent& content, const PanelView& view, PanelState& state) {
    const Selection& sel = state.selection;
    const ParkModel& park = *content.park;
    const double now = state.timeline.time_s;
    auto concentrationHere = [&](Vec2 p) {
        if (const RasterGrid* g = chosenGrid(content, state.grid)) {
            const double v = g->sample(p);
            if (std::isfinite(v))
                ImGui::Text("%s here: %.4g µg/m³", content.pollutant.c_str(), v);
        }
    };
    switch (sel.kind) {
    case Selection::Kind::Building: {
        const Building& b = park.buildings[sel.index];
        ImGui::Text("Building %s", b.id.c_str());
        if (!b.name.empty())
            ImGui::TextWrapped("%s", b.name.c_str());
        ImGui::Text("use: %s%s", b.use.empty() ? "unknown" : b.use.c_str(),
                    b.planned ? " (planned)" : "");
        static const char* sources[] = {"height attribute", "levels", "default", "planned"};
        ImGui::Text("height %.1f m (from %s)", b.height_m, sources[int(b.heightSource)]);
        ImGui::Text("base %.1f m, footprint %.0f m²", b.baseElevation_m, area(b.footprint));
        if (!b.note.empty())
            ImGui::TextWrapped("note: %s", b.note.c_str());
        break;
    }
    case Selection::Kind::Stack: {
        const Stack& s = park.stacks[sel.index];
        ImGui::Text("Stack %s", s.id.c_str());
        if (!s.name.empty())
            ImGui::TextWrapped("%s", s.name.c_str());
        ImGui::Text("height %.0f m, diameter %.1f m%s", s.height_m, s.diameter_m,
                    s.planned ? " (planned)" : "");
        ImGui::Text("exit %.1f m/s at %.0f K", s.exitVelocity_ms, s.exitTemperature_K);
        ImGui::Text("base %.1f m at x %.0f, y %.0f m", s.baseElevation_m, s.position.x,
                    s.position.y);
        if (!s.note.empty())
            ImGui::TextWrapped("note: %s", s.note.c_str());
        break;
    }
    case Selection::Kind::Sensor: {
        const SensorMarker& s = content.sensors[sel.index];
        ImGui::Text("Sensor %s", s.id.c_str());
        if (!s.name.empty())
            ImGui::TextWrapped("%s", s.name.c_str());
        if (const auto latest = latestAt(s.readings, now)) {
            char text[128];
            std::snprintf(text, sizeof text, "%s %.4g %s at %s", s.parameter.c_str(),
                          latest->value, s.unit.c_str(),
                          localTimeLabel(toSeconds(latest->time), park.timeZone)
                              .substr(11, 5)
                              .c_str());
            state.readingText = text;
            ImGui::TextUnformatted(text);
        } else {
            state.readingText.clear();
            ImGui::TextDisabled("no reading yet");
        }
        if (std::isfinite(s.limit))
            ImGui::Text("limit %.4g %s", s.limit, s.unit.c_str());
        if (const auto modelled = latestAt(s.modelled, now))
            ImGui::Text("modelled %.4g %s", modelled->value, s.unit.c_str());
        if (!s.readings.empty() || !s.modelled.empty()) {
            const ImVec2 at = ImGui::GetCursorScreenPos();
            const float w = ImGui::GetContentRegionAvail().x, h = 130;
            drawSeriesChart(ImGui::GetWindowDrawList(), at.x, at.y, at.x + w, at.y + h,
                            s.readings, s.modelled, s.limit, view.windowStart_s,
                            view.windowEnd_s, now);
            ImGui::Dummy(ImVec2(w, h + 4));
            ImGui::TextColored(ImVec4(1, 1, 1, 1), "- measured");
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(0.4f, 0.8f, 1, 1), "- modelled");
            ImGui::SameLine();
            ImGui::TextColored(ImVec4(1, 0.3f, 0.3f, 1), "- - limit");
        }
        break;
    }
    case Selection::Kind::Ground:
        ImGui::Text("Ground");
        ImGui::Text("x %.0f m, y %.0f m, %.1f m high", sel.point.x, sel.point.y, sel.point.z);
        ImGui::Text("E %.0f, N %.0f (%s)", sel.point.x + park.frame.originEasting,
                    sel.point.y + park.frame.originNorthing, park.frame.crs.c_str());
        break;
    case Selection::Kind::None:
        break;
    }
    concentrationHere({sel.point.x, sel.point.y});
    if (ImGui::Button("clear"))
        state.selection = {};
}

} // namespace

std::string localTimeLabel(double t_s, UtcOffset zone) {
    const UtcTime t{std::chrono::seconds(static_cast<long long>(std::floor(t_s)))};
    const std::string iso = formatIsoTime(t, zone);
    const std::string offset = iso.size() > 19 ? iso.substr(19) : std::string();
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " " + (offset == "Z" ? "UTC" : offset);
}

float drawLegend(ImDrawList* drawList, float originX, float originY, float width,
                 const LogScale& scale, double limit_ugm3) {
    const float barHeight = 16.0f;
    const int segments = 96;
    const float segment = width / segments;
    for (int k = 0; k < segments; ++k) {
        const double t = (k + 0.5) / segments;
        drawList->AddRectFilled(ImVec2(originX + k * segment, originY),
                                ImVec2(originX + (k + 1) * segment + 0.5f, originY + barHeight),
                                packed(colourAt(t)));
    }
    drawList->AddRect(ImVec2(originX, originY), ImVec2(originX + width, originY + barHeight),
                      IM_COL32(230, 230, 230, 255));

    const double decades = std::log10(scale.max_ugm3 / scale.floor_ugm3);
    auto xOf = [&](double v) {
        return originX + width * static_cast<float>(std::log10(v / scale.floor_ugm3) / decades);
    };
    const ImU32 white = IM_COL32(240, 240, 240, 255);
    const float tickTop = originY + barHeight;
    for (double v : logTicks(scale)) {
        const float x = xOf(v);
        drawList->AddLine(ImVec2(x, tickTop), ImVec2(x, tickTop + 5), white, 1.5f);
        const std::string label = tickLabel(v);
        const float w = ImGui::CalcTextSize(label.c_str()).x;
        const float left = std::clamp(x - w / 2, originX - 4, originX + width - w + 4);
        drawList->AddText(ImVec2(left, tickTop + 6), white, label.c_str());
    }
    float used = barHeight + 6 + ImGui::GetTextLineHeight();

    if (std::isfinite(limit_ugm3) && limit_ugm3 > 0) {
        char text[96];
        if (limit_ugm3 >= scale.floor_ugm3 && limit_ugm3 <= scale.max_ugm3) {
            const float x = xOf(limit_ugm3);
            drawList->AddLine(ImVec2(x, originY - 4), ImVec2(x, originY + barHeight + 4),
                              kLimitMark, 3.0f);
            std::snprintf(text, sizeof text, "| QCVN limit %s µg/m³ (contours)",
                          tickLabel(limit_ugm3).c_str());
        } else {
            std::snprintf(text, sizeof text, "QCVN limit %s µg/m³ (%s the scale)",
                          tickLabel(limit_ugm3).c_str(),
                          limit_ugm3 > scale.max_ugm3 ? "above" : "below");
        }
        drawList->AddText(ImVec2(originX, originY + used + 2), kLimitMark, text);
        used += ImGui::GetTextLineHeight() + 2;
    }
    return used;
}

float drawChangeLegend(ImDrawList* drawList, float originX, float originY, float width,
                       const DivergingScale& scale) {
    const float barHeight = 16.0f;
    const int segments = 96;
    const float segment = width / segments;
    for (int k = 0; k < segments; ++k) {
        const double s = 2.0 * (k + 0.5) / segments - 1.0;
        drawList->AddRectFilled(ImVec2(originX + k * segment, originY),
                                ImVec2(originX + (k + 1) * segment + 0.5f, originY + barHeight),
                                packed(divergingColourAt(s)));
    }
    drawList->AddRect(ImVec2(originX, originY), ImVec2(originX + width, originY + barHeight),
                      IM_COL32(230, 230, 230, 255));
    const double decades = std::log10(scale.max_ugm3 / scale.floor_ugm3);
    const float half = width / 2;
    const ImU32 white = IM_COL32(240, 240, 240, 255);
    const float tickTop = originY + barHeight;
    // Ticks at the floor (the middle) and the top (the ends), with one decade between when
    // there is room for its label.
    std::vector<double> ticks = {scale.floor_ugm3, scale.max_ugm3};
    for (double v : logTicks(LogScale{scale.floor_ugm3, scale.max_ugm3}))
        if (v > scale.floor_ugm3 * 3 && v < scale.max_ugm3 / 3)
            ticks.push_back(v);
    for (double v : ticks) {
        const float offset = float(std::log10(v / scale.floor_ugm3) / decades) * half;
        for (int sign : {-1, 1}) {
            if (v == scale.floor_ugm3 && sign < 0)
                continue;
            const float x = originX + half + sign * offset;
            drawList->AddLine(ImVec2(x, tickTop), ImVec2(x, tickTop + 5), white, 1.5f);
            char label[48];
            std::snprintf(label, sizeof label, "%s%s",
                          v == scale.floor_ugm3 ? "±" : sign < 0 ? "-" : "+", tickLabel(v).c_str());
            const float w = ImGui::CalcTextSize(label).x;
            const float left = std::clamp(x - w / 2, originX - 4, originX + width - w + 4);
            // A decade's label yields to the middle's and the end's when they would touch.
            char endLabel[48];
            std::snprintf(endLabel, sizeof endLabel, "+%s", tickLabel(scale.max_ugm3).c_str());
            const float endWidth = ImGui::CalcTextSize(endLabel).x;
            const bool inner = v != scale.floor_ugm3 && v != scale.max_ugm3;
            const bool clear = std::abs(offset) > w + 4 && half - offset > w / 2 + endWidth;
            if (!inner || clear)
                drawList->AddText(ImVec2(left, tickTop + 6), white, label);
        }
    }
    float used = barHeight + 6 + ImGui::GetTextLineHeight();
    drawList->AddText(ImVec2(originX, originY + used + 2), IM_COL32(200, 200, 200, 255),
                      "blue lower, red higher; clear: |change| < floor");
    used += ImGui::GetTextLineHeight() + 2;
    return used;
}

void drawWindRose(ImDrawList* drawList, float centreX, float centreY, float radius,
                  const WindRose& rose, const MetHour* current) {
    const ImVec2 c(centreX, centreY);
    const ImU32 grid = IM_COL32(160, 160, 160, 140);
    int most = 1;
    for (const auto& sector : rose.hours) {
        int total = 0;
        for (int n : sector)
            total += n;
        most = std::max(most, total);
    }
    for (float r : {radius / 2, radius})
        drawList->AddCircle(c, r, grid, 32, 1.0f);
    drawList->AddText(ImVec2(centreX - 4, centreY - radius - 16), IM_COL32(230, 230, 230, 255),
                      "N");
    static const ImU32 classColours[] = {IM_COL32(150, 200, 255, 255),
                                         IM_COL32(80, 150, 235, 255),
                                         IM_COL32(40, 90, 200, 255), IM_COL32(20, 40, 140, 255)};
    const float half = float(M_PI) / WindRose::kSectors * 0.85f;
    for (int s = 0; s < WindRose::kSectors; ++s) {
        // Bearing clockwise from north; screen y grows downwards.
        const float bearing = float(s * 2 * M_PI / WindRose::kSectors);
        float inner = 0;
        for (size_t k = 0; k < WindRose::kClassTop_ms.size(); ++k) {
            const int n = rose.hours[s][k];
            if (n == 0)
                continue;
            const float outer = inner + radius * float(n) / float(most);
            drawList->PathClear();
            for (float a : {bearing - half, bearing + half})
                drawList->PathLineTo(ImVec2(c.x + inner * std::sin(a), c.y - inner * std::cos(a)));
            for (float a : {bearing + half, bearing - half})
                drawList->PathLineTo(ImVec2(c.x + outer * std::sin(a), c.y - outer * std::cos(a)));
            drawList->PathFillConvex(classColours[k]);
            inner = outer;
        }
    }
    if (current && !current->calm) {
        const float a = float(current->windFromDir_deg * M_PI / 180.0);
        drawList->AddLine(c, ImVec2(c.x + radius * std::sin(a), c.y - radius * std::cos(a)),
                          IM_COL32(255, 210, 40, 255), 2.5f);
    }
}

void drawSeriesChart(ImDrawList* drawList, float x0, float y0, float x1, float y1,
                     const std::vector<TimedValue>& readings,
                     const std::vector<TimedValue>& modelled, double limit, double from_s,
                     double to_s, double now_s) {
    drawList->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), IM_COL32(20, 24, 30, 255));
    drawList->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), IM_COL32(120, 120, 120, 255));
    double top = std::isfinite(limit) ? limit : 0;
    for (const auto* series : {&readings, &modelled})
        for (const TimedValue& v : *series)
            if (std::isfinite(v.value))
                top = std::max(top, v.value);
    if (!(top > 0) || !(to_s > from_s))
        return;
    top *= 1.1;
    const float pad = 4;
    auto xOf = [&](double t) {
        return x0 + pad + float((t - from_s) / (to_s - from_s)) * (x1 - x0 - 2 * pad);
    };
    auto yOf = [&](double v) { return y1 - pad - float(v / top) * (y1 - y0 - 2 * pad); };
    auto polyline = [&](const std::vector<TimedValue>& series, ImU32 colour, bool dots) {
        ImVec2 previous;
        bool have = false;
        for (const TimedValue& v : series) {
            const double t = toSeconds(v.time);
            if (!std::isfinite(v.value) || t < from_s || t > to_s) {
                have = false;
                continue;
            }
            const ImVec2 p(xOf(t), yOf(v.value));
            if (have)
                drawList->AddLine(previous, p, colour, 1.5f);
            if (dots)
                drawList->AddCircleFilled(p, 2.0f, colour);
            previous = p;
            have = true;
        }
    };
    polyline(modelled, IM_COL32(100, 200, 255, 255), false);
    polyline(readings, IM_COL32(255, 255, 255, 255), true);
    if (std::isfinite(limit) && limit > 0) {
        const float y = yOf(limit);
        for (float x = x0 + pad; x < x1 - pad; x += 8)
            drawList->AddLine(ImVec2(x, y), ImVec2(std::min(x + 4, x1 - pad), y),
                              IM_COL32(255, 80, 80, 255), 1.5f);
    }
    if (now_s >= from_s && now_s <= to_s)
        drawList->AddLine(ImVec2(xOf(now_s), y0), ImVec2(xOf(now_s), y1),
                          IM_COL32(255, 210, 40, 200), 1.0f);
    char label[32];
    std::snprintf(label, sizeof label, "%.3g", top);
    drawList->AddText(ImVec2(x0 + 4, y0 + 2), IM_COL32(200, 200, 200, 255), label);
}

void drawPanels(const ViewContent& content, const PanelView& view, PanelState& state) {
    ImGui::SetNextWindowPos(ImVec2(8, 8), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth_px, 0), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("ParkTwin", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_AlwaysAutoResize);
    drawSummary(content, view, state);
    if (ImGui::CollapsingHeader("Timeline", ImGuiTreeNodeFlags_DefaultOpen))
        drawTimeline(view, *content.park, state);
    else
        state.timeText = localTimeLabel(state.timeline.time_s, content.park->timeZone);
    if (!content.met.empty() && ImGui::CollapsingHeader("Wind", ImGuiTreeNodeFlags_DefaultOpen)) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float radius = 52;
        const MetHour* current = view.hour >= 0 && view.hour < int(content.met.size())
                                     ? &content.met[view.hour]
                                     : nullptr;
        drawWindRose(ImGui::GetWindowDrawList(), at.x + radius + 12, at.y + radius + 18, radius,
                     view.rose, current);
        ImGui::Dummy(ImVec2(2 * radius + 24, 2 * radius + 24));
        ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::Text("%d hours", view.rose.totalHours);
        ImGui::Text("%d calm", view.rose.calmHours);
        ImGui::TextColored(ImVec4(0.59f, 0.78f, 1, 1), "< 2 m/s");
        ImGui::TextColored(ImVec4(0.31f, 0.59f, 0.92f, 1), "2-4 m/s");
        ImGui::TextColored(ImVec4(0.16f, 0.35f, 0.78f, 1), "4-6 m/s");
        ImGui::TextColored(ImVec4(0.3f, 0.4f, 0.9f, 1), ">= 6 m/s");
        ImGui::EndGroup();
    }
    if (ImGui::CollapsingHeader("Layers"))
        drawLayers(state);
    if (ImGui::CollapsingHeader("Camera"))
        drawCamera(state);
    if ((!content.variants.empty() || view.whatIfPossible) &&
        ImGui::CollapsingHeader("What-if"))
        drawWhatIf(content, view, state);
    if (!content.incidents.empty()) {
        const std::string title = "Incidents (" + std::to_string(content.incidents.size()) + ")";
        if (ImGui::CollapsingHeader(title.c_str()))
            drawIncidents(content, state);
    }

    // No legend for a scenario with no concentrations at all (trucks only).
    if (!content.hourly.empty() || !content.periodMax.empty() || !content.variants.empty()) {
        ImGui::Separator();
        const bool change = state.grid.change;
        if (change)
            ImGui::Text("change from the baseline, µg/m³");
        else
            ImGui::Text("µg/m³, log scale");
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x - 8;
        const float used =
            change ? drawChangeLegend(ImGui::GetWindowDrawList(), at.x + 4, at.y + 4, width,
                                      view.changeScale)
                   : drawLegend(ImGui::GetWindowDrawList(), at.x + 4, at.y + 4, width, view.scale,
                                content.limit_ugm3);
        state.legendBar = {at.x + 4, at.y + 4, width, 16.0f};
        ImGui::Dummy(ImVec2(width, used + 8));
    }
    if (view.sliceScale) {
        // Concentrations aloft run far above those on the ground: the slice has its own scale.
        ImGui::Text("vertical slice, µg/m³, log scale");
        const ImVec2 sliceAt = ImGui::GetCursorScreenPos();
        const float width = ImGui::GetContentRegionAvail().x - 8;
        const float sliceUsed = drawLegend(ImGui::GetWindowDrawList(), sliceAt.x + 4,
                                           sliceAt.y + 4, width, *view.sliceScale,
                                           content.limit_ugm3);
        ImGui::Dummy(ImVec2(width, sliceUsed + 8));
    }
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    state.rect = {pos.x, pos.y, size.x, size.y};
    ImGui::End();

    state.inspectorRect = {};
    if (state.selection.kind == Selection::Kind::None)
        return;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x - kPanelWidth_px - 8, 8), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth_px, 0), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("Inspector", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_AlwaysAutoResize);
    drawInspector(content, view, state);
    const ImVec2 ipos = ImGui::GetWindowPos();
    const ImVec2 isize = ImGui::GetWindowSize();
    state.inspectorRect = {ipos.x, ipos.y, isize.x, isize.y};
    ImGui::End();
}

} // namespace parktwin::viewer
