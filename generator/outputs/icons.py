"""The icons pages draw inline, so that no request leaves the site: Material Design icon
paths (Apache 2.0) and which one stands for which status."""

from __future__ import annotations

ICONS = {
    "check": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20m-2 15-5-5 1.41-1.41L10 14.17l7.59-7.59L19 8z",
    "alert": "M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z",
    "cross": "M12 2C6.47 2 2 6.47 2 12s4.47 10 10 10 10-4.47 10-10S17.53 2 12 2m5 13.59L15.59 17 "
    "12 13.41 8.41 17 7 15.59 10.59 12 7 8.41 8.41 7 12 10.59 15.59 7 17 8.41 13.41 12z",
    "minus": "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20m5 11H7v-2h10z",
    "wrench": "m22.7 19-9.1-9.1c.9-2.3.4-5-1.5-6.9-2-2-5-2.4-7.4-1.3L9 6 6 9 1.6 4.7C.4 7.1.9 "
    "10.1 2.9 12.1c1.9 1.9 4.6 2.4 6.9 1.5l9.1 9.1c.4.4 1 .4 1.4 0l2.3-2.3c.5-.4.5-1.1.1-1.4",
    "clock": "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16m0-18a10 10 0 1 1 0 20 10 10 0 0 1 0-20m.5 "
    "5v5.25l4.5 2.67-.75 1.23L11 13V7z",
    "doc": "M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8zm4 18H6V4h7v5h5z",
    "feed": "M6.18 15.64a2.18 2.18 0 1 1 0 4.36 2.18 2.18 0 0 1 0-4.36M4 4.44A15.56 15.56 0 0 1 "
    "19.56 20h-2.83A12.73 12.73 0 0 0 4 7.27zm0 5.66a9.9 9.9 0 0 1 9.9 9.9h-2.83A7.07 7.07 0 0 "
    "0 4 12.93z",
    "bell": "M10 21h4c0 1.1-.9 2-2 2s-2-.9-2-2m11-2v1H3v-1l2-2v-6c0-3.1 2-5.8 5-6.7V4c0-1.1.9-2 "
    "2-2s2 .9 2 2v.3c3 .9 5 3.6 5 6.7v6zm-4-8c0-2.8-2.2-5-5-5s-5 2.2-5 5v7h10z",
    "circle": "M12 20a8 8 0 1 0 0-16 8 8 0 0 0 0 16m0-18a10 10 0 1 1 0 20 10 10 0 0 1 0-20",
}
STATUS_ICON = {
    "operational": "check",
    "under_maintenance": "wrench",
    "degraded_performance": "minus",
    "partial_outage": "alert",
    "major_outage": "cross",
}
INDICATOR_ICON = {
    "none": "check",
    "minor": "minus",
    "major": "alert",
    "critical": "cross",
    "maintenance": "wrench",
}
