// Small enhancements; every page works without them.
// Forms with data-confirm ask first (leaving a group, removing someone).
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});

// Copy buttons: <button data-copy="id-of-input" hidden> appear only where copying works.
document.querySelectorAll("[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    await navigator.clipboard.writeText(field.value);
    const label = button.textContent;
    button.textContent = button.dataset.copied || "Copied!";
    setTimeout(() => { button.textContent = label; }, 2000);
  });
});

// Share buttons open the phone's share sheet (WhatsApp, Messenger, ...) where it exists.
document.querySelectorAll("[data-share]").forEach((button) => {
  if (!navigator.share) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.share({ title: button.dataset.shareTitle, url: button.dataset.share })
      .catch(() => {});  // closing the sheet is not an error
  });
});
document.querySelectorAll("[data-share-text]").forEach((button) => {
  if (!navigator.share) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.share({ text: button.dataset.shareText }).catch(() => {});
  });
});

// Drop-down menus (<details class="menu">) close like menus do: on Escape, on a
// click elsewhere, and when focus moves out of them.
document.querySelectorAll("details.menu").forEach((menu) => {
  const close = () => { menu.open = false; };
  menu.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !menu.open) return;
    close();
    menu.querySelector("summary").focus();
  });
  menu.addEventListener("focusout", (event) => {
    if (event.relatedTarget && !menu.contains(event.relatedTarget)) close();
  });
  document.addEventListener("click", (event) => {
    if (!menu.contains(event.target)) close();
  });
});

// RSVP in place: the same POST, then the parts of the page that depend on the
// answer are taken from the page the server sends back. Without JavaScript, or
// if anything goes wrong, the form simply posts and the page reloads.
const ANSWER_PARTS = ["#rsvp-answer", "#facts", "#going", "#event-map"];
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches(".rsvp-form") || !window.fetch || !window.DOMParser) return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter?.name) data.append(event.submitter.name, event.submitter.value);
  form.querySelectorAll("button").forEach((button) => { button.disabled = true; });
  try {
    const response = await fetch(form.action, { method: "POST", body: data });
    if (!response.ok || !response.redirected) throw new Error(`HTTP ${response.status}`);
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    ANSWER_PARTS.forEach((selector) => {
      const old = document.querySelector(selector);
      const replacement = fresh.querySelector(selector);
      if (!old || !replacement || old.innerHTML === replacement.innerHTML) return;
      old.replaceWith(replacement);
      replacement.querySelectorAll("[data-map]").forEach(startMap);
    });
    document.querySelector(".flashes")?.remove();
    const flashes = fresh.querySelector(".flashes");
    if (flashes) document.querySelector("main").prepend(flashes);
    // Say what happened where the person is: focus the new status line.
    const status = document.querySelector("#rsvp-answer .status");
    if (status) {
      status.tabIndex = -1;
      status.focus();
    }
  } catch {
    if (event.submitter?.name) {
      const choice = Object.assign(document.createElement("input"), {
        type: "hidden", name: event.submitter.name, value: event.submitter.value,
      });
      form.append(choice);
    }
    HTMLFormElement.prototype.submit.call(form);
  }
});

// The end follows the start: moving the start moves the end too, keeping the
// length (two and a half hours for a new gathering; the server does the same
// with an empty end). Wall-clock arithmetic done in UTC, so the browser's own
// clock changes never shift it.
document.querySelectorAll("[data-end-follows-start]").forEach((pair) => {
  const [start, end] = pair.querySelectorAll("input[type=datetime-local]");
  if (!start || !end) return;
  const at = (input) => (input.value ? Date.parse(`${input.value}Z`) : NaN);
  const lasts = () => {
    const length = at(end) - at(start);
    return length > 0 ? length : null;
  };
  let length = lasts() ?? 150 * 60 * 1000;
  end.addEventListener("change", () => { length = lasts() ?? length; });
  start.addEventListener("change", () => {
    const begins = at(start);
    if (Number.isNaN(begins)) return;
    end.value = new Date(begins + length).toISOString().slice(0, 16);
  });
});

// A new gathering in a public group: newcomers ask at a home, anyone may come
// elsewhere (the server suggests the first; a home is the first kind of place),
// until the organiser chooses for herself.
document.querySelectorAll("[data-newcomers-at-home]").forEach((form) => {
  const kind = form.querySelector("select[name=venue_type]");
  const choices = form.querySelectorAll("input[name=admission]");
  let chosen = false;
  choices.forEach((choice) => choice.addEventListener("change", () => { chosen = true; }));
  kind?.addEventListener("change", () => {
    if (chosen) return;
    const suggested = kind.value === "home" ? "newcomers" : "anyone";
    choices.forEach((choice) => { choice.checked = choice.value === suggested; });
  });
});

// A form that came back with problems: move focus to the summary of them.
// A series' rule shows only its own fields (without script, all of them show).
document.querySelectorAll("[data-rule-fields]").forEach((form) => {
  const show = () => {
    const rule = form.querySelector("input[name=rule]:checked")?.value;
    form.querySelectorAll("[data-rules]").forEach((part) => {
      part.hidden = !part.dataset.rules.split(" ").includes(rule);
    });
  };
  form.querySelectorAll("input[name=rule]").forEach((r) => r.addEventListener("change", show));
  show();
});

document.querySelector("[data-autofocus]")?.focus();

// "Use my location" for near-me search, where the browser allows it. Rounded to
// about a kilometre: the searcher's own home is private too.
document.querySelectorAll("[data-locate]").forEach((button) => {
  if (!navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((position) => {
      const { latitude, longitude } = position.coords;
      document.getElementById(button.dataset.locate).value =
        `${latitude.toFixed(2)},${longitude.toFixed(2)}`;
      button.closest("form").submit();
    });
  });
});

// Search results: public points as pins, homes as their ~1 km square.
function showResults(map, pins) {
  L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
  const bounds = [];
  pins.forEach((pin) => {
    const link = document.createElement("a");
    link.href = pin.url;
    link.textContent = pin.title;
    if (pin.cell) {
      const [south, west, north, east] = pin.cell;
      const square = [[south, west], [north, east]];
      L.rectangle(square, { color: "#9c3f1c", weight: 2 }).bindPopup(link).addTo(map);
      bounds.push(...square);
    } else {
      L.marker([pin.lat, pin.lon]).bindPopup(link).addTo(map);
      bounds.push([pin.lat, pin.lon]);
    }
  });
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
}

// Maps (Leaflet, vendored). The page already says where in words; the map adds
// the picture when tiles load. data-cell draws a home's ~1 km square, never a pin.
const TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const ATTRIBUTION =
  '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';

document.querySelectorAll("[data-map]").forEach(startMap);

function startMap(box) {
  if (!window.L) return;
  const lat = parseFloat(box.dataset.lat);
  const lon = parseFloat(box.dataset.lon);
  const known = !Number.isNaN(lat) && !Number.isNaN(lon);
  // On a phone, one finger scrolls the page; only the organiser's map drags.
  const dragging = "edit" in box.dataset || !L.Browser.mobile;
  // A map that only shows a place is a picture: no tab stop of its own, since
  // a focusable box holding focusable controls confuses screen readers.
  const keyboard = "edit" in box.dataset || "pins" in box.dataset;
  const map = L.map(box, { scrollWheelZoom: false, dragging, tap: false, keyboard });
  // A map in a closed <details> (More options) has no size until it opens.
  box.closest("details")?.addEventListener("toggle", () => map.invalidateSize());
  if (box.dataset.pins) {
    showResults(map, JSON.parse(box.dataset.pins));
    return;
  }
  const around = box.dataset.around?.split(",").map(Number);
  map.setView(known ? [lat, lon] : around || [54.5, -3], known ? 16 : around ? 13 : 5);
  L.tileLayer(TILES, { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);

  if (box.dataset.cell) {
    const [south, west, north, east] = box.dataset.cell.split(",").map(Number);
    const square = [[south, west], [north, east]];
    L.rectangle(square, { color: "#9c3f1c", weight: 2, fillOpacity: 0.15 }).addTo(map);
    map.fitBounds(square, { padding: [24, 24] });
    return;
  }
  if (!("edit" in box.dataset)) {
    if (known) L.marker([lat, lon], { keyboard: false, interactive: false }).addTo(map);
    return;
  }

  // The organiser's pin: drag it, click the map, or type coordinates.
  const latInput = document.getElementById(box.dataset.latInput);
  const lonInput = document.getElementById(box.dataset.lonInput);
  let marker = null;
  const put = (where, fromInputs) => {
    if (!marker) {
      marker = L.marker(where, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", () => put(marker.getLatLng(), false));
    }
    marker.setLatLng(where);
    if (!fromInputs) {
      latInput.value = where.lat.toFixed(6);
      lonInput.value = where.lng.toFixed(6);
    }
  };
  if (known) put(L.latLng(lat, lon), true);
  map.on("click", (event) => put(event.latlng, false));
  [latInput, lonInput].forEach((input) =>
    input.addEventListener("change", () => {
      const where = L.latLng(Number(latInput.value), Number(lonInput.value));
      if (!Number.isNaN(where.lat) && !Number.isNaN(where.lng)) {
        put(where, true);
        map.panTo(where);
      }
    }),
  );
}

// A live character count for textareas with data-count: the hint says the
// limit without JavaScript; with it, what is left ("{n}" in the words given).
document.querySelectorAll("textarea[data-count]").forEach((area) => {
  const out = document.getElementById(area.dataset.count);
  const most = Number(area.dataset.most);
  if (!out || !most || !out.dataset.left || !out.dataset.over) return;
  const update = () => {
    const left = most - area.value.trim().length;
    const words = left >= 0 ? out.dataset.left : out.dataset.over;
    out.textContent = words.replace("{n}", Math.abs(left).toLocaleString());
    out.classList.toggle("error", left < 0);
  };
  area.addEventListener("input", update);
  update();
});
