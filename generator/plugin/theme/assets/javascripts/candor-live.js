/* Candor: while an incident is open, check once a minute whether the status page has moved
   on, and say so. Progressive enhancement: the page is complete without this script. It
   only reads the site's own api/v2/status.json and never reloads by itself; a reload the
   reader asks for keeps their place on the page. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.fetch) return;
  var data = me.dataset, KEY = "candor-live:" + location.pathname, EVERY = 60000;

  // Back from a reload we asked for: put the reader where they were.
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
    if (saved) {
      var anchor = saved.id && document.getElementById(saved.id);
      window.scrollTo(0, anchor ? anchor.getBoundingClientRect().top + window.scrollY - saved.top : saved.y);
    }
  } catch (e) { /* storage off: the browser restores what it can */ }

  function place() {
    var marks = document.querySelectorAll("[id]"), i, box;
    for (i = 0; i < marks.length; i++) {
      box = marks[i].getBoundingClientRect();
      if (box.bottom > 0 && box.height > 0) return { id: marks[i].id, top: box.top, y: window.scrollY };
    }
    return { id: "", top: 0, y: window.scrollY };
  }

  var notice;
  function show() {
    if (notice) return;
    notice = document.createElement("div");
    notice.className = "cd-live";
    notice.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = data.behind + " — ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = data.reload;
    button.addEventListener("click", function () {
      try {
        sessionStorage.setItem(KEY, JSON.stringify(place()));
        if ("scrollRestoration" in history) history.scrollRestoration = "manual";
      } catch (e) { /* still reload */ }
      location.reload();
    });
    notice.appendChild(text);
    notice.appendChild(button);
    document.body.appendChild(notice);
  }

  function check() {
    if (notice || document.visibilityState === "hidden") return;
    fetch(data.status, { cache: "no-store", credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s || !s.page || !s.status) return;
        if (s.page.updated_at !== data.updated || s.status.indicator !== data.indicator) show();
      })
      .catch(function () { /* offline for a moment: try again next minute */ });
  }

  setInterval(check, EVERY);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") check();
  });
})();
