// Grading by question from the keyboard: digits tick rubric items 1-10 (0 is the tenth),
// Enter saves, n/j and p/k move to the next and previous answer, u to the next ungraded,
// g grades the group's ungraded answers alike.  Keys typed into a field stay that field's.
(function () {
  var focus = document.getElementById("focus");
  var form = document.getElementById("grade-form");
  if (!focus || !form) return;

  function go(where) {
    if (where) window.location.assign(where);
  }

  function tick(digit) {
    var box = form.querySelector('input[data-shortcut="' + digit + '"]');
    if (box) box.checked = !box.checked;
  }

  function submitVia(button) {
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)
      && target.type !== "checkbox";
    if (typing) return;   // Enter in the adjustment field submits the form by itself
    var key = event.key;
    if (key === "Enter" && /^(A|BUTTON|SUMMARY)$/.test(target.tagName)) return;
    if (/^[0-9]$/.test(key)) tick(key);
    else if (key === "Enter") submitVia(document.getElementById("save"));
    else if (key === "g") submitVia(document.getElementById("grade-group"));
    else if (key === "n" || key === "j") go(focus.dataset.next);
    else if (key === "p" || key === "k") go(focus.dataset.previous);
    else if (key === "u") go(focus.dataset.ungraded);
    else return;
    event.preventDefault();
  });

  // the answer in focus stays in view in a long list
  var row = document.querySelector("#answers tr.focus");
  if (row && row.scrollIntoView) row.scrollIntoView({block: "nearest"});
})();
