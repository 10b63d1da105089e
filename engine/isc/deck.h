#pragma once
// An ISCST3 control file (runstream) as the ISC3 user's guide, volume I (EPA-454/B-95-003a),
// section 3 describes it: the CO, SO, RE, ME and OU pathways, one keyword per line, with
// continuation lines that leave the pathway and keyword fields blank.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/geometry.h"
#include "engine/dispersion/plume.h"
#include "engine/dispersion/volume_area.h"

namespace parktwin::isc {

struct Control {
    std::string title1, title2;
    bool regulatoryDefault = false; ///< MODELOPT DFAULT
    bool urban = false;             ///< MODELOPT URBAN (else RURAL)
    bool noStackTipDownwash = false; ///< MODELOPT NOSTD (ignored under DFAULT)
    bool missingProcessing = false; ///< MODELOPT MSGPRO
    std::vector<int> periods_h;     ///< AVERTIME short-term periods, in deck order
    bool periodAverage = false;     ///< AVERTIME PERIOD (or ANNUAL)
    std::string pollutant;          ///< POLLUTID
    std::optional<double> halfLife_s;       ///< HALFLIFE
    std::optional<double> decayCoef_per_s;  ///< DCAYCOEF
    bool elevatedTerrain = false;   ///< TERRHGTS ELEV (else FLAT)
    bool run = true;                ///< RUNORNOT RUN (else NOT: setup only)
    std::string eventFile, errorFile;
    /// Not a keyword: false runs point sources through the scalar receptor loop, to compare
    /// the two loops on the same deck.
    bool vectorLoop = true;
};

enum class SourceType { Point, Volume, Area };

struct Source {
    std::string id;
    SourceType type = SourceType::Point;
    int line = 0;                 ///< LOCATION line
    Vec2 position;
    double baseElevation_m = 0;
    bool hasParams = false;
    dispersion::PointSource point;
    dispersion::VolumeSource volume;
    dispersion::AreaSource area;
    std::vector<double> buildingHeights_m; ///< BUILDHGT, 36 values once complete
    std::vector<double> buildingWidths_m;  ///< BUILDWID
    int buildingLine = 0;
};

struct SourceGroup {
    std::string id;
    std::vector<std::size_t> sources; ///< indices into Deck::sources
};

/// ISC3's receptor network kinds, with the two-letter codes of its tables.
enum class ReceptorKind { GridCart, GridPolar, DiscCart, DiscPolar };
const char* receptorCode(ReceptorKind kind);

struct Network {
    std::string id;
    ReceptorKind kind = ReceptorKind::GridCart;
    Vec2 origin;                 ///< GRIDPOLR origin
    std::vector<double> xs, ys;  ///< GRIDCART x and y points
    std::vector<double> distances_m, directions_deg; ///< GRIDPOLR rings and radials
    std::size_t firstReceptor = 0;
    std::size_t receptorCount = 0;
};

struct Receptor {
    Vec2 position;
    double elevation_m = 0;
    double flagpole_m = 0;
    ReceptorKind kind = ReceptorKind::DiscCart;
    int network = -1; ///< index into Deck::networks, -1 for discrete receptors
};

struct Meteorology {
    std::filesystem::path inputFile; ///< resolved against the deck's folder
    int inputLine = 0;
    double anemometerHeight_m = 10.0;
    long surfaceStation = 0, surfaceYear = 0, upperStation = 0, upperYear = 0;
    std::string surfaceName, upperName;
    /// DAYRANGE: selected Julian days (1-366); empty means every day.
    std::vector<bool> days;
    /// STARTEND: first and last hour processed as YYYYMMDDHH, hour ending.
    std::optional<std::int64_t> start, end;
};

/// Averaging period keys of the OU pathway: hours, or 0 for the PERIOD average.
struct RecTable {
    int period_h = 0;
    int ranks = 2;
};
struct MaxTable {
    int period_h = 0;
    int count = 0;
};
struct MaxiFile {
    int period_h = 0;
    std::string group;
    double threshold = 0;
    std::string file;
    int line = 0;
};
struct PostFile {
    int period_h = 0; ///< 0 for PERIOD
    std::string group;
    std::string file;
    int line = 0;
};
struct PlotFile {
    int period_h = 0; ///< 0 for PERIOD
    std::string group;
    int rank = 1;     ///< 0 for PERIOD
    std::string file;
    int line = 0;
};

struct Outputs {
    std::vector<RecTable> recTables;
    std::vector<MaxTable> maxTables;
    std::vector<MaxiFile> maxiFiles;
    std::vector<PostFile> postFiles;
    std::vector<PlotFile> plotFiles;
};

struct Deck {
    std::filesystem::path path;
    std::vector<std::string> echo; ///< the deck's lines, for the print file
    Control control;
    std::vector<Source> sources;
    std::vector<SourceGroup> groups;
    std::vector<Network> networks;
    std::vector<Receptor> receptors;
    Meteorology met;
    Outputs outputs;
};

/// Reads and checks a control file. Every error is an InputError naming the file and line;
/// keywords ISCST3 does not know, and the few options ParkTwin does not model, are refused.
Deck readDeck(const std::filesystem::path& file);

} // namespace parktwin::isc
