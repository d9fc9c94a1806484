// Summarizer page: streams a summary from POST /summarize/stream and shows, for the selected summary word,
// which source words the decoder's cross-attention weighed. Plain browser JavaScript modules, no dependencies.
import { SAMPLE_ARTICLE } from "./js/sample.js";
import { els, state, setStatus, showError } from "./js/dom.js";
import { ATTN_STOPS, COPY_STOPS, gradient } from "./js/colours.js";
import { authHeaders, describeProblem, problemFrom, readSse } from "./js/http.js";
import { loadInfo, updateCharCount, readInt, readNumber, syncGrounded } from "./js/options.js";
import { beginResult, addStreamedToken, showFinal } from "./js/result.js";
import { select, highlight, renderGrid, setView } from "./js/inspector.js";

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
             noRepeatNgramSize: els.grounded.checked ? undefined : readInt(els.ngram, "No-repeat n-gram size"), grounded: els.grounded.checked, attention: "full" };
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

// ---------- events ----------

els.form.addEventListener("submit", summarize);
els.cancel.addEventListener("click", () => state.controller?.abort());
els.text.addEventListener("input", updateCharCount);
els.grounded.addEventListener("change", syncGrounded);
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

document.querySelector(".attn-bar").style.background = gradient(ATTN_STOPS);
document.querySelector(".copy-bar").style.background = gradient(COPY_STOPS);
els.text.value = SAMPLE_ARTICLE;
renderGrid(-1);
loadInfo();
