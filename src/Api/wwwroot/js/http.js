// Talking to the API: the API key header, problem+json to a sentence, Server-Sent Events over fetch.
import { els } from "./dom.js";

export function authHeaders(headers) {
  const key = els.apiKey.value.trim();
  return key ? { ...headers, "X-Api-Key": key } : headers;
}

/** Turns a problem+json body (and the Retry-After header) into one readable sentence. */
export function describeProblem(status, problem, retryAfter) {
  problem = problem ?? {};
  const detail = problem.detail || "";
  // Each field's messages, named by the field, unless the detail already says them.
  const fieldErrors = Object.entries(problemFields(problem))
    .map(([k, v]) => [k, [].concat(v).filter((m) => !detail.includes(String(m)))])
    .filter(([, v]) => v.length).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ");
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

/** A problem's per-field errors ({jsonName: [messages]}), or {}. */
export function problemFields(problem) {
  return problem?.errors && typeof problem.errors === "object" && !Array.isArray(problem.errors) ? problem.errors : {};
}

/** The response's problem+json (null when the body is not JSON) and its sentence. */
export async function readProblem(response) {
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON: describe by status */ }
  return { problem, message: describeProblem(response.status, problem, response.headers.get("Retry-After")) };
}

export async function problemFrom(response) {
  return (await readProblem(response)).message;
}

/** Reads an SSE body and calls onEvent(name, data) per event; comments (": keep-alive") are skipped. */
export async function readSse(body, onEvent) {
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
