// undex: progressive enhancement only. Pages work without this file.
// Shows the copy-citation button and copies the citation to the clipboard.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button.copy-citation")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(button.dataset.copy || "");
        const label = button.textContent;
        // The page gives the words in its language (data-copied, data-copy-failed).
        button.textContent = button.dataset.copied || "Copied";
        setTimeout(() => { button.textContent = label; }, 1500);
      } catch (_) {
        button.textContent = button.dataset.copyFailed || "Select the citation to copy it";
      }
    });
  }
});
