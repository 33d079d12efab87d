"""The Processing provider "bufferzone": one algorithm per file."""

from qgis.core import QgsProcessingProvider


class BufferzoneProvider(QgsProcessingProvider):
    def id(self):
        return "bufferzone"

    def name(self):
        return "Bufferzone"

    def longName(self):  # noqa: N802
        try:
            import bufferzone
            return "Bufferzone (libbufferzone %s)" % bufferzone.__version__
        except ImportError:
            return "Bufferzone (the bufferzone Python package is not installed)"

    def loadAlgorithms(self):  # noqa: N802
        from .alg_compare import CompareProposals
        from .alg_derive import DeriveContactLine
        from .alg_diff import TerritoryChange
        from .alg_zones import WithdrawalZones
        for alg in (WithdrawalZones(), DeriveContactLine(), CompareProposals(), TerritoryChange()):
            self.addAlgorithm(alg)
