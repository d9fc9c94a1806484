// Colour scales of the heatmap (attention) and of the copy gate.

// Sequential scale for attention: cream → amber → burnt orange → dark brown (light to dark, readable text on top).
export const ATTN_STOPS = [[255, 251, 235], [253, 230, 138], [245, 158, 11], [194, 65, 12], [124, 45, 18]];
// Diverging scale for the copy gate: violet (generated) → white → teal (copied).
export const COPY_STOPS = [[196, 181, 253], [248, 248, 250], [94, 234, 212]];

export function interpolate(stops, t) {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}
export const attentionColour = (t) => interpolate(ATTN_STOPS, t);
export const copyColour = (p) => interpolate(COPY_STOPS, p);
export const gradient = (stops) => `linear-gradient(to right, ${stops.map((_, i) => interpolate(stops, i / (stops.length - 1))).join(", ")})`;
