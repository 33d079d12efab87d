"""The plugin object QGIS loads: it only registers the Processing provider."""

from qgis.core import QgsApplication


class BufferzonePlugin:
    def __init__(self, iface):
        self.iface = iface
        self.provider = None

    # qgis_process calls initProcessing() only; the desktop calls initGui().
    def initProcessing(self):  # noqa: N802
        from .provider import BufferzoneProvider
        if self.provider is None:
            self.provider = BufferzoneProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self):  # noqa: N802
        self.initProcessing()

    def unload(self):
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
