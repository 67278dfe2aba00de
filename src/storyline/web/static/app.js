// Keyboard: "/" focuses the search box, as on most news and code sites.
document.addEventListener("keydown", (event) => {
  const tag = (event.target && event.target.tagName) || "";
  if (event.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA") {
    event.preventDefault();
    document.getElementById("q").focus();
  }
});
