"""capeval: evaluate capacity-building and training programmes with parameterised notebooks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("capeval")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
