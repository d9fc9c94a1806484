// Summarizer page: streams a summary from POST /summarize/stream and shows, for the selected summary word,
// which source words the decoder's cross-attention weighed. Plain browser JavaScript, no dependencies.
(() => {
  "use strict";

  const SAMPLE_ARTICLE =
`The city of Lisbon will open its first overnight shelter for cyclists caught out by storms, the mayor announced on Tuesday, after a winter in which emergency crews were called to rescue riders from flooded underpasses more than forty times.

Carlos Moedas said the shelter, a converted tram depot near the Santa Apolonia station, would hold up to 120 people and 200 bicycles and would open whenever the national weather service issued an orange or red warning. Volunteers from the Portuguese Red Cross will staff it, and a free repair bench will be run by two local cycling clubs.

"People who ride to work are doing the city a favour, and they should not have to choose between a dangerous ride home and a night on a bench," Moedas told reporters outside the depot. The project will cost about 1.4 million euros, most of it paid by a European Union fund for climate adaptation.

Lisbon has doubled the length of its bike lanes since 2017, to roughly 200 kilometres, and the number of daily bicycle trips has risen to about 60,000, according to city figures. But the hilly capital's drainage system was built for far fewer paved surfaces, and sudden downpours regularly turn its lowest streets into rivers.

Opposition councillors welcomed the shelter but said the money would be better spent fixing the drains. "A shelter treats the symptom, not the disease," said Ana Martins of the Socialist Party, who called for a full review of the city's flood defences before next winter.

The first storm warning of the season is expected later this month. City officials said the depot would be ready by then, and that a second shelter in the eastern district of Marvila could follow next year if the first proves popular.`;

  const $ = (id) => document.getElementById(id);
  const els = {
    form: $("summarize-form"), text: $("source-text"), charCount: $("char-count"),
    beams: $("opt-beams"), max: $("opt-max"), min: $("opt-min"), view: $("opt-view"),
    penalty: $("opt-penalty"), ngram: $("opt-ngram"), apiKey: $("opt-key"), advanced: $("advanced"),
    button: $("summarize-button"), cancel: $("cancel-button"), status: $("status"), error: $("error"),
    summary: $("summary"), summaryMeta: $("summary-meta"), source: $("source"), truncation: $("truncation"),
    viewName: $("view-name"), scale: $("opt-scale"), legendMax: $("legend-max"), selectedWord: $("selected-word"),
    selectedMeta: $("selected-meta"), topList: $("top-list"), grid: $("head-grid"), modelInfo: $("model-info"),
  };

  /** Everything the current result shows; rows are attention rows per summary token. */
  const state = {
    text: "",            // the text that was submitted (source spans index into it)
    sourceTokens: [],    // [{text,start,end}]
    sourceSpans: [],     // span element per source token
    tokens: [],          // [{text, copyProbability, unsupported}]
    tokenEls: [],        // span element per summary token
    rows: [],            // aggregate attention row per summary token
    layers: null,        // [layer][head][row][col] once the final result arrives
    selected: -1,
    view: "aggregate",   // "aggregate" or "layer:head"
    scale: "peak",       // colour relative to the row's largest weight ("peak") or to 1 ("absolute")
    streamed: 0,         // token events received for the current summary
    userPicked: false,   // the reader chose a word while the summary streamed
    maxTextChars: null,
    controller: null,
  };

  // ---------- colour scales ----------

  // Sequential scale for attention: cream → amber → burnt orange → dark brown (light to dark, readable text on top).
  const ATTN_STOPS = [[255, 251, 235], [253, 230, 138], [245, 158, 11], [194, 65, 12], [124, 45, 18]];
  // Diverging scale for the copy gate: violet (generated) → white → teal (copied).
  const COPY_STOPS = [[196, 181, 253], [248, 248, 250], [94, 234, 212]];

  function interpolate(stops, t) {
    const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
    return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
  }
  const attentionColour = (t) => interpolate(ATTN_STOPS, t);
  const copyColour = (p) => interpolate(COPY_STOPS, p);
  const gradient = (stops) => `linear-gradient(to right, ${stops.map((_, i) => interpolate(stops, i / (stops.length - 1))).join(", ")})`;
  document.querySelector(".attn-bar").style.background = gradient(ATTN_STOPS);
  document.querySelector(".copy-bar").style.background = gradient(COPY_STOPS);

  // ---------- model info and defaults ----------

  function setIfNumber(input, value) {
    if (typeof value === "number" && Number.isFinite(value)) input.value = String(value);
  }

  /** Finds an option's default and range in /info, whichever of the plausible shapes it uses. */
  function optionInfo(info, name) {
    const model = info.model ?? {};
    const range = [info.options, info.limits, info.ranges, info.optionRanges].map((c) => c?.[name]).find((r) => r && typeof r === "object") ?? {};
    const plain = [info.defaults, model.defaults, info.options, info.limits].map((c) => c?.[name]).find((v) => typeof v === "number");
    return { value: typeof range.default === "number" ? range.default : plain, min: range.min, max: range.max };
  }

  function applyOption(input, option) {
    setIfNumber(input, option.value);
    if (typeof option.min === "number") input.min = String(option.min);
    if (typeof option.max === "number") input.max = String(option.max);
  }

  async function loadInfo(attempt = 0) {
    // Empty fields are left out of the request, so the server's defaults apply unless /info tells us them.
    for (const input of [els.beams, els.max, els.min, els.penalty, els.ngram]) input.placeholder = "model default";
    try {
      const response = await fetch("info", { headers: authHeaders({ Accept: "application/json" }) });
      if (response.status === 503 && attempt < 30) {
        // The model is still loading: ask again when the server says to.
        els.modelInfo.textContent = "The model is loading…";
        const wait = Number(response.headers.get("Retry-After")) || 2;
        setTimeout(() => loadInfo(attempt + 1), wait * 1000);
        return;
      }
      if (response.status === 401) {
        els.modelInfo.textContent = "This server needs an API key: enter it under “More options”.";
        els.advanced.open = true;
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const info = await response.json();
      const model = info.model ?? info;
      applyOption(els.beams, optionInfo(info, "numBeams"));
      applyOption(els.max, optionInfo(info, "maxLength"));
      applyOption(els.min, optionInfo(info, "minLength"));
      applyOption(els.penalty, optionInfo(info, "lengthPenalty"));
      applyOption(els.ngram, optionInfo(info, "noRepeatNgramSize"));
      const maxChars = [info.limits?.maxTextChars, info.maxTextChars, info.limits?.maxTextCharacters].find((v) => typeof v === "number");
      state.maxTextChars = maxChars ?? null;
      if (info.limits?.apiKeyRequired && !els.apiKey.value) els.advanced.open = true;
      const parts = [];
      if (model.name) parts.push(`Model ${model.name}`);
      if (model.parameters) parts.push(`${(model.parameters / 1e6).toFixed(model.parameters < 1e7 ? 2 : 1)} M parameters`);
      const decoderLayers = model.decoderLayers ?? model.nDecLayers;
      const heads = model.headCount ?? model.heads ?? model.nHeads;
      if (decoderLayers && heads) parts.push(`${decoderLayers} decoder layers × ${heads} heads`);
      if (model.maxSourceLength) parts.push(`reads up to ${model.maxSourceLength} tokens`);
      els.modelInfo.textContent = parts.length ? parts.join(" · ") : "Model info unavailable.";
    } catch {
      els.modelInfo.textContent = "Model info unavailable; using built-in defaults.";
    }
    updateCharCount();
  }

  function authHeaders(headers) {
    const key = els.apiKey.value.trim();
    return key ? { ...headers, "X-Api-Key": key } : headers;
  }

  function updateCharCount() {
    const n = els.text.value.length;
    els.charCount.textContent = state.maxTextChars
      ? `${n.toLocaleString()} of ${Number(state.maxTextChars).toLocaleString()} characters`
      : `${n.toLocaleString()} characters`;
    els.charCount.classList.toggle("over", !!state.maxTextChars && n > state.maxTextChars);
  }

  // ---------- status and errors ----------

  function setStatus(message) { els.status.textContent = message; }

  function showError(message) {
    els.error.textContent = message;
    els.error.hidden = !message;
  }

  /** Turns a problem+json body (and the Retry-After header) into one readable sentence. */
  function describeProblem(status, problem, retryAfter) {
    problem = problem ?? {};
    const detail = problem.detail || "";
    const fieldErrors = problem.errors && typeof problem.errors === "object"
      ? Object.entries(problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ")
      : "";
    const why = [detail, fieldErrors].filter(Boolean).join(" ") || problem.title || "";
    const retry = Number(retryAfter ?? problem.retryAfter);
    switch (status) {
      case 400: return `Cannot summarize this request. ${why}`.trim();
      case 401: return `Not authorised: ${why || "the server needs an API key."}`;
      case 413: return `The text is too long. ${why}`.trim();
      case 429:
      case 503: return `The server is busy${Number.isFinite(retry) && retry > 0 ? `; try again in ${retry} s` : "; try again shortly"}.${why ? " " + why : ""}`;
      default: return `Something went wrong (HTTP ${status || "error"}). ${why}`.trim();
    }
  }

  async function problemFrom(response) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON: describe by status */ }
    return describeProblem(response.status, problem, response.headers.get("Retry-After"));
  }

  // ---------- server-sent events over fetch ----------

  /** Reads an SSE body and calls onEvent(name, data) per event; comments (": keep-alive") are skipped. */
  async function readSse(body, onEvent) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, "\n");
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        const data = [];
        for (const line of block.split("\n")) {
          if (!line || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          let val = colon < 0 ? "" : line.slice(colon + 1);
          if (val.startsWith(" ")) val = val.slice(1);
          if (field === "event") name = val;
          else if (field === "data") data.push(val);
        }
        if (data.length) onEvent(name, data.join("\n"));
      }
    }
  }

  // ---------- summarize ----------

  function readInt(input, name) {
    if (input.value.trim() === "") return undefined;
    const v = Number(input.value);
    if (!Number.isInteger(v)) throw new Error(`${name} must be a whole number.`);
    return v;
  }

  function readNumber(input, name) {
    if (input.value.trim() === "") return undefined;
    const v = Number(input.value);
    if (!Number.isFinite(v)) throw new Error(`${name} must be a number.`);
    return v;
  }

  async function summarize(event) {
    event.preventDefault();
    showError("");
    const text = els.text.value;
    if (!text.trim()) {
      showError("Please enter some text to summarize: the article box is empty.");
      els.text.focus();
      return;
    }
    let body;
    try {
      body = { text, numBeams: readInt(els.beams, "Beams"), maxLength: readInt(els.max, "Max length"),
               minLength: readInt(els.min, "Min length"), lengthPenalty: readNumber(els.penalty, "Length penalty"),
               noRepeatNgramSize: readInt(els.ngram, "No-repeat n-gram size"), attention: "full" };
    } catch (e) {
      showError(e.message);
      return;
    }

    state.controller?.abort();
    const controller = new AbortController();
    state.controller = controller;
    els.button.disabled = true;
    els.cancel.hidden = false;
    setStatus("Summarizing…");
    const started = performance.now();
    let finished = false;
    try {
      const response = await fetch("summarize/stream", {
        method: "POST", signal: controller.signal,
        headers: authHeaders({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        showError(await problemFrom(response));
        setStatus("Failed.");
        if (response.status === 401) { els.advanced.open = true; els.apiKey.focus(); }
        return;
      }
      await readSse(response.body, (name, data) => {
        const payload = JSON.parse(data);
        if (name === "start") beginResult(text, payload);
        else if (name === "token") addStreamedToken(payload);
        else if (name === "done") { finished = true; showFinal(text, payload, performance.now() - started); }
        else if (name === "error") {
          finished = true;
          showError(describeProblem(payload.status, payload, payload.retryAfter));
          setStatus("Failed.");
        }
      });
      if (!finished) { showError("The connection closed before the summary was finished. Please try again."); setStatus("Failed."); }
    } catch (e) {
      if (e.name === "AbortError") setStatus("Stopped.");
      else { showError(`Could not reach the server (${e.message}).`); setStatus("Failed."); }
    } finally {
      if (state.controller === controller) state.controller = null;
      els.button.disabled = false;
      els.cancel.hidden = true;
    }
  }

  // ---------- rendering: source ----------

  function renderSource(text, sourceTokens) {
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

  function beginResult(text, start) {
    state.text = text;
    state.sourceTokens = start.sourceTokens ?? [];
    state.tokens = []; state.tokenEls = []; state.rows = []; state.layers = null;
    state.selected = -1;
    renderSource(text, state.sourceTokens);
    els.summary.replaceChildren();
    els.summary.dataset.state = "streaming";
    state.streamed = 0;
    state.userPicked = false;
    els.summary.dataset.streamed = "0";
    els.summaryMeta.textContent = "";
    setTruncation(start.truncated, start.inputTokenCount);
    resetViewOptions(0, 0);
    clearInspector();
  }

  function setTruncation(truncated, inputTokenCount) {
    els.truncation.hidden = !truncated;
    els.truncation.textContent = truncated
      ? `Truncated: the model read the first ${state.sourceTokens.length} of ${inputTokenCount} tokens (faded text was not read).`
      : "";
  }

  // ---------- rendering: summary ----------

  function makeTokenEl(index, text, copyProbability, unsupported) {
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
      span.title = `generated and absent from the source (${how})`;
      span.setAttribute("aria-label", `${text}: ${how}; generated and absent from the source`);
    } else {
      span.title = how;
      span.setAttribute("aria-label", `${text}: ${how}`);
    }
    return span;
  }

  function addStreamedToken(ev) {
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

  function showFinal(text, result, clientMs) {
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
    setStatus(`Done: ${tokens.length} tokens${typeof t.totalMs === "number" ? ` in ${Math.round(t.totalMs)} ms` : ""}.`);
    // Keep the word the reader picked while streaming; otherwise start at the first word.
    if (state.tokenEls.length) select(state.userPicked ? Math.min(Math.max(keep, 0), state.tokenEls.length - 1) : 0, false);
  }

  // ---------- selection and highlighting ----------

  function rowFor(i) {
    if (state.view !== "aggregate" && state.layers) {
      const [l, h] = state.view.split(":").map(Number);
      return state.layers[l]?.[h]?.[i] ?? [];
    }
    return state.rows[i] ?? [];
  }

  function select(i, focus) {
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

  function highlight() {
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
      (tok.unsupported ? " · generated and absent from the source" : "") +
      (max > 0 && uniform > 0 ? ` · peak weight ${max.toFixed(3)} = ${(max / uniform).toFixed(1)}× uniform` : "");
    renderTopList(row);
    renderGrid(i);
  }

  function renderTopList(row) {
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
  function wordAround(tok) {
    if (!tok) return "";
    let a = tok.start, b = tok.end;
    while (a > 0 && !/\s/.test(state.text[a - 1])) a--;
    while (b < state.text.length && !/\s/.test(state.text[b])) b++;
    const word = state.text.slice(a, b);
    return word.length > 24 ? word.slice(0, 23) + "…" : word;
  }

  function clearInspector() {
    els.selectedWord.textContent = "—";
    els.selectedMeta.textContent = "";
    els.topList.replaceChildren();
    renderGrid(-1);
  }

  // ---------- layer × head grid ----------

  function resetViewOptions(layerCount, headCount) {
    const keep = state.view;
    const options = [new Option("Aggregate (copy distribution)", "aggregate")];
    for (let l = 0; l < layerCount; l++)
      for (let h = 0; h < headCount; h++) options.push(new Option(`Layer ${l + 1}, head ${h + 1}`, `${l}:${h}`));
    els.view.replaceChildren(...options);
    state.view = options.some((o) => o.value === keep) ? keep : "aggregate";
    els.view.value = state.view;
  }

  function renderGrid(i) {
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
  function stripCanvas(row) {
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

  function setView(view) {
    state.view = view;
    els.view.value = view;
    if (state.selected >= 0) highlight();
  }

  // ---------- events ----------

  els.form.addEventListener("submit", summarize);
  els.cancel.addEventListener("click", () => state.controller?.abort());
  els.text.addEventListener("input", updateCharCount);
  els.view.addEventListener("change", () => setView(els.view.value));
  els.scale.addEventListener("change", () => { state.scale = els.scale.value; if (state.selected >= 0) highlight(); });

  const tokenIndexOf = (target) => {
    const el = target.closest?.("[data-testid='summary-token']");
    return el && els.summary.contains(el) ? Number(el.dataset.index) : -1;
  };
  els.summary.addEventListener("mouseover", (e) => {
    const i = tokenIndexOf(e.target);
    if (i >= 0 && i !== state.selected) { state.userPicked = true; select(i, false); }
  });
  els.summary.addEventListener("focusin", (e) => {
    const i = tokenIndexOf(e.target);
    if (i >= 0 && i !== state.selected) { state.userPicked = true; select(i, false); }
  });
  els.summary.addEventListener("click", (e) => {
    const i = tokenIndexOf(e.target);
    if (i >= 0) { state.userPicked = true; select(i, true); }
  });
  els.summary.addEventListener("keydown", (e) => {
    const i = tokenIndexOf(e.target);
    if (i < 0) return;
    const last = state.tokenEls.length - 1;
    const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: last }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    state.userPicked = true;
    select(Math.min(last, Math.max(0, next)), true);
  });

  els.text.value = SAMPLE_ARTICLE;
  renderGrid(-1);
  loadInfo();
})();
