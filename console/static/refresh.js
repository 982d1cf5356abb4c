// Keep the queues current: fetch them every 5 s and swap them in, unless a
// note is being typed (replacing the form would lose it).
(function () {
  var box = document.getElementById("queues");
  var stamp = document.getElementById("refreshed");
  if (!box) return;
  function busy() {
    var active = document.activeElement;
    if (active && box.contains(active) && active.tagName === "INPUT") return true;
    return Array.prototype.some.call(box.querySelectorAll("input[name=note]"), function (i) { return i.value; })
      || box.querySelector("details[open]") !== null;
  }
  setInterval(function () {
    if (busy()) return;
    fetch(box.dataset.refresh, {credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.redirected || !r.ok) { window.location.reload(); return null; }
      return r.text();
    }).then(function (html) {
      if (html === null || busy()) return;
      box.innerHTML = html;
      var urgent = Number(document.getElementById("urgent").dataset.count);
      document.title = document.title.replace(/^\(\d+ urgent\) /, "");
      if (urgent) document.title = "(" + urgent + " urgent) " + document.title;
      stamp.textContent = "Up to date · refreshes every 5 seconds.";
    }).catch(function () { stamp.textContent = "Cannot reach the console; retrying."; });
  }, 5000);
})();
