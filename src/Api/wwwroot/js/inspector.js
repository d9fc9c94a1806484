// The inspector: the selected summary word's attention over the source, its top source words, and the layer × head grid.
import { els, state } from "./dom.js";
import { attentionColour } from "./colours.js";

export function rowFor(i) {
  if (state.view !== "aggregate" && state.layers) {
    const [l, h] = state.view.split(":").map(Number);
    return state.layers[l]?.[h]?.[i] ?? [];
  }
  return state.rows[i] ?? [];
}

export function select(i, focus) {
  if (i < 0 || i >= state.tokenEls.length) return;
  const previous = state.tokenEls[state.selected];
  if (previous) { previous.classList.remove("selected"); previous.tabIndex = -1; previous.setAttribute("aria-selected", "false"); }
  state.selected = i;
  const el = state.tokenEls[i];
  el.classList.add("selected");
  el.tabIndex = 0;
  el.setAttribute("aria-selected", "true");
  if (focus) el.focus();
  highlight();
}

export function highlight() {
  const i = state.selected;
  if (i < 0) return;
  const row = rowFor(i);
  let max = 0;
  for (const w of row) if (w > max) max = w;
  state.sourceSpans.forEach((span, j) => {
    const w = row[j] ?? 0;
    span.dataset.weight = String(w);
    const t = state.scale === "absolute" ? w : max > 0 ? w / max : 0;
    if (t < 0.02) { span.style.background = ""; span.style.color = ""; span.classList.remove("hot"); }
    else {
      span.style.background = attentionColour(t);
      span.style.color = t > 0.62 ? "#fff" : "";
      span.classList.toggle("hot", t > 0.62);
    }
    span.title = `${(w * 100).toFixed(1)}% of the attention`;
  });
  els.legendMax.textContent = state.scale === "absolute" ? "1" : max > 0 ? max.toFixed(3) : "max";
  els.viewName.textContent = state.view === "aggregate" ? "· aggregate" : `· layer ${+state.view.split(":")[0] + 1}, head ${+state.view.split(":")[1] + 1}`;

  const tok = state.tokens[i];
  els.selectedWord.textContent = `“${(tok.text ?? "").trim()}”`;
  // Against a uniform spread (1 / source length) a researcher can tell a sharp focus from a flat row at a glance.
  const uniform = row.length ? 1 / row.length : 0;
  els.selectedMeta.textContent = `Token ${i + 1} of ${state.tokens.length} · ${Math.round((tok.copyProbability ?? 0) * 100)}% copied` +
    (tok.unsupported ? " · generated, not in the source" : "") +
    (max > 0 && uniform > 0 ? ` · peak weight ${max.toFixed(3)} = ${(max / uniform).toFixed(1)}× uniform` : "");
  renderProvenance(i);
  renderTopList(row);
  renderGrid(i);
}

/** Outlines the source sentences the selected token's summary sentence draws on, shaded by their share. */
export function renderProvenance(i) {
  const start = state.tokens[i]?.start;
  const k = typeof start === "number" ? state.sentences.findIndex((s) => start >= s.start && start < s.end) : -1;
  const sources = k >= 0 ? state.sentences[k].sources : [];
  const share = new Map(sources.map((s) => [s.index, s.share]));
  state.sourceSpans.forEach((span, j) => {
    const s = share.get(state.sourceSentenceOf[j]);
    span.classList.toggle("prov", s !== undefined);
    if (s !== undefined) { span.dataset.provShare = s.toFixed(3); span.style.setProperty("--prov", String(0.25 + 0.75 * s)); }
    else { delete span.dataset.provShare; span.style.removeProperty("--prov"); }
  });
  els.provenance.textContent = k < 0 ? "" :
    `Summary sentence ${k + 1} of ${state.sentences.length} draws on source sentence${sources.length === 1 ? "" : "s"} ` +
    sources.map((s) => `${s.index + 1} (${Math.round(s.share * 100)}%)`).join(", ") + " (outlined in the source).";
}

export function renderTopList(row) {
  const order = row.map((w, j) => [w, j]).filter(([w]) => w > 0).sort((a, b) => b[0] - a[0]).slice(0, 5);
  const top = order.length ? order[0][0] : 1;
  els.topList.replaceChildren(...order.map(([w, j]) => {
    const li = document.createElement("li");
    li.dataset.testid = "top-item";
    li.dataset.index = String(j);
    li.dataset.weight = String(w);
    const word = document.createElement("button");
    word.type = "button";
    word.className = "top-word";
    const piece = state.sourceTokens[j]?.text ?? `#${j}`;
    word.textContent = piece;
    const whole = wordAround(state.sourceTokens[j]);
    if (whole && whole !== piece.trim()) {
      const context = document.createElement("span");
      context.className = "top-context";
      context.textContent = ` in ${whole}`;
      word.append(context);
    }
    word.title = "Scroll to this word in the source";
    word.addEventListener("click", () => {
      const span = state.sourceSpans[j];
      span?.scrollIntoView({ block: "center", behavior: "smooth" });
      span?.classList.add("flash");
      setTimeout(() => span?.classList.remove("flash"), 900);
    });
    const bar = document.createElement("span");
    bar.className = "top-bar";
    bar.setAttribute("aria-hidden", "true");
    bar.style.width = `${Math.max(2, (w / top) * 100)}%`;
    bar.style.background = attentionColour(w / top);
    const value = document.createElement("span");
    value.className = "top-value";
    value.textContent = w.toFixed(3);
    const track = document.createElement("span");
    track.className = "top-track";
    track.append(bar);
    li.append(word, track, value);
    return li;
  }));
}

/** The whitespace-delimited word of the submitted text that a (possibly sub-word) source token lies in. */
export function wordAround(tok) {
  if (!tok) return "";
  let a = tok.start, b = tok.end;
  while (a > 0 && !/\s/.test(state.text[a - 1])) a--;
  while (b < state.text.length && !/\s/.test(state.text[b])) b++;
  const word = state.text.slice(a, b);
  return word.length > 24 ? word.slice(0, 23) + "…" : word;
}

export function clearInspector() {
  els.selectedWord.textContent = "—";
  els.selectedMeta.textContent = "";
  els.topList.replaceChildren();
  renderGrid(-1);
}

export function resetViewOptions(layerCount, headCount) {
  const keep = state.view;
  const options = [new Option("Aggregate (copy distribution)", "aggregate")];
  for (let l = 0; l < layerCount; l++)
    for (let h = 0; h < headCount; h++) options.push(new Option(`Layer ${l + 1}, head ${h + 1}`, `${l}:${h}`));
  els.view.replaceChildren(...options);
  state.view = options.some((o) => o.value === keep) ? keep : "aggregate";
  els.view.value = state.view;
}

export function renderGrid(i) {
  const layers = state.layers;
  if (!layers || i < 0) {
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent = els.summary.dataset.state === "streaming"
      ? "Per-head maps arrive with the finished summary."
      : "Summarize a text and select a word to see every layer and head.";
    els.grid.replaceChildren(note);
    els.grid.style.removeProperty("--heads");
    return;
  }
  const headCount = layers[0].length;
  els.grid.style.setProperty("--heads", String(headCount));
  const frag = document.createDocumentFragment();
  frag.append(document.createElement("span"));
  for (let h = 0; h < headCount; h++) {
    const label = document.createElement("span");
    label.className = "grid-label";
    label.textContent = `H${h + 1}`;
    frag.append(label);
  }
  layers.forEach((heads, l) => {
    const label = document.createElement("span");
    label.className = "grid-label row-label";
    label.textContent = `L${l + 1}`;
    frag.append(label);
    heads.forEach((rows, h) => {
      const row = rows[i] ?? [];
      let arg = 0;
      row.forEach((w, j) => { if (w > row[arg]) arg = j; });
      const cell = document.createElement("button");
      cell.type = "button";
      cell.className = "head-cell";
      cell.dataset.testid = "head-cell";
      cell.dataset.layer = String(l);
      cell.dataset.head = String(h);
      const active = state.view === `${l}:${h}`;
      cell.classList.toggle("active", active);
      cell.setAttribute("aria-pressed", String(active));
      const topWord = state.sourceTokens[arg]?.text ?? "";
      cell.title = `Layer ${l + 1}, head ${h + 1}: most attended “${topWord.trim()}” (${(row[arg] ?? 0).toFixed(3)})`;
      cell.setAttribute("aria-label", cell.title);
      cell.append(stripCanvas(row));
      cell.addEventListener("click", () => setView(active ? "aggregate" : `${l}:${h}`));
      frag.append(cell);
    });
  });
  els.grid.replaceChildren(frag);
}

/** One-pixel-high canvas, one pixel per source token, stretched by CSS into a heatmap strip. */
export function stripCanvas(row) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, row.length);
  canvas.height = 1;
  canvas.setAttribute("aria-hidden", "true");
  if (row.length < 200) canvas.classList.add("pixelated");
  const ctx = canvas.getContext("2d");
  let max = 0;
  for (const w of row) if (w > max) max = w;
  row.forEach((w, j) => {
    ctx.fillStyle = attentionColour(max > 0 ? w / max : 0);
    ctx.fillRect(j, 0, 1, 1);
  });
  return canvas;
}

export function setView(view) {
  state.view = view;
  els.view.value = view;
  if (state.selected >= 0) highlight();
}
