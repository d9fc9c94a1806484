// Summarizer page: streams a summary from POST /summarize/stream and shows, for the selected summary word,
// which source words the decoder's cross-attention weighed — or, in extractive mode, which source sentences were taken
// and the selector's sentence-level attention. Plain browser JavaScript modules, no dependencies.
import { SAMPLE_ARTICLE } from "./js/sample.js";
import { els, state, setStatus, showError, fieldFor } from "./js/dom.js";
import { ATTN_STOPS, COPY_STOPS, gradient } from "./js/colours.js";
import { authHeaders, describeProblem, problemFields, readProblem, readSse } from "./js/http.js";
import { loadInfo, updateCharCount, readInt, readNumber, syncOptions, chosenMode } from "./js/options.js";
import { beginResult, addStreamedToken, showFinal } from "./js/result.js";
import { select, highlight, renderGrid, setView } from "./js/inspector.js";
import { beginExtractive, addStreamedSentence, showExtractive, selectSentence } from "./js/extractive.js";

/** The request body the form describes: each mode sends only the options it takes (the API refuses the others). */
function requestBody(text) {
  if (chosenMode() === "extractive") {
    return { text, mode: "extractive", sentenceCount: readInt(els.sentenceCount, "Sentences taken"),
             sentenceOrder: els.order.value || undefined, attention: "aggregate" };
  }
  return { text, mode: "abstractive", numBeams: readInt(els.beams, "Beams"), maxLength: readInt(els.max, "Max length"),
           minLength: readInt(els.min, "Min length"), lengthPenalty: readNumber(els.penalty, "Length penalty"),
           noRepeatNgramSize: els.grounded.checked ? undefined : readInt(els.ngram, "No-repeat n-gram size"), grounded: els.grounded.checked,
           selectSentences: els.select.disabled ? undefined : readInt(els.select, "Decoder reads the K selected sentences"),
           copySalience: els.salience.disabled ? undefined : readNumber(els.salience, "Copy salience (bottom-up attention)"),
           attention: "full" };
}

/** Marks the fields a problem names (aria-invalid), says their labels, and moves focus to the first. */
function markFields(problem) {
  const inputs = Object.keys(problemFields(problem)).map(fieldFor).filter(Boolean);
  for (const input of inputs) input.setAttribute("aria-invalid", "true");
  const first = inputs[0];
  if (!first) return "";
  if (els.advanced.contains(first)) els.advanced.open = true;
  if (!first.disabled) first.focus();
  const labels = inputs.map((input) => document.querySelector(`label[for="${input.id}"]`)?.textContent.replace(/\s+/g, " ").trim()).filter(Boolean);
  return labels.length ? ` Check ${labels.map((l) => `“${l}”`).join(", ")}.` : "";
}

function clearFieldMarks() {
  for (const input of els.form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

async function summarize(event) {
  event.preventDefault();
  showError("");
  clearFieldMarks();
  const text = els.text.value;
  if (!text.trim()) {
    showError("Please enter some text to summarize: the article box is empty.");
    els.text.focus();
    return;
  }
  let body;
  try {
    body = requestBody(text);
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
      const { problem, message } = await readProblem(response);
      showError(message + (response.status === 400 ? markFields(problem) : ""));
      setStatus("Failed.");
      if (response.status === 401) { els.advanced.open = true; els.apiKey.focus(); }
      return;
    }
    await readSse(response.body, (name, data) => {
      const payload = JSON.parse(data);
      const extractive = payload.mode === "extractive";
      if (name === "start") (extractive ? beginExtractive : beginResult)(text, payload);
      else if (name === "token") addStreamedToken(payload);
      else if (name === "sentence") addStreamedSentence(payload);
      else if (name === "done") { finished = true; (extractive ? showExtractive : showFinal)(text, payload, performance.now() - started); }
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

// ---------- events ----------

els.form.addEventListener("submit", summarize);
els.cancel.addEventListener("click", () => state.controller?.abort());
els.text.addEventListener("input", updateCharCount);
els.grounded.addEventListener("change", syncOptions);
els.modeAbstractive.addEventListener("change", syncOptions);
els.modeExtractive.addEventListener("change", syncOptions);
els.view.addEventListener("change", () => setView(els.view.value));
els.scale.addEventListener("change", () => { state.scale = els.scale.value; if (state.selected >= 0) highlight(); });

// The summary's items are words (abstractive) or sentences (extractive); the same hover, focus, click and keys pick them.
const extractiveShown = () => state.mode === "extractive";
const pick = (i, focus) => (extractiveShown() ? selectSentence(i, focus) : select(i, focus));
const picked = () => (extractiveShown() ? state.selectedSentence : state.selected);
const itemIndexOf = (target) => {
  const el = target.closest?.(extractiveShown() ? "[data-testid='summary-sentence']" : "[data-testid='summary-token']");
  return el && els.summary.contains(el) ? Number(el.dataset.index) : -1;
};
els.summary.addEventListener("mouseover", (e) => {
  const i = itemIndexOf(e.target);
  if (i >= 0 && i !== picked()) { state.userPicked = true; pick(i, false); }
});
els.summary.addEventListener("focusin", (e) => {
  const i = itemIndexOf(e.target);
  if (i >= 0 && i !== picked()) { state.userPicked = true; pick(i, false); }
});
els.summary.addEventListener("click", (e) => {
  const i = itemIndexOf(e.target);
  if (i >= 0) { state.userPicked = true; pick(i, true); }
});
els.summary.addEventListener("keydown", (e) => {
  const i = itemIndexOf(e.target);
  if (i < 0) return;
  const last = (extractiveShown() ? state.sentenceEls : state.tokenEls).length - 1;
  const next = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: last }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  state.userPicked = true;
  pick(Math.min(last, Math.max(0, next)), true);
});

document.querySelector(".attn-bar").style.background = gradient(ATTN_STOPS);
document.querySelector(".copy-bar").style.background = gradient(COPY_STOPS);
els.text.value = SAMPLE_ARTICLE;
renderGrid(-1);
syncOptions();
loadInfo();
