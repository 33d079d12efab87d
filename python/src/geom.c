/*
 * geom.c — the Line and Geometry handle types, and the functions that make them: from WKT,
 * from WKB, from files (bz_read_line / bz_read_polygon), and by deriving a line from a
 * control map. The GIL is released around every library call that may take time.
 */
#include "ext.h"

#include <string.h>

/* ---- Line ------------------------------------------------------------------------------- */

PyObject *bzpy_line_new(bz_line *line, PyObject *owner, int owned)
{
    LineObject *self = PyObject_New(LineObject, &LineType);
    if (!self) {
        if (owned)
            bz_line_free(line);
        return NULL;
    }
    self->line = line;
    self->owned = owned;
    Py_INCREF(owner);
    self->owner = owner;
    return (PyObject *)self;
}

static void line_dealloc(LineObject *self)
{
    if (self->owned)
        bz_line_free(self->line);
    Py_XDECREF(self->owner);
    PyObject_Free(self);
}

PyObject *bzpy_wkb(bz_context *ctx, const GEOSGeometry *g)
{
    unsigned char *wkb = NULL;
    size_t size = 0;
    int st = bz_geometry_to_wkb(&wkb, &size, ctx, g);
    if (st != BZ_OK)
        return bzpy_raise(ctx, st);
    PyObject *b = PyBytes_FromStringAndSize((const char *)wkb, (Py_ssize_t)size);
    bz_free(wkb);
    return b;
}

static PyObject *line_wkb(LineObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &CtxType))
        return PyErr_Format(PyExc_TypeError, "wkb(ctx): expected a Context");
    return bzpy_wkb(((CtxObject *)arg)->ctx, bz_line_geometry(self->line));
}

static PyObject *line_length(LineObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &CtxType))
        return PyErr_Format(PyExc_TypeError, "length(ctx): expected a Context");
    bz_context *ctx = ((CtxObject *)arg)->ctx;
    double m = 0.0;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_line_length(&m, ctx, self->line);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(ctx, st);
    return PyFloat_FromDouble(m);
}

static PyObject *line_num_parts(LineObject *self, PyObject *unused)
{
    (void)unused;
    return PyLong_FromSize_t(bz_line_num_parts(self->line));
}

static PyObject *line_num_points(LineObject *self, PyObject *unused)
{
    (void)unused;
    return PyLong_FromSize_t(bz_line_num_points(self->line));
}

/* The parts' coordinates as a list of lists of (lon, lat) tuples. */
static PyObject *line_parts(LineObject *self, PyObject *unused)
{
    (void)unused;
    size_t nparts = bz_line_num_parts(self->line);
    PyObject *parts = PyList_New((Py_ssize_t)nparts);
    for (size_t p = 0; parts && p < nparts; p++) {
        size_t n = 0;
        const double *xy = bz_line_part_coords(self->line, p, &n);
        PyObject *pts = PyList_New((Py_ssize_t)n);
        if (!pts) {
            Py_CLEAR(parts);
            break;
        }
        PyList_SET_ITEM(parts, (Py_ssize_t)p, pts);
        for (size_t i = 0; i < n; i++) {
            PyObject *t = Py_BuildValue("(dd)", xy[2 * i], xy[2 * i + 1]);
            if (!t) {
                Py_CLEAR(parts);
                break;
            }
            PyList_SET_ITEM(pts, (Py_ssize_t)i, t);
        }
    }
    return parts;
}

static int get_doubles(PyObject *obj, Py_buffer *view, int writable, const char *what)
{
    if (PyObject_GetBuffer(obj, view,
                           PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0)
        return -1;
    if (!view->format || strcmp(view->format, "d") != 0 || view->itemsize != sizeof(double)) {
        PyBuffer_Release(view);
        PyErr_Format(PyExc_TypeError, "%s: expected a contiguous float64 buffer", what);
        return -1;
    }
    return 0;
}

/* distance(ctx, lon, lat, out_distance, out_side_or_None): float64 buffers of one length;
 * out_side (int8) receives +1 left, -1 right, 0 on the line. */
static PyObject *line_distance(LineObject *self, PyObject *args)
{
    PyObject *ctxo, *lon_o, *lat_o, *dist_o, *side_o;
    if (!PyArg_ParseTuple(args, "O!OOOO:distance", &CtxType, &ctxo, &lon_o, &lat_o, &dist_o,
                          &side_o))
        return NULL;
    bz_context *ctx = ((CtxObject *)ctxo)->ctx;
    Py_buffer lon, lat, dist, side;
    int have_side = side_o != Py_None;
    if (get_doubles(lon_o, &lon, 0, "lon") < 0)
        return NULL;
    if (get_doubles(lat_o, &lat, 0, "lat") < 0) {
        PyBuffer_Release(&lon);
        return NULL;
    }
    if (get_doubles(dist_o, &dist, 1, "out") < 0) {
        PyBuffer_Release(&lon);
        PyBuffer_Release(&lat);
        return NULL;
    }
    if (have_side && PyObject_GetBuffer(side_o, &side, PyBUF_C_CONTIGUOUS | PyBUF_WRITABLE) < 0) {
        PyBuffer_Release(&lon);
        PyBuffer_Release(&lat);
        PyBuffer_Release(&dist);
        return NULL;
    }
    size_t n = (size_t)(lon.len / (Py_ssize_t)sizeof(double));
    PyObject *result = NULL;
    if ((size_t)(lat.len / (Py_ssize_t)sizeof(double)) != n ||
        (size_t)(dist.len / (Py_ssize_t)sizeof(double)) != n ||
        (have_side && (size_t)side.len != n)) {
        PyErr_SetString(PyExc_ValueError, "distance: buffers of different lengths");
        goto done;
    }
    const double *x = lon.buf, *y = lat.buf;
    double *d = dist.buf;
    signed char *s = have_side ? side.buf : NULL;
    int st = BZ_OK;
    size_t i = 0;
    PyThreadState *ts = PyEval_SaveThread();
    for (i = 0; i < n; i++) {
        bz_nearest nr;
        st = bz_line_distance(&nr, ctx, self->line, x[i], y[i]);
        if (st != BZ_OK)
            break;
        d[i] = nr.distance_m;
        if (s)
            s[i] = (signed char)nr.side;
    }
    PyEval_RestoreThread(ts);
    if (st != BZ_OK) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "point %zu: ", i);
        bzpy_raise_at(ctx, st, prefix);
    } else {
        result = Py_NewRef(Py_None);
    }
done:
    PyBuffer_Release(&lon);
    PyBuffer_Release(&lat);
    PyBuffer_Release(&dist);
    if (have_side)
        PyBuffer_Release(&side);
    return result;
}

static PyMethodDef line_methods[] = {
    {"wkb", (PyCFunction)line_wkb, METH_O, "wkb(ctx): the line as WKB (MultiLineString)."},
    {"length", (PyCFunction)line_length, METH_O, "length(ctx): geodesic length in metres."},
    {"num_parts", (PyCFunction)line_num_parts, METH_NOARGS, "Number of parts."},
    {"num_points", (PyCFunction)line_num_points, METH_NOARGS, "Number of vertices."},
    {"parts", (PyCFunction)line_parts, METH_NOARGS, "The parts as lists of (lon, lat)."},
    {"distance", (PyCFunction)line_distance, METH_VARARGS,
     "distance(ctx, lon, lat, out, side_out): geodesic distances to the line."},
    {NULL, NULL, 0, NULL}};

PyTypeObject LineType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bufferzone._bufferzone.Line",
    .tp_basicsize = sizeof(LineObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A bz_line handle.",
    .tp_dealloc = (destructor)line_dealloc,
    .tp_methods = line_methods,
};

/* ---- Geometry --------------------------------------------------------------------------- */

PyObject *bzpy_geom_new(GEOSGeometry *g, CtxObject *ctx)
{
    GeomObject *self = PyObject_New(GeomObject, &GeomType);
    if (!self) {
        bz_geometry_free(ctx->ctx, g);
        return NULL;
    }
    self->geom = g;
    Py_INCREF(ctx);
    self->ctx = ctx;
    return (PyObject *)self;
}

static void geom_dealloc(GeomObject *self)
{
    bz_geometry_free(self->ctx->ctx, self->geom);
    Py_DECREF(self->ctx);
    PyObject_Free(self);
}

static PyObject *geom_wkb(GeomObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &CtxType))
        return PyErr_Format(PyExc_TypeError, "wkb(ctx): expected a Context");
    return bzpy_wkb(((CtxObject *)arg)->ctx, self->geom);
}

static PyObject *geom_area(GeomObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &CtxType))
        return PyErr_Format(PyExc_TypeError, "area(ctx): expected a Context");
    bz_context *ctx = ((CtxObject *)arg)->ctx;
    double a = 0.0;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_geodesic_area(&a, ctx, self->geom);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(ctx, st);
    return PyFloat_FromDouble(a);
}

static PyObject *geom_length(GeomObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &CtxType))
        return PyErr_Format(PyExc_TypeError, "length(ctx): expected a Context");
    bz_context *ctx = ((CtxObject *)arg)->ctx;
    double m = 0.0;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_geodesic_length(&m, ctx, self->geom);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(ctx, st);
    return PyFloat_FromDouble(m);
}

static PyMethodDef geom_methods[] = {
    {"wkb", (PyCFunction)geom_wkb, METH_O, "wkb(ctx): ISO WKB."},
    {"area", (PyCFunction)geom_area, METH_O, "area(ctx): ellipsoidal area in m²."},
    {"length", (PyCFunction)geom_length, METH_O, "length(ctx): geodesic length in metres."},
    {NULL, NULL, 0, NULL}};

PyTypeObject GeomType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bufferzone._bufferzone.Geometry",
    .tp_basicsize = sizeof(GeomObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An owned GEOS geometry handle.",
    .tp_dealloc = (destructor)geom_dealloc,
    .tp_methods = geom_methods,
};

/* ---- constructors ----------------------------------------------------------------------- */

static PyObject *geometry_from_wkb(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    Py_buffer wkb;
    if (!PyArg_ParseTuple(args, "O!y*:geometry_from_wkb", &CtxType, &c, &wkb))
        return NULL;
    GEOSGeometry *g = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_geometry_from_wkb(&g, c->ctx, (const unsigned char *)wkb.buf, (size_t)wkb.len);
    PyEval_RestoreThread(ts);
    PyBuffer_Release(&wkb);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_geom_new(g, c);
}

static PyObject *geometry_from_wkt(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *wkt;
    if (!PyArg_ParseTuple(args, "O!s:geometry_from_wkt", &CtxType, &c, &wkt))
        return NULL;
    GEOSGeometry *g = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_geometry_from_wkt(&g, c->ctx, wkt);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_geom_new(g, c);
}

static PyObject *line_from_wkt(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *wkt;
    if (!PyArg_ParseTuple(args, "O!s:line_from_wkt", &CtxType, &c, &wkt))
        return NULL;
    bz_line *line = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_line_from_wkt(&line, c->ctx, wkt);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_line_new(line, (PyObject *)c, 1);
}

static PyObject *line_from_wkb(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    Py_buffer wkb;
    if (!PyArg_ParseTuple(args, "O!y*:line_from_wkb", &CtxType, &c, &wkb))
        return NULL;
    GEOSGeometry *g = NULL;
    bz_line *line = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_geometry_from_wkb(&g, c->ctx, (const unsigned char *)wkb.buf, (size_t)wkb.len);
    if (st == BZ_OK)
        st = bz_line_from_geos(&line, c->ctx, g);
    bz_geometry_free(c->ctx, g);
    PyEval_RestoreThread(ts);
    PyBuffer_Release(&wkb);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_line_new(line, (PyObject *)c, 1);
}

/* Read options from Python values (None = unset). The strings are borrowed from the caller's
 * arguments, which outlive the call. */
static int read_opts(bz_read_options *o, PyObject *layer, PyObject *where, int make_valid,
                     PyObject *name_field, PyObject *pop_field)
{
    PyObject *vals[4] = {layer, where, name_field, pop_field};
    const char **dst[4] = {&o->layer, &o->where, &o->name_field, &o->population_field};
    o->make_valid = make_valid;
    for (int i = 0; i < 4; i++) {
        if (!vals[i] || vals[i] == Py_None)
            continue;
        *dst[i] = PyUnicode_AsUTF8(vals[i]);
        if (!*dst[i])
            return -1;
    }
    return 0;
}

static PyObject *read_line(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    PyObject *layer, *where;
    if (!PyArg_ParseTuple(args, "O!sOO:read_line", &CtxType, &c, &path, &layer, &where))
        return NULL;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    if (read_opts(&o, layer, where, 0, NULL, NULL) < 0)
        return NULL;
    bz_line *line = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_read_line(&line, c->ctx, path, &o);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_line_new(line, (PyObject *)c, 1);
}

static PyObject *read_polygon(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    PyObject *layer, *where;
    int make_valid;
    if (!PyArg_ParseTuple(args, "O!sOOp:read_polygon", &CtxType, &c, &path, &layer, &where,
                          &make_valid))
        return NULL;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    if (read_opts(&o, layer, where, make_valid, NULL, NULL) < 0)
        return NULL;
    GEOSGeometry *g = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_read_polygon(&g, c->ctx, path, &o);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_geom_new(g, c);
}

static PyObject *read_places(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    PyObject *layer, *where, *name_field, *pop_field;
    if (!PyArg_ParseTuple(args, "O!sOOOO:read_places", &CtxType, &c, &path, &layer, &where,
                          &name_field, &pop_field))
        return NULL;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    if (read_opts(&o, layer, where, 0, name_field, pop_field) < 0)
        return NULL;
    bz_places *p = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_read_places(&p, c->ctx, path, &o);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_places_new(p, c);
}

/* derive(ctx, territory, region, tolerance_m, min_length_m, progress, check_signals) -> Line */
static PyObject *derive(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    GeomObject *t, *r;
    double tol, minlen;
    PyObject *callback;
    int check_signals;
    if (!PyArg_ParseTuple(args, "O!O!O!ddOp:derive", &CtxType, &c, &GeomType, &t, &GeomType, &r,
                          &tol, &minlen, &callback, &check_signals))
        return NULL;
    if (callback != Py_None && !PyCallable_Check(callback))
        return PyErr_Format(PyExc_TypeError, "progress: expected a callable or None");
    bzpy_progress p = {callback == Py_None ? NULL : callback, check_signals, NULL};
    bz_derive_options o = BZ_DERIVE_OPTIONS_INIT;
    o.tolerance_m = tol;
    o.min_length_m = minlen;
    o.progress = bzpy_progress_cb;
    o.progress_data = &p;
    bz_line *line = NULL;
    int st;
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_line_derive(&line, c->ctx, t->geom, r->geom, &o);
    PyEval_RestoreThread(ts);
    if (p.exc) { /* KeyboardInterrupt, or what the progress function raised */
        bz_line_free(line);
        bzpy_restore_exception(p.exc);
        return NULL;
    }
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return bzpy_line_new(line, (PyObject *)c, 1);
}

PyMethodDef bzpy_geom_functions[] = {
    {"geometry_from_wkb", geometry_from_wkb, METH_VARARGS, "geometry_from_wkb(ctx, wkb)"},
    {"geometry_from_wkt", geometry_from_wkt, METH_VARARGS, "geometry_from_wkt(ctx, wkt)"},
    {"line_from_wkt", line_from_wkt, METH_VARARGS, "line_from_wkt(ctx, wkt)"},
    {"line_from_wkb", line_from_wkb, METH_VARARGS, "line_from_wkb(ctx, wkb)"},
    {"read_line", read_line, METH_VARARGS, "read_line(ctx, path, layer, where)"},
    {"read_polygon", read_polygon, METH_VARARGS,
     "read_polygon(ctx, path, layer, where, make_valid)"},
    {"read_places", read_places, METH_VARARGS,
     "read_places(ctx, path, layer, where, name_field, population_field)"},
    {"derive", derive, METH_VARARGS,
     "derive(ctx, territory, region, tolerance_m, min_length_m, progress, check_signals)"},
    {NULL, NULL, 0, NULL}};
