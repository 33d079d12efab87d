/*
 * zones.c — the Zones handle type and the zone computation, with the progress callback that
 * makes a long computation stoppable: Ctrl-C (in the main thread) or a Python progress
 * function that returns True cancels it through BZ_ERR_CANCELLED.
 */
#include "ext.h"

#include <geos_c.h>
#include <string.h>

static void zones_dealloc(ZonesObject *self)
{
    bz_zones_free(self->zones);
    Py_DECREF(self->ctx);
    PyObject_Free(self);
}

static int parse_side(PyObject *arg, bz_side *side)
{
    long s = PyLong_AsLong(arg);
    if (s == -1 && PyErr_Occurred())
        return -1;
    if (s != 0 && s != 1) {
        PyErr_SetString(PyExc_ValueError, "side must be 0 (A) or 1 (B)");
        return -1;
    }
    *side = s ? BZ_SIDE_B : BZ_SIDE_A;
    return 0;
}

/* A result geometry by name: "zone", "withdrawal_line", "side_ground", "buffer_zone",
 * "contact_line". Borrowed; NULL with an exception for an unknown name or side. */
static const GEOSGeometry *pick(ZonesObject *self, const char *what, PyObject *side_o)
{
    bz_side side;
    if (parse_side(side_o, &side) < 0)
        return NULL;
    if (strcmp(what, "zone") == 0)
        return bz_zones_zone(self->zones, side);
    if (strcmp(what, "withdrawal_line") == 0)
        return bz_zones_withdrawal_line(self->zones, side);
    if (strcmp(what, "side_ground") == 0)
        return bz_zones_side_ground(self->zones, side);
    if (strcmp(what, "buffer_zone") == 0)
        return bz_zones_buffer_zone(self->zones);
    if (strcmp(what, "contact_line") == 0)
        return bz_line_geometry(bz_zones_contact_line(self->zones));
    PyErr_Format(PyExc_ValueError, "unknown geometry '%s'", what);
    return NULL;
}

/* wkb(ctx, what, side) -> bytes */
static PyObject *zones_wkb(ZonesObject *self, PyObject *args)
{
    CtxObject *c;
    const char *what;
    PyObject *side_o;
    if (!PyArg_ParseTuple(args, "O!sO:wkb", &CtxType, &c, &what, &side_o))
        return NULL;
    const GEOSGeometry *g = pick(self, what, side_o);
    return g ? bzpy_wkb(c->ctx, g) : NULL;
}

/* geometry(ctx, what, side) -> a Geometry handle (a copy, for bz_places_within & co.) */
static PyObject *zones_geometry(ZonesObject *self, PyObject *args)
{
    CtxObject *c;
    const char *what;
    PyObject *side_o;
    if (!PyArg_ParseTuple(args, "O!sO:geometry", &CtxType, &c, &what, &side_o))
        return NULL;
    const GEOSGeometry *g = pick(self, what, side_o);
    if (!g)
        return NULL;
    GEOSGeometry *copy = GEOSGeom_clone_r(bz_context_geos(c->ctx), g);
    return copy ? bzpy_geom_new(copy, c) : PyErr_NoMemory();
}

/* The scalar results as a dict (all in metres and square metres). */
static PyObject *zones_measures(ZonesObject *self, PyObject *unused)
{
    (void)unused;
    const bz_zones *z = self->zones;
    return Py_BuildValue("{s:(dd),s:(dd),s:(dd),s:d,s:d,s:d}", "distance_m",
                         bz_zones_distance(z, BZ_SIDE_A), bz_zones_distance(z, BZ_SIDE_B),
                         "area_m2", bz_zones_area(z, BZ_SIDE_A), bz_zones_area(z, BZ_SIDE_B),
                         "withdrawal_length_m", bz_zones_withdrawal_length(z, BZ_SIDE_A),
                         bz_zones_withdrawal_length(z, BZ_SIDE_B), "buffer_area_m2",
                         bz_zones_buffer_area(z), "contact_length_m", bz_zones_contact_length(z),
                         "max_error_m", bz_zones_max_error(z));
}

/* The contact line, borrowed from the result (the Line keeps the result alive). */
static PyObject *zones_contact_line(ZonesObject *self, PyObject *unused)
{
    (void)unused;
    return bzpy_line_new((bz_line *)bz_zones_contact_line(self->zones), (PyObject *)self, 0);
}

static PyObject *zones_to_geojson(ZonesObject *self, PyObject *args)
{
    CtxObject *c;
    const char *na, *nb;
    if (!PyArg_ParseTuple(args, "O!ss:to_geojson", &CtxType, &c, &na, &nb))
        return NULL;
    char *text = NULL;
    size_t size = 0;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_zones_to_geojson(&text, &size, c->ctx, self->zones, na, nb);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    PyObject *s = PyUnicode_DecodeUTF8(text, (Py_ssize_t)size, "strict");
    bz_free(text);
    return s;
}

/* write(ctx, path, name_a, name_b, format_or_None, overwrite) */
static PyObject *zones_write(ZonesObject *self, PyObject *args)
{
    CtxObject *c;
    const char *path, *na, *nb;
    PyObject *format;
    int overwrite;
    if (!PyArg_ParseTuple(args, "O!sssOp:write", &CtxType, &c, &path, &na, &nb, &format,
                          &overwrite))
        return NULL;
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = overwrite;
    if (format != Py_None && !(o.format = PyUnicode_AsUTF8(format)))
        return NULL;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_zones_write(c->ctx, self->zones, path, na, nb, &o);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    Py_RETURN_NONE;
}

static PyMethodDef zones_methods[] = {
    {"wkb", (PyCFunction)zones_wkb, METH_VARARGS, "wkb(ctx, what, side): a result geometry."},
    {"geometry", (PyCFunction)zones_geometry, METH_VARARGS,
     "geometry(ctx, what, side): a copy of a result geometry as a Geometry handle."},
    {"measures", (PyCFunction)zones_measures, METH_NOARGS, "The scalar results as a dict."},
    {"contact_line", (PyCFunction)zones_contact_line, METH_NOARGS, "The contact line used."},
    {"to_geojson", (PyCFunction)zones_to_geojson, METH_VARARGS,
     "to_geojson(ctx, name_a, name_b): bz_zones_to_geojson."},
    {"write", (PyCFunction)zones_write, METH_VARARGS,
     "write(ctx, path, name_a, name_b, format, overwrite): bz_zones_write."},
    {NULL, NULL, 0, NULL}};

PyTypeObject ZonesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bufferzone._bufferzone.Zones",
    .tp_basicsize = sizeof(ZonesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A bz_zones handle.",
    .tp_dealloc = (destructor)zones_dealloc,
    .tp_methods = zones_methods,
};

static PyObject *zones_new(bz_zones *z, CtxObject *c)
{
    ZonesObject *self = PyObject_New(ZonesObject, &ZonesType);
    if (!self) {
        bz_zones_free(z);
        return NULL;
    }
    self->zones = z;
    Py_INCREF(c);
    self->ctx = c;
    return (PyObject *)self;
}

/* ---- progress and cancellation ---------------------------------------------------------- */

/* Move the current exception into *slot, and back (PyErr_Fetch is deprecated in 3.12). */
static void take_exception(PyObject **slot)
{
#if PY_VERSION_HEX >= 0x030C0000
    *slot = PyErr_GetRaisedException();
#else
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (tb && value)
        PyException_SetTraceback(value, tb);
    Py_XDECREF(type);
    Py_XDECREF(tb);
    *slot = value;
#endif
}

void bzpy_restore_exception(PyObject *exc)
{
#if PY_VERSION_HEX >= 0x030C0000
    PyErr_SetRaisedException(exc);
#else
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, PyException_GetTraceback(exc));
#endif
}

/* Runs in the calling thread, with the GIL released: take it back briefly only when there is
 * something to do in Python (signal handlers run only in the main thread). Returning non-zero
 * makes the library stop, free everything and return BZ_ERR_CANCELLED. */
int bzpy_progress_cb(double fraction, void *data)
{
    bzpy_progress *p = data;
    if (!p->callback && !p->check_signals)
        return 0;
    PyGILState_STATE gs = PyGILState_Ensure();
    int stop = 0;
    if (p->check_signals && PyErr_CheckSignals() < 0) {
        stop = 1;
    } else if (p->callback) {
        PyObject *r = PyObject_CallFunction(p->callback, "d", fraction);
        stop = r ? PyObject_IsTrue(r) : 1;
        Py_XDECREF(r);
        if (stop < 0)
            stop = 1;
    }
    if (stop && PyErr_Occurred() && !p->exc)
        take_exception(&p->exc);
    PyGILState_Release(gs);
    return stop;
}

static GEOSGeometry *opt_geom(PyObject *o)
{
    return o == Py_None ? NULL : ((GeomObject *)o)->geom;
}

static int check_opt(PyObject *o, PyTypeObject *type, const char *what)
{
    if (o != Py_None && !PyObject_TypeCheck(o, type)) {
        PyErr_Format(PyExc_TypeError, "%s: expected %s or None", what, type->tp_name);
        return -1;
    }
    return 0;
}

/* zones_compute(ctx, line, region, territory, dist_a, dist_b, max_error_m, verify,
 *               verify_step_m, derive_tolerance_m, progress, check_signals) -> Zones */
static PyObject *zones_compute(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    PyObject *line, *region, *territory, *callback;
    double da, db;
    bz_zone_options o = BZ_ZONE_OPTIONS_INIT;
    int verify, check_signals;
    if (!PyArg_ParseTuple(args, "O!OOOdddpddOp:zones_compute", &CtxType, &c, &line, &region,
                          &territory, &da, &db, &o.max_error_m, &verify, &o.verify_step_m,
                          &o.derive_tolerance_m, &callback, &check_signals))
        return NULL;
    if (check_opt(line, &LineType, "line") < 0 || check_opt(region, &GeomType, "region") < 0 ||
        check_opt(territory, &GeomType, "territory") < 0)
        return NULL;
    if (callback != Py_None && !PyCallable_Check(callback))
        return PyErr_Format(PyExc_TypeError, "progress: expected a callable or None");
    o.verify = verify;
    bzpy_progress p = {callback == Py_None ? NULL : callback, check_signals, NULL};
    o.progress = bzpy_progress_cb;
    o.progress_data = &p;
    const bz_line *l = line == Py_None ? NULL : ((LineObject *)line)->line;
    bz_zones *z = NULL;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_zones_compute(&z, c->ctx, l, opt_geom(region), opt_geom(territory), da, db, &o);
    PyEval_RestoreThread(ts);
    if (p.exc) { /* KeyboardInterrupt, or what the progress function raised */
        bz_zones_free(z);
        bzpy_restore_exception(p.exc);
        return NULL;
    }
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return zones_new(z, c);
}

/* zones_from_polygon(ctx, line, region, territory, zone) -> Zones */
static PyObject *zones_from_polygon(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    PyObject *line, *region, *territory;
    GeomObject *zone;
    if (!PyArg_ParseTuple(args, "O!OOOO!:zones_from_polygon", &CtxType, &c, &line, &region,
                          &territory, &GeomType, &zone))
        return NULL;
    if (check_opt(line, &LineType, "line") < 0 || check_opt(region, &GeomType, "region") < 0 ||
        check_opt(territory, &GeomType, "territory") < 0)
        return NULL;
    const bz_line *l = line == Py_None ? NULL : ((LineObject *)line)->line;
    bz_zones *z = NULL;
    PyThreadState *ts = PyEval_SaveThread();
    int st =
        bz_zones_from_polygon(&z, c->ctx, l, opt_geom(region), opt_geom(territory), zone->geom);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return zones_new(z, c);
}

PyMethodDef bzpy_zones_functions[] = {
    {"zones_compute", zones_compute, METH_VARARGS,
     "zones_compute(ctx, line, region, territory, dist_a, dist_b, max_error_m, verify, "
     "verify_step_m, derive_tolerance_m, progress, check_signals)"},
    {"zones_from_polygon", zones_from_polygon, METH_VARARGS,
     "zones_from_polygon(ctx, line, region, territory, zone)"},
    {NULL, NULL, 0, NULL}};
