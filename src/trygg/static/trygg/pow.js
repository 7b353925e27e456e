// Proof of work for the survey's send step (ALTCHA-compatible, self-hosted; surveys/antiabuse.py checks it).
// Finds the number whose SHA-256 with the salt is the challenge, and sends it with the answer. Without JavaScript or
// without WebCrypto (plain http) the answer is still accepted, only watched more closely for bursts.
(function () {
  "use strict";
  var field = document.querySelector("input[name=pow]");
  if (!field || !window.crypto || !window.crypto.subtle) { return; }
  var form = field.form;
  var status = form.querySelector(".pow-status");
  var d = field.dataset;
  var encoder = new TextEncoder();
  var solved = false;
  var waiting = null;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function tryFrom(start) {
    var end = Math.min(start + 500, Number(d.max) + 1);
    var jobs = [];
    for (var n = start; n < end; n++) {
      jobs.push(window.crypto.subtle.digest("SHA-256", encoder.encode(d.salt + n)));
    }
    return Promise.all(jobs).then(function (hashes) {
      for (var i = 0; i < hashes.length; i++) {
        if (hex(hashes[i]) === d.challenge) { return start + i; }
      }
      return end > Number(d.max) ? null : tryFrom(end);
    });
  }
  tryFrom(0).then(function (number) {
    if (number === null) { return; }
    field.value = btoa(JSON.stringify({algorithm: d.algorithm, challenge: d.challenge, number: number,
                                       salt: d.salt, signature: d.signature}));
    solved = true;
    if (waiting) { status.textContent = ""; form.requestSubmit(waiting); }
  });
  form.addEventListener("submit", function (event) {
    if (solved || !event.submitter || event.submitter.value !== "skicka") { return; }
    event.preventDefault();
    waiting = event.submitter;
    status.textContent = status.dataset.wait || "";
  });
})();
