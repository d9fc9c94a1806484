// Decoding options: defaults and ranges from GET /info, the character count, and reading the form.
import { els, state, decodingFields } from "./dom.js";
import { authHeaders } from "./http.js";

export function setIfNumber(input, value) {
  if (typeof value === "number" && Number.isFinite(value)) input.value = String(value);
}

/** An option's default and range from GET /info (optionRanges: {min, max, default} by JSON name). */
export function optionInfo(info, name) {
  const range = info.optionRanges?.[name] ?? {};
  return { value: range.default ?? info.defaults?.[name], min: range.min, max: range.max };
}

export function applyOption(input, option) {
  setIfNumber(input, option.value);
  if (typeof option.min === "number") input.min = String(option.min);
  if (typeof option.max === "number") input.max = String(option.max);
}

export async function loadInfo(attempt = 0) {
  // Empty fields are left out of the request, so the server's defaults apply unless /info tells us them.
  for (const input of [els.beams, els.max, els.min, els.penalty, els.ngram, els.select, els.salience, els.sentenceCount]) input.placeholder = "model default";
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
    const model = info.model ?? {};
    const config = model.config ?? {};
    applyOption(els.beams, optionInfo(info, "numBeams"));
    applyOption(els.max, optionInfo(info, "maxLength"));
    applyOption(els.min, optionInfo(info, "minLength"));
    applyOption(els.penalty, optionInfo(info, "lengthPenalty"));
    applyOption(els.ngram, optionInfo(info, "noRepeatNgramSize"));
    const grounded = optionInfo(info, "grounded").value;
    if (typeof grounded === "boolean") els.grounded.checked = grounded;
    applyModes(info);
    syncOptions();
    state.maxTextChars = info.limits?.maxTextChars ?? null;
    if (info.limits?.apiKeyRequired && !els.apiKey.value) els.advanced.open = true;
    const parts = [];
    if (model.name) parts.push(`Model ${model.name}`);
    if (model.parameters) parts.push(`${(model.parameters / 1e6).toFixed(model.parameters < 1e7 ? 2 : 1)} M parameters`);
    if (config.decoderLayers && config.headCount) parts.push(`${config.decoderLayers} decoder layers × ${config.headCount} heads`);
    if (config.maxSourceLength) parts.push(`reads up to ${config.maxSourceLength} tokens`);
    els.modelInfo.textContent = parts.length ? parts.join(" · ") : "Model info unavailable.";
  } catch {
    els.modelInfo.textContent = "Model info unavailable; using built-in defaults.";
  }
  updateCharCount();
}

export function updateCharCount() {
  const n = els.text.value.length;
  els.charCount.textContent = state.maxTextChars
    ? `${n.toLocaleString()} of ${Number(state.maxTextChars).toLocaleString()} characters`
    : `${n.toLocaleString()} characters`;
  els.charCount.classList.toggle("over", !!state.maxTextChars && n > state.maxTextChars);
}

export function readInt(input, name) {
  if (input.value.trim() === "") return undefined;
  const v = Number(input.value);
  if (!Number.isInteger(v)) throw new Error(`${name} must be a whole number.`);
  return v;
}

export function readNumber(input, name) {
  if (input.value.trim() === "") return undefined;
  const v = Number(input.value);
  if (!Number.isFinite(v)) throw new Error(`${name} must be a number.`);
  return v;
}

/** The mode chosen in the form (not necessarily the shown result's). */
export const chosenMode = () => (els.modeExtractive.checked && !els.modeExtractive.disabled ? "extractive" : "abstractive");

/**
 * What /info says of the modes: extractive only with a sentence selector; its defaults and ranges; the K-sentences and
 * copy-salience fields, which need the selector too.
 */
export function applyModes(info) {
  const modes = Array.isArray(info.modes) ? info.modes : ["abstractive"];
  const extractive = modes.includes("extractive");
  els.modeExtractive.disabled = !extractive;
  els.modeExtractiveChoice.hidden = !extractive;
  if (!extractive) els.modeAbstractive.checked = true;
  els.modeHint.textContent = extractive
    ? "Extractive mode uses the model's sentence selector: the summary is the text's highest-scoring sentences, as written."
    : "This model has no sentence selector, so it only writes abstractive summaries.";
  const defaults = info.extractiveDefaults ?? {};
  const count = optionInfo(info, "sentenceCount");
  applyOption(els.sentenceCount, { ...count, value: defaults.sentenceCount ?? count.value });
  if (Array.isArray(info.sentenceOrderValues)) {
    for (const option of els.order.options) option.hidden = option.disabled = !info.sentenceOrderValues.includes(option.value);
  }
  if (typeof defaults.sentenceOrder === "string") els.order.value = defaults.sentenceOrder;
  const select = optionInfo(info, "selectSentences");
  applyOption(els.select, select);
  state.selectorless = select.max === 0 || !extractive;
  if (state.selectorless) {
    els.selectHint.textContent = "K selected sentences: needs a model with a sentence selector; this one reads the whole text.";
  }
  const salience = optionInfo(info, "copySalience");
  applyOption(els.salience, salience);
  // A server whose /info has no copySalience range would refuse the field as unknown, so it counts as unusable too.
  state.salienceless = !extractive || !(salience.max > 0);
  if (state.salienceless) {
    els.salienceHint.textContent = "Copy salience: needs a model with a sentence selector to weigh the sentences by; this one cannot use it.";
  }
}

/**
 * Enables what the chosen mode takes: extractive mode refuses every decoding option (so they are disabled and not
 * sent) and takes the sentence count and order; grounding blocks repeats by words, so the piece n-gram field is off
 * while it is checked; the K-sentences and copy-salience fields need a sentence selector.
 */
export function syncOptions() {
  const extractive = chosenMode() === "extractive";
  for (const [input] of decodingFields()) input.disabled = extractive;
  if (!extractive) {
    els.ngram.disabled = els.grounded.checked;
    els.select.disabled = !!state.selectorless;
    els.salience.disabled = !!state.salienceless;
  }
  els.view.disabled = extractive;
  els.extractiveOptions.hidden = !extractive;
  els.extractiveOptions.disabled = !extractive;
  els.decodingNote.textContent = extractive ? "(abstractive mode only: extractive mode does not decode)" : "(abstractive mode)";
}
