// A file over the service's cap is refused here, before it is sent: the service would
// answer 413 only after the whole file had crossed the network.
document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
  var limit = Number(input.dataset.maxBytes);
  var shown = document.getElementById(input.id + "-error");

  function check() {
    var file = input.files[0];
    var why = file && file.size > limit
      ? file.name + " is " + (file.size / 1048576).toFixed(1) + " MB: uploads may be at most "
        + (limit / 1048576) + " MB"
      : "";
    input.setCustomValidity(why);
    shown.textContent = why;
    shown.hidden = !why;
    return !why;
  }

  input.addEventListener("change", check);
  input.form.addEventListener("submit", function (event) {
    if (!check()) event.preventDefault();
  });
});
