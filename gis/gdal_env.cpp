#include "gis/gdal_env.h"

#include <mutex>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include "engine/core/log.h"

namespace parktwin::gis {
namespace {

thread_local std::string tLastFailure;

// Failures are kept, not logged as errors: the reader that called GDAL decides whether they
// become an InputError (which carries the message) or are recoverable.
void CPL_STDCALL routeGdalMessage(CPLErr level, CPLErrorNum number, const char* message) {
    auto& logger = log::get("gis");
    const char* text = message ? message : "";
    switch (level) {
    case CE_Debug:
    case CE_None:
        logger.debug("GDAL: {}", text);
        break;
    case CE_Warning:
        logger.warn("GDAL: {}", text);
        break;
    case CE_Failure:
    case CE_Fatal:
        logger.debug("GDAL failure {}: {}", static_cast<int>(number), text);
        tLastFailure = text;
        break;
    }
}

} // namespace

void ensureGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(routeGdalMessage);
    });
}

std::string takeGdalError() {
    std::string message;
    message.swap(tLastFailure);
    return message;
}

void clearGdalError() {
    tLastFailure.clear();
    CPLErrorReset();
}

} // namespace parktwin::gis
