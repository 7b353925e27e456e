// The fieldwork import: show a progress bar once the confirmed import is sent (the page works without this).
document.querySelectorAll("form.fieldwork-confirm").forEach(function (form) {
  form.addEventListener("submit", function () {
    var note = form.querySelector(".fieldwork-progress");
    if (note) { note.hidden = false; }
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
  });
});
