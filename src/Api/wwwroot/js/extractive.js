// The extractive mode's result: the source with the taken sentences highlighted (rank and score), the summary as
// sentences, and the selector's sentence-level attention (summary sentence × source sentence) as a heatmap.
import { els, state, setStatus, beginSummary } from "./dom.js";
import { attentionColour } from "./colours.js";
import { clearInspector, stripCanvas } from "./inspector.js";

/** Above this many source sentences the heatmap draws each row as one canvas strip instead of a cell per sentence. */
const MAX_CELL_COLUMNS = 120;

const score = (s) => (typeof s === "number" ? s.toFixed(3) : "?");
const ORDER_WORDS = { offset: "in the text's order", rank: "best first" };

export function beginExtractive(text, start) {
  beginSummary("extractive", text, start);
  state.sourceSpans = []; state.sourceSentenceOf = [];
  els.truncation.hidden = !start.truncated;
  els.truncation.textContent = start.truncated
    ? `Truncated: the model read the first ${state.sourceTokens.length} of ${start.inputTokenCount} tokens; sentences past them were out of its reach.`
    : "";
  clearInspector();
  renderSentenceSource();
  renderHeatmap();
}

/** One `sentence` event of the stream: the next summary sentence, its source sentence and its attention row. */
export function addStreamedSentence(ev) {
  const k = ev.index;
  if (k < state.sentenceEls.length) return; // sentence events never revise; ignore a repeat
  const text = ev.text ?? "";
  if (k > 0) els.summary.append(" ");
  state.taken[k] = ev.extracted ?? null;
  state.summarySentences[k] = { start: ev.start, end: ev.end, text };
  state.sentenceRows[k] = ev.attention ?? [];
  const el = makeSentenceEl(k, text, ev.extracted);
  els.summary.append(el);
  state.sentenceEls[k] = el;
  if (k === 0) el.tabIndex = 0;
  state.streamed += 1;
  els.summary.dataset.streamed = String(state.streamed);
  renderSentenceSource();
  renderHeatmap();
  setStatus(`Streaming… ${state.sentenceEls.length} sentence${state.sentenceEls.length === 1 ? "" : "s"}`);
  // Follow the newest sentence unless the reader picked one.
  if (!state.userPicked) selectSentence(k, false);
  else highlightSentence();
}

export function showExtractive(text, result, clientMs) {
  const keep = state.selectedSentence;
  if (state.mode !== "extractive") beginExtractive(text, result);
  state.text = text;
  state.sourceTokens = result.sourceTokens ?? [];
  state.sourceSentences = result.sourceSentences ?? [];
  const summary = result.summary ?? "";
  const sentences = result.sentences ?? [];
  const extracted = result.extracted ?? [];
  state.sentences = sentences;
  // Each summary sentence's own source sentence: its single source (itself, share 1), else the k-th taken.
  state.taken = sentences.map((s, k) => {
    const index = s.sources?.[0]?.index;
    return extracted.find((e) => e.index === index) ?? extracted[k] ?? null;
  });
  state.summarySentences = sentences.map((s) => ({ start: s.start, end: s.end, text: summary.slice(s.start, s.end) }));
  state.sentenceRows = result.sentenceAttention?.weights ?? [];

  const frag = document.createDocumentFragment();
  state.sentenceEls = [];
  let at = 0;
  state.summarySentences.forEach((s, k) => {
    if (s.start > at) frag.append(summary.slice(at, s.start));
    const el = makeSentenceEl(k, s.text, state.taken[k]);
    frag.append(el);
    state.sentenceEls.push(el);
    at = Math.max(at, s.end);
  });
  if (at < summary.length) frag.append(summary.slice(at));
  if (!sentences.length) frag.append(Object.assign(document.createElement("span"), { className: "placeholder", textContent: "(empty summary)" }));
  els.summary.replaceChildren(frag);
  if (state.sentenceEls.length) state.sentenceEls[0].tabIndex = 0;
  state.selectedSentence = -1;
  els.summary.dataset.state = "done";

  renderSentenceSource();
  renderHeatmap();

  const unread = state.sourceSentences.filter((s) => s.read === false).length;
  const readCount = state.sourceSentences.length - unread;
  els.truncation.hidden = !result.truncated && !unread;
  els.truncation.textContent = els.truncation.hidden ? "" :
    `Truncated: the model read the first ${state.sourceTokens.length} of ${result.inputTokenCount} tokens, so ${unread} of ` +
    `${state.sourceSentences.length} sentences (faded) were out of its reach and could not be taken.`;

  const t = result.timings ?? {};
  const used = result.extractive ?? {};
  const n = sentences.length;
  els.summaryMeta.textContent = [
    `${n} sentence${n === 1 ? "" : "s"} taken of ${readCount} the model read`,
    ORDER_WORDS[used.sentenceOrder] ?? null,
    typeof t.totalMs === "number" ? `${Math.round(t.totalMs)} ms on the server` : `${Math.round(clientMs)} ms`,
  ].filter(Boolean).join(" · ");
  els.groundingNote.textContent = "Extractive: every summary sentence is one of the source's sentences, as written; nothing is generated. " +
    "The sentence selector scored each sentence it read and the highest-scoring were taken.";
  els.groundingNote.hidden = false;
  setStatus(`Done: ${n} sentence${n === 1 ? "" : "s"}${typeof t.totalMs === "number" ? ` in ${Math.round(t.totalMs)} ms` : ""}.`);
  if (state.sentenceEls.length) selectSentence(state.userPicked ? Math.min(Math.max(keep, 0), state.sentenceEls.length - 1) : 0, false);
}

function describeTaken(e) {
  return e ? `source sentence ${e.index + 1}, rank ${e.rank}, score ${score(e.score)}` : "source sentence unknown";
}

function makeSentenceEl(k, text, extracted) {
  const span = document.createElement("span");
  span.className = "sent";
  span.dataset.testid = "summary-sentence";
  span.dataset.index = String(k);
  if (extracted) span.dataset.source = String(extracted.index);
  span.setAttribute("role", "option");
  span.setAttribute("aria-selected", "false");
  span.tabIndex = -1;
  span.textContent = text;
  span.title = `Taken as written: ${describeTaken(extracted)}`;
  span.setAttribute("aria-label", `${text} (${describeTaken(extracted)})`);
  return span;
}

/**
 * The source by sentences: taken ones highlighted with a rank · score badge, unread ones faded. While streaming only
 * the taken sentences' spans are known (from their events); the done event brings every sentence.
 */
export function renderSentenceSource() {
  const text = state.text;
  const byIndex = new Map(state.taken.filter(Boolean).map((e) => [e.index, e]));
  const spans = state.sourceSentences.length
    ? state.sourceSentences.map((s, j) => ({ index: j, start: s.start, end: s.end, read: s.read !== false }))
    : [...byIndex.values()].map((e) => ({ index: e.index, start: e.start, end: e.end, read: true })).sort((a, b) => a.start - b.start);
  const total = state.sourceSentences.length;
  const frag = document.createDocumentFragment();
  state.sourceSentenceEls = new Map();
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    if (s.start > at) frag.append(text.slice(at, s.start));
    const taken = byIndex.get(s.index);
    if (taken) {
      const badge = document.createElement("span");
      badge.className = "rank-badge";
      badge.dataset.testid = "rank-badge";
      badge.dataset.index = String(s.index);
      const seen = document.createElement("span");
      seen.setAttribute("aria-hidden", "true");
      seen.textContent = `#${taken.rank} · ${score(taken.score)}`;
      const said = document.createElement("span");
      said.className = "visually-hidden";
      said.textContent = `Taken, rank ${taken.rank}, score ${score(taken.score)}:`;
      badge.append(seen, said);
      frag.append(badge);
    }
    const span = document.createElement("span");
    span.className = "ssent";
    span.dataset.testid = "source-sentence";
    span.dataset.index = String(s.index);
    span.dataset.read = String(s.read);
    span.textContent = text.slice(s.start, s.end);
    const where = total ? `Sentence ${s.index + 1} of ${total}` : `Sentence ${s.index + 1}`;
    if (taken) {
      span.classList.add("taken");
      span.dataset.taken = "true";
      span.dataset.rank = String(taken.rank);
      span.dataset.score = String(taken.score);
      span.title = `${where}: taken, rank ${taken.rank}, selector score ${score(taken.score)}`;
    } else if (!s.read) {
      span.classList.add("unread");
      span.title = `${where}: not read (beyond the model's maximum source length), so it could not be taken`;
    } else {
      span.title = `${where}: not taken`;
    }
    frag.append(span);
    state.sourceSentenceEls.set(s.index, span);
    at = s.end;
  }
  if (at < text.length) frag.append(text.slice(at));
  els.source.replaceChildren(frag);
}

export function selectSentence(k, focus) {
  if (k < 0 || k >= state.sentenceEls.length) return;
  const previous = state.sentenceEls[state.selectedSentence];
  if (previous) { previous.classList.remove("selected"); previous.tabIndex = -1; previous.setAttribute("aria-selected", "false"); }
  state.selectedSentence = k;
  const el = state.sentenceEls[k];
  el.classList.add("selected");
  el.tabIndex = 0;
  el.setAttribute("aria-selected", "true");
  if (focus) el.focus();
  highlightSentence();
}

/** Outlines the selected summary sentence's source sentence (the provenance outline) and marks its heatmap row. */
export function highlightSentence() {
  const k = state.selectedSentence;
  const taken = state.taken[k];
  for (const [j, span] of state.sourceSentenceEls) {
    const own = !!taken && taken.index === j;
    span.classList.toggle("prov", own);
    if (own) { span.dataset.provShare = "1.000"; span.style.setProperty("--prov", "1"); }
    else { delete span.dataset.provShare; span.style.removeProperty("--prov"); }
  }
  for (const row of els.heatmapBox.querySelectorAll("[data-testid=heat-row]")) {
    const on = Number(row.dataset.index) === k;
    row.classList.toggle("selected", on);
    row.setAttribute("aria-selected", String(on));
  }
  if (k < 0 || !state.sentenceEls[k]) { els.selectedWord.textContent = "—"; els.selectedMeta.textContent = ""; els.provenance.textContent = ""; return; }
  const n = state.sentenceEls.length;
  els.selectedWord.textContent = `S${k + 1}`;
  const row = state.sentenceRows[k] ?? [];
  let peak = -1;
  row.forEach((w, j) => { if (peak < 0 || w > row[peak]) peak = j; });
  els.selectedMeta.textContent = `Summary sentence ${k + 1} of ${n}` + (taken ? ` · rank ${taken.rank} · selector score ${score(taken.score)}` : "") +
    (peak >= 0 ? ` · its attention peaks at source sentence ${peak + 1} (${row[peak].toFixed(3)})` : "");
  els.provenance.textContent = taken
    ? `Summary sentence ${k + 1} of ${n} is source sentence ${taken.index + 1}, as written (outlined in the source).`
    : "";
}

/** The selector's attention: one row per summary sentence, one column per source sentence. */
export function renderHeatmap() {
  const rows = state.sentenceRows;
  if (!rows.length || !rows.some((r) => r?.length)) {
    const note = document.createElement("p");
    note.className = "hint";
    note.textContent = els.summary.dataset.state === "streaming" ? "The map fills in as sentences arrive." : "No sentence attention in this result.";
    els.heatmapBox.replaceChildren(note);
    return;
  }
  const columns = Math.max(state.sourceSentences.length, ...rows.map((r) => r?.length ?? 0));
  const unread = new Set(state.sourceSentences.flatMap((s, j) => (s.read === false ? [j] : [])));
  const table = document.createElement("table");
  table.className = "sent-heat";
  table.dataset.testid = "sentence-heatmap";
  table.dataset.rows = String(rows.length);
  table.dataset.columns = String(columns);
  table.setAttribute("aria-labelledby", "heatmap-heading");
  const cells = columns <= MAX_CELL_COLUMNS;
  const colgroup = document.createElement("colgroup");
  const headCol = document.createElement("col");
  headCol.className = "heat-head-col";
  colgroup.append(headCol);
  if (cells) for (let j = 0; j < columns; j++) colgroup.append(document.createElement("col"));
  const head = document.createElement("tr");
  head.append(Object.assign(document.createElement("th"), { scope: "col", innerHTML: '<span class="visually-hidden">Summary sentence</span>' }));
  if (cells) {
    const every = columns <= 24 ? 1 : 5;
    for (let j = 0; j < columns; j++) {
      const th = document.createElement("th");
      th.scope = "col";
      th.dataset.testid = "heat-column";
      th.dataset.index = String(j);
      th.setAttribute("aria-label", `Source sentence ${j + 1}`);
      th.textContent = (j + 1) % every === 0 || j === 0 ? String(j + 1) : "";
      if (unread.has(j)) th.classList.add("unread-col");
      head.append(th);
    }
  } else {
    head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: `source sentences 1–${columns}` }));
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  rows.forEach((row, k) => {
    row = row ?? [];
    const tr = document.createElement("tr");
    tr.dataset.testid = "heat-row";
    tr.dataset.index = String(k);
    tr.setAttribute("aria-selected", "false");
    const label = document.createElement("th");
    label.scope = "row";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "heat-label";
    button.textContent = `S${k + 1}`;
    button.setAttribute("aria-label", `Summary sentence ${k + 1}: select it`);
    button.addEventListener("click", () => { state.userPicked = true; selectSentence(k, false); });
    label.append(button);
    tr.append(label);
    let max = 0;
    for (const w of row) if (w > max) max = w;
    const own = state.taken[k]?.index;
    if (cells) {
      for (let j = 0; j < columns; j++) {
        const w = row[j] ?? 0;
        const td = document.createElement("td");
        td.dataset.testid = "heat-cell";
        td.dataset.row = String(k);
        td.dataset.column = String(j);
        td.dataset.weight = String(w);
        td.style.background = attentionColour(max > 0 ? w / max : 0);
        if (j === own) td.classList.add("own");
        if (unread.has(j)) td.classList.add("unread-col");
        td.title = `Summary sentence ${k + 1} → source sentence ${j + 1}: ${w.toFixed(3)}` +
          (j === own ? " (the sentence taken)" : "") + (unread.has(j) ? " (not read)" : "");
        td.addEventListener("click", () => { state.userPicked = true; selectSentence(k, false); flashSource(j); });
        tr.append(td);
      }
    } else {
      const td = document.createElement("td");
      td.className = "heat-strip";
      td.dataset.testid = "heat-strip";
      td.dataset.row = String(k);
      td.append(stripCanvas(row));
      tr.append(td);
    }
    tr.addEventListener("mouseenter", () => { state.userPicked = true; selectSentence(k, false); });
    tbody.append(tr);
  });
  table.append(colgroup, thead, tbody);
  els.heatmapBox.replaceChildren(table);
}

function flashSource(j) {
  const span = state.sourceSentenceEls.get(j);
  span?.scrollIntoView({ block: "center", behavior: "smooth" });
  span?.classList.add("flash");
  setTimeout(() => span?.classList.remove("flash"), 900);
}
