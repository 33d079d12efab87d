/* gdal.c — the GDAL plumbing every I/O file shares: drivers registered once per process, a quiet
 * error handler per call, the WGS84 lon/lat spatial reference.
 *
 * io/ owns files and bytes: reading any OGR source into GEOS geometries, lines, places and
 * features (read.c, read_geometry.c, read_places.c, features.c, with the json-c fast path for
 * ordinary GeoJSON in geojson_read.c and geojson_check.c); writing through OGR (writer.c) or
 * straight as GeoJSON (geojson_write.c), moved into place atomically under the output policy
 * (commit.c, output.c, output_write.c); the QGIS styles and the one look (style.c,
 * writer_style.c, palette.h); bz_zones_write (zones_write.c); GDAL's in-memory files
 * (vsimem.c). It is the only layer that knows GDAL, and the top one: it builds on zones/, geo/
 * and core/, and nothing includes it. */
#include "io/gdal.h"

#include <pthread.h>
#include <stdio.h>
/* ---------------------------------------------------------------------------------------- */

static void CPL_STDCALL quiet_handler(CPLErr level, CPLErrorNum num, const char *msg)
{
    (void)num;
    bzi_gdal_quiet *q = CPLGetErrorHandlerUserData();
    /* The first failure says what went wrong; later ones tend to be "failed to read". */
    if (q && level >= CE_Failure && msg && !q->msg[0])
        snprintf(q->msg, sizeof q->msg, "%s", msg);
}

/* GDALAllRegister() rebuilds GDAL's process-wide driver list and is not safe to run in two
 * threads at once (it crashed about one run in three of tests/test_io_threads.c), so it runs
 * once per process. A mutex and a flag rather than pthread_once: the same guarantee, and
 * helgrind, which CI runs on that test, sees the order a mutex makes but not pthread_once's
 * lock-free fast path (it then reports every later use of GDAL's driver list as a race).
 * Drivers the application registers itself are GDAL's business, not ours. */
static pthread_mutex_t gdal_init_lock = PTHREAD_MUTEX_INITIALIZER;
static int gdal_registered; /* guarded by gdal_init_lock */

void bzi_gdal_init(void)
{
    pthread_mutex_lock(&gdal_init_lock);
    if (!gdal_registered) {
        GDALAllRegister();
        gdal_registered = 1;
    }
    pthread_mutex_unlock(&gdal_init_lock);
}

void bzi_gdal_quiet_begin(bzi_gdal_quiet *q)
{
    CPLPushErrorHandlerEx(quiet_handler, q);
    /* The first call registers the drivers; what a plugin that fails to load says then is
     * not this call's failure. */
    bzi_gdal_init();
    CPLErrorReset();
    q->msg[0] = '\0';
}

void bzi_gdal_quiet_end(bzi_gdal_quiet *q)
{
    (void)q;
    CPLPopErrorHandler();
}

const char *bzi_gdal_msg(const bzi_gdal_quiet *q)
{
    if (q->msg[0])
        return q->msg;
    const char *last = CPLGetLastErrorMsg();
    return last && last[0] ? last : "no detail from GDAL";
}

OGRSpatialReferenceH bzi_wgs84_lonlat(void)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs)
        return NULL;
    if (OSRSetWellKnownGeogCS(srs, "WGS84") != OGRERR_NONE) {
        OSRRelease(srs);
        return NULL;
    }
    /* EPSG:4326 is (lat, lon) to PROJ; GEOS and GeoJSON want (lon, lat). */
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}
