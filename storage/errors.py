"""The one error type of the store.

Every failure the store can explain (an unreachable database, a wrong Optuna version, a record that
does not fit the schema) is raised as :class:`StorageError`, a ``ValueError`` subclass, so the CLI can
turn it into exit status 2 and a message without a traceback.
"""


class StorageError(ValueError):
    """The store cannot do what was asked; the message names the URL, record or field and the fix."""
