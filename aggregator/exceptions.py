"""Domain exceptions.  The CLI turns every `AggregatorError` into one readable line."""

from __future__ import annotations


class AggregatorError(Exception):
    """Base class for errors that carry a message fit for a user."""


class ConfigError(AggregatorError):
    """Bad configuration: malformed database URL, unknown site name, bad option."""


class StorageError(AggregatorError):
    """The database cannot be reached, is locked, or rejected a statement."""


class InputError(AggregatorError):
    """A file or query given by the user cannot be used."""


class UnsafeURLError(AggregatorError):
    """A URL points at a private, loopback or non-HTTP destination."""
