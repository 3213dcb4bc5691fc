// Keyboard shortcuts of the review queue (documented on the page). Only a
// convenience: every action is also a link or a form that works without it.
(() => {
  const typing = (el) =>
    el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" ||
      el.tagName === "SELECT" || el.isContentEditable);
  const links = () => [...document.querySelectorAll("table.queue a.item-link")];
  let at = -1;
  const select = (i) => {
    const all = links();
    if (all.length === 0) return;
    at = Math.max(0, Math.min(all.length - 1, i));
    all.forEach((a, n) =>
      a.closest("tr").classList.toggle("selected", n === at)
    );
    all[at].focus();
  };
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    const onList = links().length > 0;
    if (ev.key === "/") {
      const s = document.getElementById("search");
      if (s) {
        ev.preventDefault();
        s.focus();
      }
    } else if (onList && ev.key === "j") {
      select(at + 1);
    } else if (onList && ev.key === "k") {
      select(at - 1);
    } else if (onList && (ev.key === "o" || ev.key === "Enter") && at >= 0) {
      ev.preventDefault();
      links()[at].click();
    } else if (ev.key === "r") {
      const box = document.getElementById("reply");
      if (box) {
        ev.preventDefault();
        box.focus();
      }
    } else if (ev.key === "e") {
      const resolve = document.querySelector("form.resolve-form");
      if (resolve) resolve.requestSubmit();
    }
  });
})();
