"use strict";
// The sample's page. Served as a file of its own: the Content-Security-Policy allows no inline script.
const $ = (id) => document.getElementById(id);
// a header that another web site cannot add to a request without a CORS preflight, which this app never allows
const GUARD = { "X-Requested-With": "fal-sample" };

async function api(url, options = {}) {
  const response = await fetch(url, { ...options, credentials: "same-origin",
    headers: { ...GUARD, ...(options.headers || {}) } });
  if (response.status === 401) $("token-box").classList.remove("hidden");
  return response;
}

async function problem(response) {
  const body = await response.json().catch(() => ({}));
  let text = (body.title || "Error") + ": " + (body.detail || response.status);
  const retry = response.headers.get("Retry-After");
  if (retry) text += " (try again in " + retry + " s)";
  return text;
}

const seconds = (ms) => (ms / 1000).toFixed(1) + " s";

// ------------------------------------------------------------------ access token (sample.access-token)
$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  document.cookie = "sample_token=" + encodeURIComponent($("token").value) + "; path=/; SameSite=Strict";
  $("token-box").classList.add("hidden");
  loadMode();
});

// ------------------------------------------------------------------ mode
function loadMode() {
  api("/mode").then(async (r) => {
    if (!r.ok) { $("summary").textContent = await problem(r); return; }
    const m = await r.json();
    $("mode").textContent = "mode: " + m.mode;
    $("mode").classList.add(m.mode);
    $("summary").textContent = m.summary + " · endpoint " + m.endpointId;
  }).catch(() => { $("summary").textContent = "Could not read /mode"; });
}
loadMode();

// ------------------------------------------------------------------ generations
$("form").addEventListener("submit", async (e) => {
  e.preventDefault();
  $("error").textContent = "";
  const prompt = $("prompt").value;
  $("submit").disabled = true;
  try {
    const response = await api("/generations", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ prompt })
    });
    if (!response.ok) { $("error").textContent = await problem(response); return; }
    const body = await response.json();
    watch(body.requestId, prompt);
  } catch (err) {
    $("error").textContent = "Request failed: " + err;
  } finally {
    $("submit").disabled = false;
  }
});

// ?prompt=... only fills the prompt in (a link must never spend credits); ?watch=<id> follows one of this
// browser's generations
const params = new URLSearchParams(location.search);
if (params.get("prompt")) $("prompt").value = params.get("prompt");
if (params.get("watch")) watch(params.get("watch"), "generation " + params.get("watch"));

function historyEntry(requestId, prompt) {
  const li = document.createElement("li");
  li.dataset.requestId = requestId;
  const what = document.createElement("span");
  what.className = "what";
  what.textContent = prompt;
  const how = document.createElement("span");
  how.className = "how";
  how.textContent = " · running";
  li.append(what, how);
  $("history").prepend(li);
  return (text) => { how.textContent = " · " + text; };
}

/** A card that follows one generation: state, queue position, progress from the logs, elapsed time, image. */
function watch(requestId, prompt) {
  const card = document.createElement("article");
  card.className = "card";
  card.dataset.requestId = requestId;
  card.innerHTML = `
    <div>
      <h2></h2>
      <div class="meta"></div>
      <div class="state">submitting…</div>
      <div><span class="position"></span><span class="elapsed">0.0 s</span></div>
      <progress class="progress" max="100" value="0"></progress>
      <button class="secondary cancel" type="button">Cancel</button>
      <ol class="events"></ol>
    </div>
    <div class="image">waiting for the image…</div>`;
  card.querySelector("h2").textContent = prompt;
  card.querySelector(".meta").textContent = requestId;
  $("cards").prepend(card);
  const history = historyEntry(requestId, prompt);

  const state = card.querySelector(".state");
  const position = card.querySelector(".position");
  const elapsed = card.querySelector(".elapsed");
  const bar = card.querySelector(".progress");
  const list = card.querySelector(".events");
  const cancel = card.querySelector(".cancel");
  const started = Date.now();
  const timer = setInterval(() => { elapsed.textContent = seconds(Date.now() - started); }, 200);
  const add = (text) => {
    const li = document.createElement("li");
    li.textContent = text;
    list.appendChild(li);
    list.scrollTop = list.scrollHeight;
  };
  const progress = (value) => { bar.value = Math.max(bar.value, Math.min(100, value)); };
  // a log line that says "n/m" or "n%" sets the bar; any other line moves it a quarter of the way to 95%
  const fromLog = (message) => {
    const fraction = /(\d+)\s*\/\s*(\d+)/.exec(message);
    const percent = /(\d+(?:\.\d+)?)\s*%/.exec(message);
    if (fraction && Number(fraction[2]) > 0) progress(100 * Number(fraction[1]) / Number(fraction[2]));
    else if (percent) progress(Number(percent[1]));
    else progress(bar.value + (95 - bar.value) / 4);
  };
  let finished = false;
  const finish = (text, cls) => {
    finished = true;
    clearInterval(timer);
    const took = seconds(Date.now() - started);
    elapsed.textContent = took;
    position.textContent = "";
    state.textContent = text;
    state.className = "state " + cls;
    cancel.disabled = true;
    history(text + " after " + took);
    source.close(); // or EventSource would reconnect and replay
  };

  cancel.addEventListener("click", async () => {
    cancel.disabled = true;
    const r = await api("/generations/" + encodeURIComponent(requestId), { method: "DELETE" });
    if (!r.ok) {
      add("cancel failed: " + await problem(r));
      cancel.disabled = false;
    }
  });

  const source = new EventSource("/generations/" + encodeURIComponent(requestId) + "/events");
  const on = (type, handler) => source.addEventListener(type, (e) => handler(JSON.parse(e.data)));
  on("submitted", () => { state.textContent = "submitted"; add("submitted"); });
  on("queued", (e) => {
    state.textContent = "in queue";
    position.textContent = "queue position " + e.position;
    add("queued at position " + e.position);
  });
  on("in-progress", () => {
    state.textContent = "generating…";
    position.textContent = "";
    progress(2);
    add("in progress");
  });
  on("log", (e) => e.logs.forEach((l) => { add("│ " + l.message); fromLog(l.message); }));
  on("completed", (e) => {
    add("completed" + (e.inferenceTime != null ? " in " + e.inferenceTime.toFixed(1) + " s" : "")
        + (e.error ? " with error: " + e.error : ""));
  });
  on("result", (e) => {
    add("result received");
    progress(100);
    const box = card.querySelector(".image");
    if (e.imageUrl) {
      box.innerHTML = "";
      const img = document.createElement("img");
      img.src = e.imageUrl;
      img.alt = prompt;
      box.appendChild(img);
    } else {
      box.textContent = "no image in the output";
    }
    finish("done", "done");
  });
  on("failed", (e) => { add("failed: " + e.error); finish("failed", "failed"); });
  on("cancelled", () => {
    add("cancelled");
    card.querySelector(".image").textContent = "cancelled";
    finish("cancelled", "cancelled");
  });
  source.onerror = () => {
    if (finished) return;
    // EventSource reconnects by itself (sending Last-Event-ID, so nothing is shown twice) unless the server refused
    if (source.readyState === EventSource.CLOSED) {
      add("event stream closed by the server");
      clearInterval(timer);
    } else {
      add("event stream interrupted; reconnecting…");
    }
  };
}

// ------------------------------------------------------------------ image editing
let picked = null;
const pick = (file) => {
  if (!file) return;
  if (!file.type.startsWith("image/")) { $("edit-error").textContent = file.name + " is not an image"; return; }
  picked = file;
  $("edit-error").textContent = "";
  $("drop").firstChild.textContent = file.name + " (" + Math.round(file.size / 1024) + " KB) · drop or click to change ";
  $("edit-submit").disabled = false;
};
$("file").addEventListener("change", () => pick($("file").files[0]));
["dragenter", "dragover"].forEach((t) => $("drop").addEventListener(t, (e) => {
  e.preventDefault(); $("drop").classList.add("over");
}));
["dragleave", "drop"].forEach((t) => $("drop").addEventListener(t, (e) => {
  e.preventDefault(); $("drop").classList.remove("over");
}));
$("drop").addEventListener("drop", (e) => pick(e.dataTransfer.files[0]));
$("edit-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  if (!picked) return;
  $("edit-error").textContent = "";
  $("edit-submit").disabled = true;
  $("edit").textContent = "uploading and editing…";
  const form = new FormData();
  form.append("image", picked, picked.name);
  form.append("prompt", $("edit-prompt").value);
  try {
    const response = await api("/edits", { method: "POST", body: form });
    if (!response.ok) {
      $("edit").textContent = "";
      $("edit-error").textContent = await problem(response);
      return;
    }
    const body = await response.json();
    $("edit").innerHTML = "";
    $("edit").append(figure(body.uploadedImage, "uploaded to " + body.uploadedUrl),
      figure(body.outputImage, body.endpointId + "'s output"));
  } catch (err) {
    $("edit-error").textContent = "Request failed: " + err;
  } finally {
    $("edit-submit").disabled = false;
  }
});
function figure(url, caption) {
  const f = document.createElement("figure");
  if (url) { const img = document.createElement("img"); img.src = url; img.alt = caption; f.appendChild(img); }
  const c = document.createElement("figcaption"); c.textContent = caption; f.appendChild(c);
  return f;
}

// ------------------------------------------------------------------ streaming demo (POST, read with fetch)
(() => {
  let controller = null;
  const stop = (text) => {
    if (controller) { controller.abort(); controller = null; } // closing the response stops the stream on fal too
    $("stream-submit").disabled = false;
    $("stream-stop").disabled = true;
    if (text) $("stream-state").textContent = text;
  };
  $("stream-stop").addEventListener("click", () => stop("stopped"));
  $("stream-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    stop();
    const prompt = $("stream-prompt").value.trim();
    if (!prompt) { $("stream-state").textContent = "Type a prompt first"; return; }
    let events = 0;
    const output = $("stream-output");
    output.textContent = "";
    output.classList.remove("final");
    $("stream-state").textContent = "streaming…";
    $("stream-submit").disabled = true;
    $("stream-stop").disabled = false;
    const mine = controller = new AbortController();
    const handle = (type, data) => {
      if (type === "partial") {
        events++;
        output.textContent = typeof data.output === "string" ? data.output : JSON.stringify(data, null, 2);
        $("stream-state").textContent = "streaming… " + events + " event" + (events === 1 ? "" : "s");
      } else if (type === "done") {
        output.classList.add("final");
        stop("done: " + events + " events, the last one is the final output");
      } else if (type === "failed") {
        stop("failed after " + events + " events: " + data.message);
      }
    };
    try {
      const response = await api("/streams", { method: "POST", signal: mine.signal,
        headers: { "Content-Type": "application/json", "Accept": "text/event-stream" }, body: JSON.stringify({ prompt }) });
      if (!response.ok) { stop(await problem(response)); return; }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
          let type = "message";
          const data = [];
          block.split(/\r?\n/).forEach((line) => {
            if (line.startsWith("event:")) type = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          });
          if (data.length) handle(type, JSON.parse(data.join("\n")));
        }
      }
      if (controller === mine) stop(events ? "stream ended" : "could not start the stream");
    } catch (err) {
      if (controller === mine) stop(events ? "stream interrupted" : "could not start the stream");
    }
  });
})();
