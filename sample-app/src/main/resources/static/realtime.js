"use strict";
// The /realtime.html page: prompts go over a WebSocket to this app (/realtime/ws), which relays them to fal's realtime
// API with the app's key and sends each output back. Served as a file of its own: the CSP allows no inline script.
const $ = (id) => document.getElementById(id);
const GUARD = { "X-Requested-With": "fal-sample" };
const SEND_EVERY_MS = 100;        // a light throttle: the latest text at most this often
const RECONNECTS = 5;             // after a lost connection, then the page gives up until the next keystroke

let socket = null;                // the open (or opening) socket
let live = false;                 // the app said "ready"
let text = "";                    // what the input says now
let sentText = null;              // what was sent last
let lastSend = 0;
let sendTimer = null;
let reconnectTimer = null;
let attempts = 0;
let outputs = 0;
let shown = 0;                    // the number of the output on screen (an older image that loads late is dropped)

function setState(state, label) {
  const el = $("state");
  el.dataset.state = state;
  el.className = "mode rt-" + state;
  el.textContent = label || state;
}

fetch("/mode", { headers: GUARD, credentials: "same-origin" }).then(async (r) => {
  if (r.status === 401) {
    $("summary").textContent = "This app is protected by an access token: enter it on the main page first";
    return;
  }
  const m = await r.json();
  $("summary").textContent = m.summary;
}).catch(() => { $("summary").textContent = "Could not read /mode"; });

$("form").addEventListener("submit", (e) => e.preventDefault());
$("prompt").addEventListener("input", () => {
  text = $("prompt").value;
  schedule();
});

// leaving the page closes the socket at once (the app then closes the fal connection) instead of whenever the
// browser gets round to it; a page restored from the back/forward cache connects again at the next keystroke
window.addEventListener("pagehide", () => {
  clearTimeout(reconnectTimer);
  reconnectTimer = null;
  attempts = 0;
  if (socket) {
    const ws = socket;
    socket = null;
    live = false;
    ws.close(1000, "page closed");
  }
  setState("idle", "not connected · type to connect");
});

/** Sends the current text now or a little later (throttled); connects first when no socket is open. */
function schedule() {
  if (!socket) {
    if (!reconnectTimer && text.trim()) connect();
    return;                       // "ready" sends it
  }
  if (!live || sendTimer) return;
  const wait = lastSend + SEND_EVERY_MS - Date.now();
  if (wait > 0) {
    sendTimer = setTimeout(() => { sendTimer = null; schedule(); }, wait);
    return;
  }
  if (text === sentText || !text.trim()) return;
  socket.send(JSON.stringify({ prompt: text }));
  sentText = text;
  lastSend = Date.now();
}

function connect() {
  reconnectTimer = null;
  setState(attempts ? "reconnecting" : "connecting", attempts ? "reconnecting…" : "connecting…");
  $("error").textContent = "";
  const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/realtime/ws");
  socket = ws;
  live = false;
  sentText = null;
  let failed = false;
  ws.addEventListener("message", (e) => {
    const m = JSON.parse(e.data);
    if (m.type === "ready") {
      live = true;
      attempts = 0;
      setState("live", "live");
      $("summary").dataset.endpoint = m.endpointId;
      $("summary").textContent = "Realtime endpoint " + m.endpointId + " · through this app's /realtime/ws";
      schedule();
    } else if (m.type === "output") {
      show(m);
    } else if (m.type === "error") {
      failed = true;
      setState("error", "error");
      $("error").textContent = m.message;
    }
  });
  ws.addEventListener("close", (e) => {
    if (socket !== ws) return;
    socket = null;
    live = false;
    clearTimeout(sendTimer);
    sendTimer = null;
    if (failed) return;           // the error stays shown; the next keystroke connects again
    if (e.code === 1000) {        // the app closed an idle page, or the session ended normally
      setState("idle", "not connected · type to connect");
      return;
    }
    if (attempts < RECONNECTS) {
      attempts++;
      setState("reconnecting", "reconnecting…");
      reconnectTimer = setTimeout(connect, 500 * 2 ** attempts);
    } else {
      attempts = 0;
      setState("error", "error");
      $("error").textContent = "The connection to the app was lost (" + e.code + "); type to try again";
    }
  });
}

/** One output: its image (once loaded, so that image and text change together), the prompt, seed and latency. */
function show(m) {
  const n = ++outputs;
  const out = m.output || {};
  const image = (out.images && out.images[0]) || out.image;
  const update = (img) => {
    if (n < shown) return;
    shown = n;
    if (img) $("image").replaceChildren(img);
    $("answered").textContent = m.prompt || "";
    $("seed").textContent = out.seed !== undefined ? "seed " + out.seed : "";
    $("latency").textContent = m.latencyMs !== undefined ? m.latencyMs + " ms" : "";
    $("count").textContent = "output " + n;
  };
  if (!image || !image.url) { update(null); return; }
  const img = new Image();
  img.alt = m.prompt || "output";
  img.addEventListener("load", () => update(img));
  img.addEventListener("error", () => update(null));
  img.src = image.url;
}
