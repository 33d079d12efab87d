/*
 * ext.h — shared declarations of the CPython extension bufferzone._bufferzone: thin handle
 * types over the public C API (bufferzone.h). Everything Pythonic (input conversion, Shapely,
 * GeoPandas, docstrings for users) lives in the pure-Python package; this layer only owns C
 * objects, releases the GIL around library calls and turns statuses into exceptions.
 */
#ifndef BZ_PYEXT_H
#define BZ_PYEXT_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <bufferzone.h>

#if PY_VERSION_HEX < 0x030A0000 /* Py_NewRef arrived in 3.10 */
static inline PyObject *Py_NewRef(PyObject *o)
{
    Py_INCREF(o);
    return o;
}
#endif

/* A bz_context. The Python package keeps one per thread (threading.local); every object made
 * with a context holds a reference to it, so the context outlives its objects. */
typedef struct {
    PyObject_HEAD bz_context *ctx;
} CtxObject;

/* A contact line. `owner` keeps alive what the line depends on: the Context that made an
 * owned line, or the Zones object whose borrowed contact line this is. */
typedef struct {
    PyObject_HEAD bz_line *line;
    PyObject *owner;
    int owned;
} LineObject;

/* An owned GEOS geometry (region, territory, zone, ...) and the Context that made it. */
typedef struct {
    PyObject_HEAD GEOSGeometry *geom;
    CtxObject *ctx;
} GeomObject;

/* Places (settlements). */
typedef struct {
    PyObject_HEAD bz_places *places;
    CtxObject *ctx;
} PlacesObject;

/* A zone result. */
typedef struct {
    PyObject_HEAD bz_zones *zones;
    CtxObject *ctx;
} ZonesObject;

extern PyTypeObject CtxType, LineType, GeomType, PlacesType, ZonesType;

/* Raise the exception class registered for `status` with the context's message. Returns NULL. */
PyObject *bzpy_raise(bz_context *ctx, int status);
/* The same, with `prefix` before the message (e.g. "point 12: "). */
PyObject *bzpy_raise_at(bz_context *ctx, int status, const char *prefix);

/* New Python objects taking ownership of a C object (freed on failure). */
PyObject *bzpy_line_new(bz_line *line, PyObject *owner, int owned);
PyObject *bzpy_geom_new(GEOSGeometry *g, CtxObject *ctx);
PyObject *bzpy_places_new(bz_places *p, CtxObject *ctx);

/* bytes of the WKB of g (NULL with an exception on failure). */
PyObject *bzpy_wkb(bz_context *ctx, const GEOSGeometry *g);

/* Module-level functions, by file. */
/* A Python progress function and Ctrl-C, as a bz_progress_fn (zones.c): callback(fraction)
 * -> true to stop; check_signals: the calling thread is the main thread (run signal
 * handlers); an exception raised while polling is kept in exc until the GIL is back, then
 * re-raised with bzpy_restore_exception (which takes the reference). */
typedef struct bzpy_progress {
    PyObject *callback;
    int check_signals;
    PyObject *exc;
} bzpy_progress;
int bzpy_progress_cb(double fraction, void *data);
void bzpy_restore_exception(PyObject *exc);

extern PyMethodDef bzpy_geom_functions[];
extern PyMethodDef bzpy_zones_functions[];
extern PyMethodDef bzpy_misc_functions[];

#endif
