"""What makes `candor serve` show a saved change sooner: the incident folder is watched
through the system's file events (or, where there are none, looked at five times a second
instead of twice). A rebuild after a change to incident files writes only the files that
change, and the previous build's files leave the served folder in one rename each when
everything is built again (reuse.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.livereload import LiveReloadServer
from watchdog.events import (
    EventsLostEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

# Seconds between two looks at the incident folder (mkdocs: 0.5 s for every watched path).
POLL = 0.2
# The events that mean a file changed. Reading one is an event too (opened, closed without
# writing): each rebuild, reading the saved file, would start another.
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    EventsLostEvent,
]


class _ChangeObserver(Observer):  # type: ignore[misc,valid-type]
    """The system's native observer, told only of changes, whoever schedules the watch."""

    def schedule(
        self,
        event_handler: FileSystemEventHandler,
        path: str | Path,
        *,
        recursive: bool = False,
        event_filter: list[type[FileSystemEvent]] | None = None,
        follow_symlink: bool = False,
    ) -> ObservedWatch:
        return super().schedule(
            event_handler,
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )


def watch_at_once(server: LiveReloadServer, path: str) -> BaseObserver | None:
    """Watch `path` through the system's own file events (inotify on Linux): a saved file
    starts a rebuild at once, not at the next look. Returns the observer, the caller's to
    stop. Where the system cannot watch the folder (no such events, the limit of watches
    reached, a missing folder), it is polled every `POLL` seconds instead (None)."""
    native: BaseObserver = _ChangeObserver()
    if isinstance(native, PollingObserver):
        watch_often(server, path)
        return None
    try:
        native.start()
        # Whether the system watches this folder: scheduled on a running observer, a watch
        # that cannot be made fails here, not later in a thread.
        native.schedule(FileSystemEventHandler(), path, recursive=True)
        native.unschedule_all()
    except OSError:
        native.stop()
        watch_often(server, path)
        return None
    # The server's own handler, on the native observer: what it sees starts a rebuild.
    polling, server.observer = server.observer, native  # type: ignore[assignment]
    try:
        server.watch(path)
    except OSError:  # the system refused a moment after it accepted: poll after all
        server._watched_paths.pop(os.path.abspath(path), None)
        server.observer = polling
        native.stop()
        watch_often(server, path)
        return None
    finally:
        server.observer = polling
    return native


def watch_often(server: LiveReloadServer, path: str) -> None:
    """Watch `path`, polled every `POLL` seconds. The server's observer hands its interval
    to each path when it is scheduled; only this path gets the shorter one."""
    observer = server.observer
    before = getattr(observer, "_timeout", None)
    if not isinstance(before, (int, float)) or before <= POLL:
        server.watch(path)
        return
    observer._timeout = POLL
    try:
        server.watch(path)
    finally:
        observer._timeout = before
