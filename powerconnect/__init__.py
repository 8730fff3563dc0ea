"""powerconnect: find power connectors in a contact network stored in Neo4j."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("powerconnect")
except PackageNotFoundError:  # running from a checkout without an install
    __version__ = "0.0.0+unknown"
