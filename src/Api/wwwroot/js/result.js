// The result as it arrives: the source with its token spans, the streamed summary, then the final one.
import { els, state, setStatus, beginSummary } from "./dom.js";
import { copyColour } from "./colours.js";
import { select, clearInspector, resetViewOptions } from "./inspector.js";

export function renderSource(text, sourceTokens) {
  const frag = document.createDocumentFragment();
  state.sourceSpans = [];
  let at = 0;
  sourceTokens.forEach((tok, j) => {
    if (tok.start > at) frag.append(text.slice(at, tok.start));
    const span = document.createElement("span");
    span.className = "src";
    span.dataset.testid = "source-token";
    span.dataset.index = String(j);
    span.dataset.weight = "0";
    span.textContent = text.slice(tok.start, tok.end);
    frag.append(span);
    state.sourceSpans.push(span);
    at = Math.max(at, tok.end);
  });
  if (at < text.length) {
    const rest = document.createElement("span");
    rest.className = "unread";
    rest.title = "Not read: beyond the model's maximum source length";
    rest.textContent = text.slice(at);
    frag.append(rest);
  }
  els.source.replaceChildren(frag);
}

export function beginResult(text, start) {
  beginSummary("abstractive", text, start);
  state.sourceSentenceEls = new Map();
  els.heatmapBox.replaceChildren();
  renderSource(text, state.sourceTokens);
  setTruncation(start.truncated, start.inputTokenCount);
  resetViewOptions(0, 0);
  clearInspector();
}

export function setTruncation(truncated, inputTokenCount) {
  els.truncation.hidden = !truncated;
  els.truncation.textContent = truncated
    ? `Truncated: the model read the first ${state.sourceTokens.length} of ${inputTokenCount} tokens (faded text was not read).`
    : "";
}

export function makeTokenEl(index, text, copyProbability, unsupported) {
  const span = document.createElement("span");
  span.className = "tok";
  span.dataset.testid = "summary-token";
  span.dataset.index = String(index);
  span.dataset.copy = copyProbability.toFixed(3);
  span.setAttribute("role", "option");
  span.setAttribute("aria-selected", "false");
  span.tabIndex = -1;
  span.textContent = text;
  span.style.background = copyColour(copyProbability);
  const how = `${Math.round(copyProbability * 100)}% copied`;
  if (unsupported) {
    span.classList.add("unsupported");
    span.dataset.unsupported = "true";
    span.title = `generated, not in the source (${how})`;
    span.setAttribute("aria-label", `${text}: ${how}; generated, not in the source`);
  } else {
    span.title = how;
    span.setAttribute("aria-label", `${text}: ${how}`);
  }
  return span;
}

export function addStreamedToken(ev) {
  // The best beam can change, so a token may replace earlier ones from its index on.
  if (ev.index < state.tokens.length) {
    for (const el of state.tokenEls.slice(ev.index)) {
      if (el.previousSibling?.nodeType === Node.TEXT_NODE) el.previousSibling.remove();
      el.remove();
    }
    state.tokens.length = ev.index; state.tokenEls.length = ev.index; state.rows.length = ev.index;
    if (state.selected >= ev.index) state.selected = -1;
  }
  const raw = ev.text ?? "";
  const lead = raw.startsWith(" ") && state.tokens.length > 0;
  const word = raw.trimStart();
  const el = makeTokenEl(ev.index, word, ev.copyProbability ?? 0, false);
  if (lead) els.summary.append(" ");
  els.summary.append(el);
  state.tokens.push({ text: word, copyProbability: ev.copyProbability ?? 0, unsupported: false });
  state.tokenEls.push(el);
  state.rows.push(ev.attention ?? []);
  state.streamed += 1;
  els.summary.dataset.streamed = String(state.streamed);
  if (state.tokens.length === 1) el.tabIndex = 0;
  setStatus(`Streaming… ${state.tokens.length} token${state.tokens.length === 1 ? "" : "s"}`);
  if (state.selected < 0 || state.selected === state.tokens.length - 2) select(state.tokens.length - 1, false);
}

export function showFinal(text, result, clientMs) {
  const keep = state.selected;
  state.text = text;
  state.sourceTokens = result.sourceTokens ?? [];
  renderSource(text, state.sourceTokens);
  setTruncation(result.truncated, result.inputTokenCount);
  const summary = result.summary ?? "";
  const tokens = result.summaryTokens ?? [];
  const frag = document.createDocumentFragment();
  state.tokens = []; state.tokenEls = [];
  let at = 0;
  tokens.forEach((tok, i) => {
    if (tok.start > at) frag.append(summary.slice(at, tok.start));
    const el = makeTokenEl(i, summary.slice(tok.start, tok.end), tok.copyProbability ?? 0, !!tok.unsupported);
    el.dataset.id = String(tok.id);
    frag.append(el);
    state.tokens.push(tok);
    state.tokenEls.push(el);
    at = Math.max(at, tok.end);
  });
  // Provenance: the summary's sentences with their source sentences, and each source token's sentence.
  const sourceSentences = result.sourceSentences ?? [];
  state.sentences = result.sentences ?? [];
  state.sourceSentenceOf = state.sourceTokens.map((t) => {
    let at = 0;
    sourceSentences.forEach((s, k) => { if (s.start <= t.start) at = k; });
    return at;
  });
  if (at < summary.length) frag.append(summary.slice(at));
  if (!tokens.length) frag.append(Object.assign(document.createElement("span"), { className: "placeholder", textContent: "(empty summary)" }));
  els.summary.replaceChildren(frag);
  state.rows = result.attention?.weights ?? [];
  state.layers = result.attention?.layers ?? null;
  const layerCount = state.layers?.length ?? 0;
  const headCount = layerCount ? state.layers[0].length : 0;
  resetViewOptions(layerCount, headCount);
  if (state.tokenEls.length) state.tokenEls[0].tabIndex = 0;
  state.selected = -1;
  els.summary.dataset.state = "done";

  const unsupported = tokens.filter((t) => t.unsupported).length;
  const copied = tokens.filter((t) => (t.copyProbability ?? 0) >= 0.5).length;
  const t = result.timings ?? {};
  const opts = result.options ?? {};
  els.summaryMeta.textContent = [
    `${tokens.length} tokens`, `${copied} mostly copied`,
    unsupported ? `${unsupported} unsupported` : "no unsupported words",
    opts.numBeams ? `${opts.numBeams} beam${opts.numBeams === 1 ? "" : "s"}` : null,
    typeof t.totalMs === "number" ? `${Math.round(t.totalMs)} ms on the server` : `${Math.round(clientMs)} ms`,
  ].filter(Boolean).join(" · ");
  els.groundingNote.textContent = groundingNote(opts);
  els.groundingNote.hidden = false;
  setStatus(`Done: ${tokens.length} tokens${typeof t.totalMs === "number" ? ` in ${Math.round(t.totalMs)} ms` : ""}.`);
  // Keep the word the reader picked while streaming; otherwise start at the first word.
  if (state.tokenEls.length) select(state.userPicked ? Math.min(Math.max(keep, 0), state.tokenEls.length - 1) : 0, false);
}

/** What the search was allowed to write, from the options the server used (so a flag never claims what cannot happen). */
export function groundingNote(opts) {
  if (!opts.grounded) return "Not grounded: the model's raw search, which may invent words and numbers.";
  const rules = ["every word is the source's or a whole English word of the vocabulary",
    "every number is one the source states", "no word twice in a row"];
  if (opts.noRepeatWordNgramSize > 0) rules.push(`no ${opts.noRepeatWordNgramSize}-word phrase twice`);
  if (opts.maxWordRepeats > 0) rules.push(`no content word more than ${opts.maxWordRepeats === 1 ? "once" : `${opts.maxWordRepeats} times`}`);
  return `Grounded: ${rules.join("; ")}. A flagged word is an English word the source does not have.`;
}
