/*
 * module.c — the module bufferzone._bufferzone: the Context type, the status → exception
 * mapping (the classes are defined in bufferzone/_errors.py and registered at import) and the
 * module table.
 */
#include "ext.h"

/* {status: exception class}, registered by the Python package. Process-wide, like any class. */
static PyObject *error_classes;

PyObject *bzpy_raise(bz_context *ctx, int status)
{
    return bzpy_raise_at(ctx, status, "");
}

PyObject *bzpy_raise_at(bz_context *ctx, int status, const char *prefix)
{
    const char *text = ctx ? bz_errmsg(ctx) : "";
    if (!text || !*text)
        text = bz_status_string(status);
    PyObject *msg = PyUnicode_FromFormat("%s%s", prefix, text);
    if (!msg)
        return NULL;
    PyObject *key = PyLong_FromLong(status);
    PyObject *cls = key && error_classes ? PyDict_GetItemWithError(error_classes, key) : NULL;
    Py_XDECREF(key);
    if (PyErr_Occurred()) {
        Py_DECREF(msg);
        return NULL;
    }
    if (!cls) {
        PyErr_Format(PyExc_RuntimeError, "bufferzone: status %d: %U", status, msg);
        Py_DECREF(msg);
        return NULL;
    }
    PyObject *exc = PyObject_CallFunction(cls, "Oi", msg, status);
    Py_DECREF(msg);
    if (exc) {
        PyErr_SetObject(cls, exc);
        Py_DECREF(exc);
    }
    return NULL;
}

static PyObject *register_errors(PyObject *self, PyObject *arg)
{
    (void)self;
    if (!PyDict_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "_register_errors: expected a dict {status: class}");
        return NULL;
    }
    Py_INCREF(arg);
    Py_XSETREF(error_classes, arg);
    Py_RETURN_NONE;
}

static PyObject *status_string(PyObject *self, PyObject *arg)
{
    (void)self;
    long st = PyLong_AsLong(arg);
    if (st == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromString(bz_status_string((int)st));
}

/* ---- Context ---------------------------------------------------------------------------- */

static PyObject *ctx_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    if (!PyArg_ParseTuple(args, ":Context") || (kw && PyDict_Size(kw) > 0)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "Context() takes no arguments");
        return NULL;
    }
    CtxObject *self = (CtxObject *)type->tp_alloc(type, 0);
    if (!self)
        return NULL;
    self->ctx = bz_context_new();
    if (!self->ctx) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

static void ctx_dealloc(CtxObject *self)
{
    bz_context_free(self->ctx);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *ctx_set_threads(CtxObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (n > INT_MAX)
        n = INT_MAX;
    if (n < INT_MIN)
        n = INT_MIN;
    int st = bz_context_set_threads(self->ctx, (int)n);
    if (st != BZ_OK)
        return bzpy_raise(self->ctx, st);
    Py_RETURN_NONE;
}

static PyMethodDef ctx_methods[] = {
    {"set_threads", (PyCFunction)ctx_set_threads, METH_O,
     "set_threads(n): worker threads per call (0 = one per CPU, at most 8)."},
    {NULL, NULL, 0, NULL}};

PyTypeObject CtxType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bufferzone._bufferzone.Context",
    .tp_basicsize = sizeof(CtxObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A bz_context: GEOS handle, PROJ context, last error. One per thread.",
    .tp_new = ctx_new,
    .tp_dealloc = (destructor)ctx_dealloc,
    .tp_methods = ctx_methods,
};

/* ---- module ----------------------------------------------------------------------------- */

static PyMethodDef module_functions[] = {
    {"_register_errors", register_errors, METH_O,
     "_register_errors(classes): the exception class for each status code."},
    {"status_string", status_string, METH_O, "status_string(code): the status code's name."},
    {NULL, NULL, 0, NULL}};

static int add_functions(PyObject *m, PyMethodDef *defs)
{
    PyObject *name = PyModule_GetNameObject(m);
    if (!name)
        return -1;
    for (PyMethodDef *d = defs; d->ml_name; d++) {
        PyObject *f = PyCFunction_NewEx(d, NULL, name);
        if (!f || PyModule_AddObject(m, d->ml_name, f) < 0) {
            Py_XDECREF(f);
            Py_DECREF(name);
            return -1;
        }
    }
    Py_DECREF(name);
    return 0;
}

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "bufferzone._bufferzone",
    .m_doc = "The C layer of the bufferzone package: handles over libbufferzone's public API.\n"
             "Use the package `bufferzone`, not this module.",
    .m_size = -1,
    .m_methods = module_functions,
};

PyMODINIT_FUNC PyInit__bufferzone(void)
{
    PyTypeObject *types[] = {&CtxType, &LineType, &GeomType, &PlacesType, &ZonesType};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (PyType_Ready(types[i]) < 0)
            return NULL;
    PyObject *m = PyModule_Create(&module_def);
    if (!m)
        return NULL;
    if (add_functions(m, bzpy_geom_functions) < 0 || add_functions(m, bzpy_zones_functions) < 0 ||
        add_functions(m, bzpy_misc_functions) < 0)
        goto fail;
    static const char *names[] = {"Context", "Line", "Geometry", "Places", "Zones"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        Py_INCREF(types[i]);
        if (PyModule_AddObject(m, names[i], (PyObject *)types[i]) < 0) {
            Py_DECREF(types[i]);
            goto fail;
        }
    }
    if (PyModule_AddStringConstant(m, "library_version", bz_version()) < 0 ||
        PyModule_AddIntConstant(m, "MAX_DISTANCE_M", (long)BZ_MAX_DISTANCE_M) < 0)
        goto fail;
    static const struct {
        const char *name;
        int value;
    } statuses[] = {{"OK", BZ_OK},
                    {"ERR_ARGUMENT", BZ_ERR_ARGUMENT},
                    {"ERR_GEOMETRY", BZ_ERR_GEOMETRY},
                    {"ERR_TYPE", BZ_ERR_TYPE},
                    {"ERR_PROJECTION", BZ_ERR_PROJECTION},
                    {"ERR_IO", BZ_ERR_IO},
                    {"ERR_FORMAT", BZ_ERR_FORMAT},
                    {"ERR_NOT_FOUND", BZ_ERR_NOT_FOUND},
                    {"ERR_EXISTS", BZ_ERR_EXISTS},
                    {"ERR_NOMEM", BZ_ERR_NOMEM},
                    {"ERR_GEOS", BZ_ERR_GEOS},
                    {"ERR_ACCURACY", BZ_ERR_ACCURACY},
                    {"ERR_CANCELLED", BZ_ERR_CANCELLED}};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
        if (PyModule_AddIntConstant(m, statuses[i].name, statuses[i].value) < 0)
            goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
