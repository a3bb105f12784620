/* Candor: every time on a status page also in the reader's own time zone.
   Progressive enhancement: without JavaScript each time reads in the site's zone and in
   UTC, complete. Standalone (no theme script), deferred, and it adds nothing when the
   reader's zone already shows: the site's own, or UTC. */
(function () {
  "use strict";
  var root = document.querySelector(".cd-page[data-tz]");
  if (!root || !window.Intl || !Intl.DateTimeFormat.prototype.formatToParts) return;
  var site = root.getAttribute("data-tz");
  var words = root.getAttribute("data-local-time") || " ({time})";
  var lang = document.documentElement.lang || "en";
  var shown;
  try {
    shown = new Intl.DateTimeFormat(lang, {
      month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZoneName: "short"
    });
  } catch (e) {
    return;
  }

  // Minutes east of UTC of `zone` at `date`.
  function offset(zone, date) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric",
      day: "numeric", hour: "numeric", minute: "numeric"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = +p.value; });
    var wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute);
    return Math.round((wall - date.getTime()) / 60000);
  }

  var times = root.querySelectorAll("time[datetime]");
  for (var i = 0; i < times.length; i++) {
    var date = new Date(times[i].getAttribute("datetime"));
    if (isNaN(date.getTime())) continue;
    var reader = -date.getTimezoneOffset();
    try {
      if (reader === 0 || reader === offset(site, date)) continue;
    } catch (e) {
      return; // a zone this browser does not know: the page reads as it is
    }
    var span = document.createElement("span");
    span.className = "cd-local";
    span.textContent = words.replace("{time}", shown.format(date));
    // After the UTC part that follows the time, so the three read in order.
    var after = times[i].nextElementSibling;
    if (!after || !after.classList.contains("cd-utc") || after.previousElementSibling !== times[i]) {
      after = times[i];
    }
    after.parentNode.insertBefore(span, after.nextSibling);
  }
})();
