"""One bz_context per Python thread.

The C library keeps all state (GEOS handle, PROJ context, last error) in a context that must
not be shared between threads while they compute. Each Python thread gets its own, created on
first use and kept in a threading.local; every object made with a context holds a reference
to it, so a context lives as long as the longest-lived object made with it, even after its
thread has ended.
"""

import threading

from . import _bufferzone as _c

_local = threading.local()


def context(threads=None):
    """The calling thread's context, with its worker-thread count set to `threads`
    (None = the library default: one per CPU, at most 8; 1 = no worker threads)."""
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        ctx = _local.ctx = _c.Context()
    n = 0 if threads is None else threads
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("threads: expected an int or None, got %r" % (threads,))
    ctx.set_threads(n)
    return ctx


def in_main_thread():
    """True in the main thread, the only one where Python runs signal handlers (Ctrl-C)."""
    return threading.current_thread() is threading.main_thread()
