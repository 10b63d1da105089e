#pragma once
// Random numbers that give the same sequence on every standard library: std::mt19937_64 is
// specified bit for bit by the standard, its distributions are not, so they are written here.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <sstream>
#include <string>

namespace parktwin::logistics {

class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) : engine_(seed) {}

    /// Uniform on [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

    /// Exponential with the given mean, by inversion.
    double exponential(double mean) { return -mean * std::log1p(-uniform()); }

    /// Standard normal by the Box-Muller transform (Box and Muller 1958), one draw per call
    /// so that no half-used pair is left in the state.
    double standardNormal() {
        const double u1 = 1.0 - uniform(); // (0, 1]
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    /// The engine's state as the standard's textual representation, and back.
    std::string state() const {
        std::ostringstream out;
        out << engine_;
        return out.str();
    }
    void setState(const std::string& text) {
        std::istringstream in(text);
        in >> engine_;
    }

    bool operator==(const Rng&) const = default;

private:
    std::mt19937_64 engine_;
};

/// A distribution of durations, seconds.
struct Distribution {
    enum class Kind { Deterministic, Exponential, Erlang, Lognormal, Uniform };
    Kind kind = Kind::Deterministic;
    double mean_s = 0;
    /// Erlang: the number of phases k; lognormal: the coefficient of variation; uniform: the
    /// half-width as a fraction of the mean. Unused otherwise.
    double shape = 0;

    double sample(Rng& rng) const {
        switch (kind) {
        case Kind::Deterministic:
            return mean_s;
        case Kind::Exponential:
            return rng.exponential(mean_s);
        case Kind::Erlang: {
            const int k = std::max(1, static_cast<int>(std::lround(shape)));
            double sum = 0;
            for (int i = 0; i < k; ++i)
                sum += rng.exponential(mean_s / k);
            return sum;
        }
        case Kind::Lognormal: {
            // Mean m and coefficient of variation v: sigma^2 = ln(1 + v^2),
            // mu = ln m - sigma^2 / 2 (moments of the lognormal distribution).
            const double sigma2 = std::log1p(shape * shape);
            const double mu = std::log(mean_s) - sigma2 / 2;
            return std::exp(mu + std::sqrt(sigma2) * rng.standardNormal());
        }
        case Kind::Uniform:
            return mean_s * (1 - shape + 2 * shape * rng.uniform());
        }
        return mean_s;
    }
};

} // namespace parktwin::logistics
