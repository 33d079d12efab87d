/*
 * misc.c — places (read, from arrays, counting inside an area), generic features (for
 * administrative units), territory change, intersection areas and GDAL in-memory files.
 */
#include "ext.h"

#include <geos_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Places ----------------------------------------------------------------------------- */

PyObject *bzpy_places_new(bz_places *p, CtxObject *ctx)
{
    PlacesObject *self = PyObject_New(PlacesObject, &PlacesType);
    if (!self) {
        bz_places_free(p);
        return NULL;
    }
    self->places = p;
    Py_INCREF(ctx);
    self->ctx = ctx;
    return (PyObject *)self;
}

static void places_dealloc(PlacesObject *self)
{
    bz_places_free(self->places);
    Py_DECREF(self->ctx);
    PyObject_Free(self);
}

/* (names, lons, lats, populations) as lists; unknown populations are NaN. */
static PyObject *places_columns(PlacesObject *self, PyObject *unused)
{
    (void)unused;
    size_t n = bz_places_count(self->places);
    PyObject *cols[4] = {PyList_New((Py_ssize_t)n), PyList_New((Py_ssize_t)n),
                         PyList_New((Py_ssize_t)n), PyList_New((Py_ssize_t)n)};
    for (int k = 0; k < 4; k++)
        if (!cols[k])
            goto fail;
    for (size_t i = 0; i < n; i++) {
        double lon, lat;
        bz_places_coords(self->places, i, &lon, &lat);
        PyObject *v[4] = {PyUnicode_FromString(bz_places_name(self->places, i)),
                          PyFloat_FromDouble(lon), PyFloat_FromDouble(lat),
                          PyFloat_FromDouble(bz_places_population(self->places, i))};
        int ok = 1;
        for (int k = 0; k < 4; k++) {
            if (v[k])
                PyList_SET_ITEM(cols[k], (Py_ssize_t)i, v[k]);
            else
                ok = 0;
        }
        if (!ok)
            goto fail;
    }
    return Py_BuildValue("(NNNN)", cols[0], cols[1], cols[2], cols[3]);
fail:
    for (int k = 0; k < 4; k++)
        Py_XDECREF(cols[k]);
    return NULL;
}

static PyObject *places_count(PlacesObject *self, PyObject *unused)
{
    (void)unused;
    return PyLong_FromSize_t(bz_places_count(self->places));
}

/* within(ctx, area) -> (count, population, [indices]) */
static PyObject *places_within(PlacesObject *self, PyObject *args)
{
    CtxObject *c;
    GeomObject *area;
    if (!PyArg_ParseTuple(args, "O!O!:within", &CtxType, &c, &GeomType, &area))
        return NULL;
    size_t n = bz_places_count(self->places);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return PyErr_NoMemory();
    size_t count = 0;
    double pop = 0.0;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_places_within(&count, &pop, idx, c->ctx, self->places, area->geom);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK) {
        free(idx);
        return bzpy_raise(c->ctx, st);
    }
    PyObject *list = PyList_New((Py_ssize_t)count);
    for (size_t i = 0; list && i < count; i++) {
        PyObject *v = PyLong_FromSize_t(idx[i]);
        if (!v) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, v);
    }
    free(idx);
    if (!list)
        return NULL;
    return Py_BuildValue("(ndN)", (Py_ssize_t)count, pop, list);
}

static PyMethodDef places_methods[] = {
    {"columns", (PyCFunction)places_columns, METH_NOARGS,
     "(names, lons, lats, populations) as lists."},
    {"count", (PyCFunction)places_count, METH_NOARGS, "Number of places."},
    {"within", (PyCFunction)places_within, METH_VARARGS,
     "within(ctx, area) -> (count, population, indices)."},
    {NULL, NULL, 0, NULL}};

PyTypeObject PlacesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bufferzone._bufferzone.Places",
    .tp_basicsize = sizeof(PlacesObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A bz_places handle.",
    .tp_dealloc = (destructor)places_dealloc,
    .tp_methods = places_methods,
};

static int double_buffer(PyObject *o, Py_buffer *b, const char *what)
{
    if (PyObject_GetBuffer(o, b, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (!b->format || strcmp(b->format, "d") != 0) {
        PyBuffer_Release(b);
        PyErr_Format(PyExc_TypeError, "%s: expected a contiguous float64 buffer", what);
        return -1;
    }
    return 0;
}

/* places_from_arrays(ctx, names (list of str) or None, lon, lat, population or None) */
static PyObject *places_from_arrays(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    PyObject *names_o, *lon_o, *lat_o, *pop_o;
    if (!PyArg_ParseTuple(args, "O!OOOO:places_from_arrays", &CtxType, &c, &names_o, &lon_o, &lat_o,
                          &pop_o))
        return NULL;
    Py_buffer lon, lat, pop;
    int have_pop = pop_o != Py_None;
    if (double_buffer(lon_o, &lon, "lon") < 0)
        return NULL;
    if (double_buffer(lat_o, &lat, "lat") < 0) {
        PyBuffer_Release(&lon);
        return NULL;
    }
    if (have_pop && double_buffer(pop_o, &pop, "population") < 0) {
        PyBuffer_Release(&lon);
        PyBuffer_Release(&lat);
        return NULL;
    }
    PyObject *result = NULL;
    const char **names = NULL;
    size_t n = (size_t)lon.len / sizeof(double);
    if ((size_t)lat.len / sizeof(double) != n ||
        (have_pop && (size_t)pop.len / sizeof(double) != n)) {
        PyErr_SetString(PyExc_ValueError, "places: lon, lat and population differ in length");
        goto done;
    }
    if (names_o != Py_None) {
        if (!PyList_Check(names_o) || (size_t)PyList_GET_SIZE(names_o) != n) {
            PyErr_SetString(PyExc_ValueError, "places: names must be a list as long as lon");
            goto done;
        }
        names = calloc(n ? n : 1, sizeof *names);
        if (!names) {
            PyErr_NoMemory();
            goto done;
        }
        for (size_t i = 0; i < n; i++) {
            PyObject *s = PyList_GET_ITEM(names_o, (Py_ssize_t)i);
            if (s != Py_None && !(names[i] = PyUnicode_AsUTF8(s)))
                goto done;
        }
    }
    bz_places *p = NULL;
    PyThreadState *ts = PyEval_SaveThread();
    int st =
        bz_places_from_arrays(&p, c->ctx, n, names, lon.buf, lat.buf, have_pop ? pop.buf : NULL);
    PyEval_RestoreThread(ts);
    result = st == BZ_OK ? bzpy_places_new(p, c) : bzpy_raise(c->ctx, st);
done:
    free(names);
    PyBuffer_Release(&lon);
    PyBuffer_Release(&lat);
    if (have_pop)
        PyBuffer_Release(&pop);
    return result;
}

/* ---- features --------------------------------------------------------------------------- */

/* read_features(ctx, path, layer, where, fields) -> [(Geometry or None, (attr or None, ...))] */
static PyObject *read_features(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    PyObject *layer, *where, *fields;
    if (!PyArg_ParseTuple(args, "O!sOOO!:read_features", &CtxType, &c, &path, &layer, &where,
                          &PyTuple_Type, &fields))
        return NULL;
    bz_read_options o = BZ_READ_OPTIONS_INIT;
    if ((layer != Py_None && !(o.layer = PyUnicode_AsUTF8(layer))) ||
        (where != Py_None && !(o.where = PyUnicode_AsUTF8(where))))
        return NULL;
    Py_ssize_t nf = PyTuple_GET_SIZE(fields);
    for (Py_ssize_t k = 0; k < nf; k++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(fields, k)))
            return PyErr_Format(PyExc_TypeError, "read_features: field names must be str");
    bz_features *f = NULL;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_read_features(&f, c->ctx, path, &o);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    size_t n = bz_features_count(f);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *geom = Py_None, *attrs = PyTuple_New(nf);
        const GEOSGeometry *g = bz_features_geometry(f, i);
        if (attrs && g) {
            GEOSGeometry *copy = GEOSGeom_clone_r(bz_context_geos(c->ctx), g);
            geom = copy ? bzpy_geom_new(copy, c) : PyErr_NoMemory();
        } else {
            Py_INCREF(geom);
        }
        for (Py_ssize_t k = 0; attrs && geom && k < nf; k++) {
            const char *v = bz_features_attr(f, i, PyUnicode_AsUTF8(PyTuple_GET_ITEM(fields, k)));
            PyObject *s =
                v ? PyUnicode_DecodeUTF8(v, (Py_ssize_t)strlen(v), "replace") : Py_NewRef(Py_None);
            if (!s)
                Py_CLEAR(attrs);
            else
                PyTuple_SET_ITEM(attrs, k, s);
        }
        PyObject *item = attrs && geom ? PyTuple_Pack(2, geom, attrs) : NULL;
        Py_XDECREF(geom);
        Py_XDECREF(attrs);
        if (!item) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    bz_features_free(f);
    return list;
}

/* An attribute of write_features: a str or None (kind, side, name). */
static int attr_text(PyObject *v, const char **out)
{
    *out = NULL;
    if (v == Py_None)
        return 0;
    if (!PyUnicode_Check(v)) {
        PyErr_Format(PyExc_TypeError, "write_features: kind, side and name must be str or None");
        return -1;
    }
    *out = PyUnicode_AsUTF8(v);
    return *out ? 0 : -1;
}

/* A measure of write_features: a number, or None (unset, NaN). */
static int attr_number(PyObject *v, double *out)
{
    *out = NAN;
    if (v == Py_None)
        return 0;
    *out = PyFloat_AsDouble(v);
    return *out == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/*
 * write_features(ctx, path, features, format or None, overwrite, no_style) -> None: features
 * is a list of (Geometry, kind, side, name, distance_m, area_km2, length_km), written through
 * bz_writer (the library's output policy, styles and simplestyle properties).
 */
static PyObject *write_features(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    PyObject *features, *format;
    int overwrite, no_style;
    if (!PyArg_ParseTuple(args, "O!sO!Opp:write_features", &CtxType, &c, &path, &PyList_Type,
                          &features, &format, &overwrite, &no_style))
        return NULL;
    bz_write_options o = BZ_WRITE_OPTIONS_INIT;
    o.overwrite = overwrite;
    o.no_style = no_style;
    if (format != Py_None && !(o.format = PyUnicode_AsUTF8(format)))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(features);
    for (Py_ssize_t i = 0; i < n; i++) { /* check everything before creating the file */
        PyObject *t = PyList_GET_ITEM(features, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 7 ||
            !PyObject_TypeCheck(PyTuple_GET_ITEM(t, 0), &GeomType))
            return PyErr_Format(PyExc_TypeError,
                                "write_features: feature %zd: expected (Geometry, kind, side, "
                                "name, distance_m, area_km2, length_km)",
                                i);
    }
    bz_writer *w = NULL;
    int st = bz_writer_open(&w, c->ctx, path, &o);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PyList_GET_ITEM(features, i);
        bz_feature_attrs a = BZ_FEATURE_ATTRS_INIT;
        if (attr_text(PyTuple_GET_ITEM(t, 1), &a.kind) ||
            attr_text(PyTuple_GET_ITEM(t, 2), &a.side) ||
            attr_text(PyTuple_GET_ITEM(t, 3), &a.name) ||
            attr_number(PyTuple_GET_ITEM(t, 4), &a.distance_m) ||
            attr_number(PyTuple_GET_ITEM(t, 5), &a.area_km2) ||
            attr_number(PyTuple_GET_ITEM(t, 6), &a.length_km)) {
            bz_writer_abort(w);
            return NULL;
        }
        st = bz_writer_add(w, ((GeomObject *)PyTuple_GET_ITEM(t, 0))->geom, &a);
        if (st != BZ_OK) {
            bz_writer_abort(w);
            return bzpy_raise(c->ctx, st);
        }
    }
    PyThreadState *ts = PyEval_SaveThread();
    st = bz_writer_commit(w);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    Py_RETURN_NONE;
}

/* ---- territory change ------------------------------------------------------------------- */

/* territory_diff(ctx, old, new, region or None) -> (gained, lost, gained_m2, lost_m2) */
static PyObject *territory_diff(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    GeomObject *old_t, *new_t;
    PyObject *region;
    if (!PyArg_ParseTuple(args, "O!O!O!O:territory_diff", &CtxType, &c, &GeomType, &old_t,
                          &GeomType, &new_t, &region))
        return NULL;
    if (region != Py_None && !PyObject_TypeCheck(region, &GeomType))
        return PyErr_Format(PyExc_TypeError, "region: expected a Geometry or None");
    const GEOSGeometry *r = region == Py_None ? NULL : ((GeomObject *)region)->geom;
    GEOSGeometry *gained = NULL, *lost = NULL;
    double gm2 = 0.0, lm2 = 0.0;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_territory_diff(&gained, &lost, &gm2, &lm2, c->ctx, old_t->geom, new_t->geom, r);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    PyObject *g = bzpy_geom_new(gained, c);
    PyObject *l = bzpy_geom_new(lost, c);
    if (!g || !l) {
        Py_XDECREF(g);
        Py_XDECREF(l);
        return NULL;
    }
    return Py_BuildValue("(NNdd)", g, l, gm2, lm2);
}

static PyObject *intersection_area(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    GeomObject *a, *b;
    if (!PyArg_ParseTuple(args, "O!O!O!:intersection_area", &CtxType, &c, &GeomType, &a, &GeomType,
                          &b))
        return NULL;
    double m2 = 0.0;
    PyThreadState *ts = PyEval_SaveThread();
    int st = bz_intersection_area(&m2, c->ctx, a->geom, b->geom);
    PyEval_RestoreThread(ts);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    return PyFloat_FromDouble(m2);
}

/* ---- GDAL in-memory files --------------------------------------------------------------- */

static PyObject *vsimem_put(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    Py_buffer data;
    if (!PyArg_ParseTuple(args, "O!sy*:vsimem_put", &CtxType, &c, &path, &data))
        return NULL;
    int st = bz_vsimem_put(c->ctx, path, data.buf, (size_t)data.len);
    PyBuffer_Release(&data);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    Py_RETURN_NONE;
}

static PyObject *vsimem_get(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    if (!PyArg_ParseTuple(args, "O!s:vsimem_get", &CtxType, &c, &path))
        return NULL;
    unsigned char *data = NULL;
    size_t size = 0;
    int st = bz_vsimem_get(&data, &size, c->ctx, path);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    PyObject *b = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    bz_free(data);
    return b;
}

static PyObject *vsimem_unlink(PyObject *self, PyObject *args)
{
    (void)self;
    CtxObject *c;
    const char *path;
    if (!PyArg_ParseTuple(args, "O!s:vsimem_unlink", &CtxType, &c, &path))
        return NULL;
    int st = bz_vsimem_unlink(c->ctx, path);
    if (st != BZ_OK)
        return bzpy_raise(c->ctx, st);
    Py_RETURN_NONE;
}

PyMethodDef bzpy_misc_functions[] = {
    {"places_from_arrays", places_from_arrays, METH_VARARGS,
     "places_from_arrays(ctx, names, lon, lat, population)"},
    {"read_features", read_features, METH_VARARGS,
     "read_features(ctx, path, layer, where, fields)"},
    {"write_features", write_features, METH_VARARGS,
     "write_features(ctx, path, features, format, overwrite, no_style)"},
    {"territory_diff", territory_diff, METH_VARARGS, "territory_diff(ctx, old, new, region)"},
    {"intersection_area", intersection_area, METH_VARARGS, "intersection_area(ctx, a, b)"},
    {"vsimem_put", vsimem_put, METH_VARARGS, "vsimem_put(ctx, path, data)"},
    {"vsimem_get", vsimem_get, METH_VARARGS, "vsimem_get(ctx, path) -> bytes"},
    {"vsimem_unlink", vsimem_unlink, METH_VARARGS, "vsimem_unlink(ctx, path)"},
    {NULL, NULL, 0, NULL}};
