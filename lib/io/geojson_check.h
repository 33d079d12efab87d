/*
 * io/geojson_check.h — the GeoJSON fast path's checks beyond json-c's strict parse
 * (geojson_check.c): each returns why the fast path must give up (a static string), or NULL.
 */
#ifndef BZ_IO_GEOJSON_CHECK_H
#define BZ_IO_GEOJSON_CHECK_H

#include <json-c/json.h>
#include <stddef.h>

/* The raw text (size bytes, then a '\0'): bytes json-c lets through but GDAL may read
 * otherwise. */
const char *bzi_geojson_check_bytes(const char *text, size_t size);

/* json-c's tree of the text: what it no longer shows (duplicated members, quotes), non-finite
 * numbers, words other drivers probe for. */
const char *bzi_geojson_check_tree(json_object *root, const char *text, size_t size);

#endif
