#include "viewer/panels.h"

#include "engine/core/time.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <imgui.h>
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

std::string hourLabel(const ViewContent& content, int hour) {
    if (hour < 0 || hour >= static_cast<int>(content.hours.size()))
        return "period maximum";
    // "2016-07-01T14:00:00+07:00" -> "2016-07-01 14:00 +07:00": the park's local time,
    // labelled with its offset so nobody mistakes it for UTC.
    const std::string iso = formatIsoTime(content.hours[hour], content.park->timeZone);
    const std::string zone = iso.size() > 19 ? iso.substr(19) : std::string();
    return iso.substr(0, 10) + " " + iso.substr(11, 5) + " " + (zone == "Z" ? "UTC" : zone);
}

} // namespace

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
        const ImU32 mark = IM_COL32(255, 60, 220, 255);
        if (limit_ugm3 >= scale.floor_ugm3 && limit_ugm3 <= scale.max_ugm3) {
            const float x = xOf(limit_ugm3);
            drawList->AddLine(ImVec2(x, originY - 4), ImVec2(x, originY + barHeight + 4), mark,
                              3.0f);
            std::snprintf(text, sizeof text, "| limit %s µg/m³", tickLabel(limit_ugm3).c_str());
        } else {
            std::snprintf(text, sizeof text, "limit %s µg/m³ (%s the scale)",
                          tickLabel(limit_ugm3).c_str(),
                          limit_ugm3 > scale.max_ugm3 ? "above" : "below");
        }
        drawList->AddText(ImVec2(originX, originY + used + 2), mark, text);
        used += ImGui::GetTextLineHeight() + 2;
    }
    return used;
}

void drawParkPanel(const ViewContent& content, const LogScale& scale, const GridPeak& peak,
                   PanelState& state) {
    const ParkModel& park = *content.park;
    ImGui::SetNextWindowPos(ImVec2(8, 8), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(kPanelWidth_px, 0), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("ParkTwin", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_AlwaysAutoResize);

    ImGui::TextWrapped("%s", park.name.empty() ? "(unnamed park)" : park.name.c_str());
    ImGui::Separator();

    const int hour = state.grid.hour;
    const bool hasHours = !content.hourly.empty();
    ImGui::Text("%s, %s", content.pollutant.empty() ? "concentration" : content.pollutant.c_str(),
                hourLabel(content, hour).c_str());
    if (hour >= 0 && hour < static_cast<int>(content.met.size())) {
        const MetHour& m = content.met[hour];
        if (m.calm)
            ImGui::Text("wind calm, class %c", stabilityLetter(m.stability));
        else
            ImGui::Text("wind from %.0f° at %.1f m/s, class %c", m.windFromDir_deg, m.windSpeed_ms,
                        stabilityLetter(m.stability));
    }
    if (peak.found) {
        ImGui::Text("maximum %.4g µg/m³", peak.value_ugm3);
        const Stack* nearest = nullptr;
        double best = INFINITY;
        for (const Stack& s : park.stacks) {
            const double d = length(peak.position - s.position);
            if (d < best) {
                best = d;
                nearest = &s;
            }
        }
        if (nearest) {
            const Vec2 d = peak.position - nearest->position;
            ImGui::TextWrapped("  at %.2f km %s of %s", best / 1000.0, compassPoint(d.x, d.y),
                               nearest->name.empty() ? nearest->id.c_str() : nearest->name.c_str());
        } else {
            ImGui::Text("  at x %.0f m, y %.0f m", peak.position.x, peak.position.y);
        }
    } else {
        ImGui::TextDisabled("no concentration grid");
    }

    if (hasHours) {
        bool periodMax = hour < 0;
        if (ImGui::Checkbox("period maximum", &periodMax))
            state.grid.hour = periodMax ? GridChoice::PeriodMax : 0;
        if (!periodMax) {
            int h = state.grid.hour;
            const std::string label = hourLabel(content, h);
            ImGui::SetNextItemWidth(-1);
            if (ImGui::SliderInt("##hour", &h, 0, static_cast<int>(content.hourly.size()) - 1,
                                 label.c_str()))
                state.grid.hour = h;
        }
    }

    ImGui::Separator();
    ImGui::Checkbox("terrain", &state.layers.terrain);
    ImGui::SameLine(110);
    ImGui::Checkbox("buildings", &state.layers.buildings);
    ImGui::SameLine(220);
    ImGui::Checkbox("roads", &state.layers.roads);
    ImGui::Checkbox("stacks", &state.layers.stacks);
    ImGui::SameLine(110);
    ImGui::Checkbox("plume", &state.layers.plume);
    ImGui::SameLine(220);
    ImGui::Checkbox("areas", &state.layers.areas);
    if (ImGui::Button("oblique view"))
        state.presetRequest = CameraPreset::ObliqueSouth;
    ImGui::SameLine();
    if (ImGui::Button("top view"))
        state.presetRequest = CameraPreset::TopNorthUp;

    ImGui::Separator();
    ImGui::Text("µg/m³, log scale");
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x - 8;
    const float used = drawLegend(ImGui::GetWindowDrawList(), at.x + 4, at.y + 4, width, scale,
                                  content.limit_ugm3);
    ImGui::Dummy(ImVec2(width, used + 8));

    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    state.rect = {pos.x, pos.y, size.x, size.y};
    ImGui::End();
}

} // namespace parktwin::viewer
