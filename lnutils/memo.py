"""The last few values a process worked out, kept in memory by key.

A build's warm kernels run chapter after chapter, and its render threads scan report
after report: each would otherwise read the same invitation list or parsed survey again.
:class:`Recent` keeps the last few, thread-safe, in memory only (never on disk); the
caller decides the key (a file's content digest, so a changed file is read again) and
whether a value may be kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class Recent:
    """The ``size`` values last put or got, by key; the least recently used goes first."""

    def __init__(self, size: int = 2):
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value kept under ``key``, or None."""
        with self._lock:
            if key not in self._values:
                return None
            self._values.move_to_end(key)
            return self._values[key]

    def put(self, key: Hashable, value: Any) -> Any:
        """Keep ``value`` under ``key`` (dropping the least recently used); returns it."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
