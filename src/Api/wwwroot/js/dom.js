// The page's elements, the current result's state, and the status line: shared by every module.

const $ = (id) => document.getElementById(id);
export const els = {
  form: $("summarize-form"), text: $("source-text"), charCount: $("char-count"),
  beams: $("opt-beams"), max: $("opt-max"), min: $("opt-min"), view: $("opt-view"),
  penalty: $("opt-penalty"), ngram: $("opt-ngram"), apiKey: $("opt-key"), advanced: $("advanced"),
  button: $("summarize-button"), cancel: $("cancel-button"), status: $("status"), error: $("error"),
  summary: $("summary"), summaryMeta: $("summary-meta"), source: $("source"), truncation: $("truncation"),
  viewName: $("view-name"), scale: $("opt-scale"), legendMax: $("legend-max"), selectedWord: $("selected-word"),
  selectedMeta: $("selected-meta"), topList: $("top-list"), grid: $("head-grid"), modelInfo: $("model-info"),
  grounded: $("opt-grounded"), groundingNote: $("grounding-note"), provenance: $("provenance"),
};

/** Everything the current result shows; rows are attention rows per summary token. */
export const state = {
  text: "",            // the text that was submitted (source spans index into it)
  sourceTokens: [],    // [{text,start,end}]
  sourceSpans: [],     // span element per source token
  tokens: [],          // [{text, copyProbability, unsupported}]
  sentences: [],       // the final result's summary sentences: [{start, end, sources: [{index, start, end, share}]}]
  sourceSentenceOf: [],// per source token: its sentence index
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

export function setStatus(message) { els.status.textContent = message; }

export function showError(message) {
  els.error.textContent = message;
  els.error.hidden = !message;
}
