"""QGIS plugin: the bufferzone Processing provider (see provider.py)."""


def classFactory(iface):  # noqa: N802 - QGIS's plugin entry point
    from .plugin import BufferzonePlugin
    return BufferzonePlugin(iface)
