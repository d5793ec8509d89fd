// bookbuild's scene-break review page: every gap between two paragraphs is a toggle; the
// scorer's candidates are highlighted and can be walked best first. "Save answers" downloads
// a small TOML file that `bookbuild review PATH --apply FILE` merges into book.toml.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const gaps = new Map(); // boundary number -> {boundary, element, on}
  let floor = 0;
  let cursor = -1;

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function isCandidate(gap) {
    return gap.boundary.rank !== null && gap.boundary.confidence >= floor;
  }

  function paint(gap) {
    const b = gap.boundary;
    const node = gap.element;
    node.classList.toggle("on", gap.on);
    node.classList.toggle("cand", isCandidate(gap));
    node.setAttribute("aria-pressed", gap.on ? "true" : "false");
    const mark = gap.on ? "⁂ scene break" : "no break";
    if (isCandidate(gap)) {
      node.querySelector(".label").textContent =
        `candidate ${b.rank} of ${data.candidates} · confidence ${b.confidence.toFixed(2)} · ${mark}`;
    } else {
      node.querySelector(".label").textContent = gap.on ? mark : "＋ scene break here";
    }
  }

  function count() {
    let chosen = 0;
    for (const gap of gaps.values()) if (gap.on) chosen += 1;
    const listed = [...gaps.values()].filter(isCandidate).length;
    document.getElementById("count").textContent =
      `${chosen} scene break${chosen === 1 ? "" : "s"} chosen · ${listed} candidate${listed === 1 ? "" : "s"} shown`;
  }

  function toggle(gap) {
    gap.on = !gap.on;
    paint(gap);
    count();
  }

  function build() {
    document.getElementById("title").textContent = `Scene breaks: ${data.source}`;
    document.getElementById("apply").textContent = data.apply;
    const story = document.getElementById("story");
    for (const chapter of data.chapters) {
      const section = el("section", { class: "chapter" });
      section.appendChild(el("h2", {}, chapter.title));
      for (const paragraph of chapter.paragraphs) {
        const b = paragraph.boundary;
        if (b) {
          const button = el("button", { type: "button", class: "gap", id: `gap-${b.n}`, "data-n": b.n });
          button.appendChild(el("span", { class: "label" }));
          const gap = { boundary: b, element: button, on: b.on };
          button.addEventListener("click", () => toggle(gap));
          const previous = section.lastElementChild;
          if (b.rank !== null && previous && previous.tagName === "P") previous.classList.add("near");
          gaps.set(b.n, gap);
          section.appendChild(button);
          paint(gap);
        }
        section.appendChild(el("p", { class: b && b.rank !== null ? "near" : "" }, paragraph.text));
      }
      story.appendChild(section);
    }
    count();
  }

  function ranked() {
    return [...gaps.values()].filter(isCandidate).sort((a, b) => a.boundary.rank - b.boundary.rank);
  }

  function go(step) {
    const list = ranked();
    if (!list.length) return;
    cursor = Math.max(0, Math.min(list.length - 1, cursor + step));
    const gap = list[cursor];
    gap.element.scrollIntoView({ block: "center" });
    gap.element.focus({ preventScroll: true });
  }

  function tomlString(text) {
    let out = '"';
    for (const ch of text) {
      const code = ch.codePointAt(0);
      if (ch === '"' || ch === "\\") out += "\\" + ch;
      else if (code < 0x20 || code === 0x7f) out += "\\u" + code.toString(16).toUpperCase().padStart(4, "0");
      else out += ch;
    }
    return out + '"';
  }

  function tomlList(name, keys) {
    if (!keys.length) return `${name} = []\n`;
    return `${name} = [\n${keys.map((k) => "  " + tomlString(k) + ",\n").join("")}]\n`;
  }

  // A shown candidate is always answered (set or not); any other gap only where it was changed.
  function answers() {
    const add = [];
    const remove = [];
    for (const gap of gaps.values()) {
      const changed = gap.on !== gap.boundary.on;
      if (!isCandidate(gap) && !changed) continue;
      (gap.on ? add : remove).push(gap.boundary.key);
    }
    return { add, remove };
  }

  function answersToml() {
    const { add, remove } = answers();
    const comment = (text) => "# " + text.replace(/[\r\n]+/g, " ") + "\n";
    return (
      comment(`Scene-break answers for ${data.source}, saved by bookbuild's review page.`) +
      comment(`Merge them into book.toml with: ${data.apply}`) +
      tomlList("scene_breaks_add", add) +
      tomlList("scene_breaks_remove", remove)
    );
  }

  function save() {
    const blob = new Blob([answersToml()], { type: "application/toml" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "answers.toml" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function filter() {
    floor = Number(document.getElementById("floor").value);
    document.getElementById("floor-value").textContent = floor.toFixed(2);
    for (const gap of gaps.values()) paint(gap);
    cursor = -1;
    count();
  }

  function only() {
    document.body.classList.toggle("only", document.getElementById("only").checked);
  }

  build();
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("floor").addEventListener("input", filter);
  document.getElementById("next").addEventListener("click", () => go(1));
  document.getElementById("prev").addEventListener("click", () => go(-1));
  document.getElementById("only").addEventListener("change", only);
  document.addEventListener("keydown", (event) => {
    if (event.target.tagName === "INPUT") return;
    if (event.key === "j") go(1);
    else if (event.key === "k") go(-1);
  });
  // For scripts and tests: the answers the save button would write, and the gaps chosen.
  window.bookbuildReview = {
    answersToml,
    chosen: () => [...gaps.values()].filter((g) => g.on).map((g) => g.boundary.key),
  };
})();
