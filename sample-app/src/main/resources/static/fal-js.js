// The /fal-js.html page: fal's own JS client (@fal-ai/client, bundled from npm into /vendor/fal-client.js by the
// Maven build) talks to fal through this app's proxy, which adds the app's key: the browser never holds one.
const $ = (id) => document.getElementById(id);
const PROXY = "/api/fal/proxy";
// the header this app asks of its own page on every API and proxy call (RequestGuard, SampleProxyPolicy)
const GUARD = { "X-Requested-With": "fal-sample" };
// fal's CDN host, the one the proxy reads files from (the emulator stands in for it in emulator mode)
const CDN = "https://v3.fal.media";

const { fal } = await import("/vendor/fal-client.js").catch(() => ({}));
if (!fal) {
  $("summary").textContent = "fal's JS client is missing (/vendor/fal-client.js): build the app with Node and npm, "
    + "without -Dsample.fal-js.skip";
  throw new Error("no /vendor/fal-client.js");
}
fal.config({
  proxyUrl: PROXY,
  // runs before fal-js's own proxy middleware: the cookies (session, access token) go along as same-origin
  requestMiddleware: async (request) => ({ ...request, headers: { ...(request.headers || {}), ...GUARD } }),
});

let endpoint;
const mode = await fetch("/mode", { headers: GUARD });
if (mode.ok) {
  const m = await mode.json();
  endpoint = m.endpointId;
  $("summary").textContent = m.summary + " · endpoint " + endpoint + " · calls go through " + PROXY;
  $("submit").disabled = false;
} else {
  $("summary").textContent = mode.status === 401
    ? "This app is protected by an access token: enter it on the main page first"
    : "Could not read /mode (HTTP " + mode.status + ")";
}

$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("error").textContent = "";
  $("submit").disabled = true;
  const prompt = $("prompt").value;
  try {
    const { request_id: requestId } = await fal.queue.submit(endpoint, { input: { prompt } });
    follow(requestId, prompt);
  } catch (err) {
    $("error").textContent = "Submit failed: " + describe(err);
  } finally {
    $("submit").disabled = false;
  }
});

/** A card that follows one request: status updates from fal-js, then the result and its image. */
async function follow(requestId, prompt) {
  const card = document.createElement("article");
  card.className = "card";
  card.dataset.requestId = requestId;
  card.innerHTML = `
    <div>
      <h2></h2>
      <div class="meta"></div>
      <div class="state">submitted</div>
      <div><span class="position"></span></div>
      <ol class="events"></ol>
    </div>
    <div class="image">waiting for the image…</div>`;
  card.querySelector("h2").textContent = prompt;
  card.querySelector(".meta").textContent = requestId;
  $("cards").prepend(card);
  const state = card.querySelector(".state");
  const position = card.querySelector(".position");
  const list = card.querySelector(".events");
  const add = (text) => {
    const li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
  };
  let logsShown = 0;
  try {
    await fal.queue.subscribeToStatus(endpoint, {
      requestId, logs: true, mode: "streaming",
      onQueueUpdate: (update) => {
        if (update.status === "IN_QUEUE") {
          state.textContent = "in queue";
          position.textContent = "queue position " + update.queue_position;
        } else {
          state.textContent = update.status === "IN_PROGRESS" ? "generating…" : "completed";
          position.textContent = "";
        }
        // fal-js hands over every log line so far with each update
        (update.logs || []).slice(logsShown).forEach((l) => add("│ " + l.message));
        logsShown = Math.max(logsShown, (update.logs || []).length);
      },
    });
    const result = await fal.queue.result(endpoint, { requestId });
    const url = result.data && result.data.images && result.data.images[0] && result.data.images[0].url;
    const box = card.querySelector(".image");
    if (url) {
      const img = document.createElement("img");
      img.alt = prompt;
      img.src = await throughProxy(url);
      box.replaceChildren(img);
    } else {
      box.textContent = "no image in the output";
    }
    state.textContent = "done";
    state.className = "state done";
  } catch (err) {
    state.textContent = "failed";
    add("failed: " + describe(err));
  }
}

/**
 * The image read through the proxy, as a blob: URL (the page's img-src is 'self'): fal's CDN serves generated files
 * below /files/, the emulator below {its CDN URL}/files/, and the proxy maps fal's CDN host onto either.
 */
async function throughProxy(url) {
  const { pathname, search } = new URL(url);
  const files = pathname.indexOf("/files/");
  if (files < 0) throw new Error("not a file on fal's CDN: " + url);
  const target = CDN + pathname.slice(files) + search;
  const response = await fetch(PROXY, { headers: { ...GUARD, "X-Fal-Target-Url": target } });
  if (!response.ok) throw new Error("image: HTTP " + response.status);
  return URL.createObjectURL(await response.blob());
}

function describe(err) {
  const body = err && err.body;
  const detail = body && (body.detail || body.error);
  return (err && err.status ? "HTTP " + err.status + " " : "") + (typeof detail === "string" ? detail : String(err));
}
