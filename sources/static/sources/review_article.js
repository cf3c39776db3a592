// The importer's review: text selected in the article fills "A statement the importer missed",
// and a button beside the selection adds it as a candidate (the same button as below the article);
// the candidate just added is scrolled to.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector("[data-focus]")?.scrollIntoView();
  const article = document.getElementById("article-text");
  const field = document.getElementById("id_added_excerpt");
  const add = document.getElementById("add-candidate-button");
  if (!article || !field || !add) return;
  const floating = document.createElement("button");
  floating.type = "button";
  floating.className = "button add-selection";
  floating.textContent = "Add as a candidate";
  floating.hidden = true;
  document.body.appendChild(floating);
  article.addEventListener("mouseup", () => {
    const selection = window.getSelection();
    const text = selection.toString().replace(/\s+/g, " ").trim();
    if (text.length < 10 || !article.contains(selection.anchorNode)) {
      floating.hidden = true;
      return;
    }
    field.value = text.replace(/^\d+\s*/, "");
    const box = selection.getRangeAt(0).getBoundingClientRect();
    floating.style.top = `${window.scrollY + box.bottom + 6}px`;
    floating.style.left = `${window.scrollX + box.left}px`;
    floating.hidden = false;
  });
  floating.addEventListener("click", () => add.click());
});
