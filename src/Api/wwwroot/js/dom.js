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
  // Modes: the choice, the extractive options, the abstractive content-selection field.
  modeAbstractive: $("mode-abstractive"), modeExtractive: $("mode-extractive"), modeExtractiveChoice: $("mode-extractive-choice"),
  modeHint: $("mode-hint"), extractiveOptions: $("extractive-options"), sentenceCount: $("opt-sentences"), order: $("opt-order"),
  select: $("opt-select"), selectHint: $("select-hint"), salience: $("opt-salience"), salienceHint: $("salience-hint"),
  decodingNote: $("decoding-note"),
  // What each mode's result shows.
  copyLegend: $("copy-legend"), extractiveLegend: $("extractive-legend"), attentionLegend: $("attention-legend"),
  takenLegend: $("taken-legend"), takenHint: $("taken-hint"), scaleRow: $("scale-row"), summaryHint: $("summary-hint"),
  inspectorKind: $("inspector-kind"), tokenInspector: $("token-inspector"), sentenceInspector: $("sentence-inspector"),
  heatmapBox: $("sentence-heatmap-box"),
};

/** The decoding options the extractive mode refuses (disabled while it is chosen), with their labels and JSON names. */
export const decodingFields = () => [
  [els.beams, "numBeams"], [els.max, "maxLength"], [els.min, "minLength"], [els.grounded, "grounded"],
  [els.select, "selectSentences"], [els.salience, "copySalience"], [els.penalty, "lengthPenalty"], [els.ngram, "noRepeatNgramSize"],
];

/** Request fields (JSON names, as problem+json `errors` names them) to the form control that sets each. */
export const fieldFor = (name) => ({
  text: els.text, numBeams: els.beams, maxLength: els.max, minLength: els.min, grounded: els.grounded,
  selectSentences: els.select, copySalience: els.salience, lengthPenalty: els.penalty, noRepeatNgramSize: els.ngram,
  sentenceCount: els.sentenceCount, sentenceOrder: els.order, mode: els.modeExtractive,
})[name] ?? null;

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
  // The extractive mode's result (state.mode says which mode the shown result is in).
  mode: "abstractive",
  sourceSentences: [], // [{start, end, read}] (known once the result is done)
  taken: [],           // per summary sentence: its extracted {index, start, end, score, rank}
  summarySentences: [],// per summary sentence: {start, end, text} in the summary
  sentenceEls: [],     // span element per summary sentence
  sourceSentenceEls: new Map(), // source sentence index -> its span in the source
  sentenceRows: [],    // selector attention row (over the source sentences) per summary sentence
  selectedSentence: -1,
};

export function setStatus(message) { els.status.textContent = message; }

export function showError(message) {
  els.error.textContent = message;
  els.error.hidden = !message;
}

/** Starts a result of either mode: the page's state and the summary panel emptied, the new text and source tokens kept. */
export function beginSummary(mode, text, start) {
  setModeView(mode);
  state.text = text;
  state.sourceTokens = start.sourceTokens ?? [];
  state.tokens = []; state.tokenEls = []; state.rows = []; state.layers = null; state.selected = -1; state.sentences = [];
  state.sourceSentences = []; state.taken = []; state.summarySentences = []; state.sentenceEls = []; state.sentenceRows = [];
  state.selectedSentence = -1;
  state.streamed = 0;
  state.userPicked = false;
  els.summary.replaceChildren();
  els.summary.dataset.state = "streaming";
  els.summary.dataset.streamed = "0";
  els.summaryMeta.textContent = "";
  els.groundingNote.hidden = true;
  els.provenance.textContent = "";
}

/** Shows what a result of this mode has: word shading and per-head maps, or taken sentences and the sentence map. */
export function setModeView(mode) {
  const extractive = mode === "extractive";
  state.mode = mode;
  els.copyLegend.hidden = extractive;
  els.extractiveLegend.hidden = !extractive;
  els.attentionLegend.hidden = extractive;
  els.scaleRow.hidden = extractive;
  els.takenLegend.hidden = !extractive;
  els.takenHint.hidden = !extractive;
  els.tokenInspector.hidden = extractive;
  els.sentenceInspector.hidden = !extractive;
  els.inspectorKind.textContent = extractive ? "Selected sentence" : "Selected word";
  els.summary.setAttribute("aria-label", extractive ? "Summary sentences" : "Summary words");
  els.summaryHint.textContent = extractive
    ? "Hover a sentence, or focus it with Tab and move with ← →, to see which source sentence it is and what the selector weighed."
    : "Hover a word, or focus it with Tab and move with ← →, to see what it attended to.";
  els.source.dataset.mode = mode;
  els.viewName.textContent = extractive ? "· sentences taken" : "";
}
