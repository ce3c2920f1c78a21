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
    button.textContent = "Copied!";
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

// A form that came back with problems: move focus to the summary of them.
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
