#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Protocol-faithful fake image providers for Storyreel's net tests.

One process serves, on 127.0.0.1 only, the shapes that shared/REFERENCE.md describes:
Google Gemini (generateContent), Google Veo on Vertex AI (predictLongRunning,
fetchPredictOperation with the clip inline, publishers.models.get, OAuth bearer token),
OpenAI Images (generations, multipart edits) and ComfyUI (prompt, history, view, upload,
queue, interrupt, system_stats, also under /api). Requests that do not follow the protocol are
rejected the way the real service rejects them (wrong or missing key, missing or unknown field,
malformed multipart). Real PNG, JPEG and MP4 bytes come back.

With --tls DIR (cert.pem, key.pem) it speaks HTTPS and logs the name each client sent in
its TLS hello under "sni".

Control (no key needed), used by the tests:
  POST /_control/fault   {"fault": NAME, "path": SUBSTRING, "times": N, ...}  misbehave next time
  POST /_control/config  {"latency": s, "comfy_duration": s, "comfy_busy": n, "veo_polls": n,
                          "same_picture": true}
  POST /_control/reset   forget faults, log and jobs
  POST /_control/foreign {"duration": s}   queue someone else's prompt (another client)
  POST /_control/forget  forget every prompt, as a restarted ComfyUI does
  GET  /_control/log     {"requests": [...], "connections": n}

ComfyUI's SaveVideo (config "comfy_video": the path of the clip to serve as its output).

ComfyUI's /ws (config "comfy_ws": true; otherwise it answers 400 like a server without it):
the RFC 6455 handshake, then for each prompt of the connection's clientId, as it renders:
execution_start, executing, "comfy_steps" progress messages (the first one fragmented in
three frames with a ping between them), a binary preview (PNG of "comfy_preview_size") after
the second step, executed, execution_success and executing null; execution_interrupted for an
interrupted one. What the client sends is checked (every frame masked) and logged under
"websockets" in /_control/log.

Faults: rate-limit (with "wait_form": retry-after | retry-after-date | retry-after-ms |
retry-delay | none, and "wait" seconds), server-error, should-not-retry, slow ("delay" s), reset,
close, truncated-base64, invalid-json, no-image, safety, safety-finish, insufficient-quota,
oversize ("size" bytes, "chunked"), redirect ("location"), execution-error, operation-error,
veo-rai-filtered, veo-gcs (Veo's answer names a Cloud Storage clip instead of the bytes).

The process prints "PORT <n>" on stdout when it listens, and exits when stdin closes.
"""

import argparse
import base64
import binascii
import hashlib
import email.utils
import http.server
import json
import os
import re
import select
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

# The catalogue of December 2026. Retired ids (gemini-2.5-flash-image, the -preview ids,
# gpt-image-1, veo-3.0-*) answer 404 like any unknown model. Veo is on Vertex AI only: the
# Gemini API (/v1beta) answers 404 for it.
GEMINI_MODELS = {"gemini-3-pro-image", "gemini-3.1-flash-image", "gemini-3.1-flash-lite-image",
                 "gemini-nano-banana-2.1"}
GEMINI_TEXT_MODELS = ["gemini-3.5-flash", "gemini-3.1-pro-preview", "gemini-3.1-flash-lite",
                      "text-embedding-005"]
# Models with 14 references and imageSize (all 3.x image models).
GEMINI_PRO = GEMINI_MODELS
GEMINI_RATIOS = {
    # The sizes Gemini returns at 1K for each aspect ratio.
    "1:1": (1024, 1024), "2:3": (832, 1248), "3:2": (1248, 832), "3:4": (864, 1184),
    "4:3": (1184, 864), "4:5": (896, 1152), "5:4": (1152, 896), "9:16": (768, 1344),
    "16:9": (1344, 768), "21:9": (1536, 672),
}
GEMINI_SIZES = {"1K": 1, "2K": 2, "4K": 4}
GEMINI_FINISH_BLOCKS = ["IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "NO_IMAGE",
                        "IMAGE_RECITATION", "IMAGE_OTHER", "SAFETY"]
VEO_MODELS = {"veo-3.1-generate-001", "veo-3.1-fast-generate-001", "veo-3.1-lite-generate-001"}
# The Google Cloud project the fake's access token may use (another gets 403).
VERTEX_PROJECT = "storyreel-test"
VEO_PARAMETERS = {"aspectRatio", "resolution", "durationSeconds", "negativePrompt",
                  "personGeneration", "seed", "sampleCount", "storageUri", "generateAudio",
                  "enhancePrompt", "compressionQuality", "resizeMode"}
OPENAI_MODELS = {"gpt-image-2", "gpt-image-2.5-flare", "gpt-image-2.5-sunburst",
                 "gpt-image-2.6-flare", "gpt-image-2.6-sunburst"}
OPENAI_OTHER_MODELS = ["gpt-6.1-sol", "gpt-6.1-terra", "whisper-1", "text-embedding-3-large"]
OPENAI_SIZES = {"1024x1024", "1536x1024", "1024x1536", "auto"}
OPENAI_QUALITIES = {"low", "medium", "high", "auto"}
OPENAI_FORMATS = {"png", "jpeg", "webp"}
OPENAI_GENERATION_FIELDS = {"model", "prompt", "n", "size", "quality", "output_format",
                            "background", "moderation", "output_compression", "user",
                            "response_format", "style", "partial_images", "stream"}
OPENAI_EDIT_FIELDS = {"model", "prompt", "n", "size", "quality", "output_format", "background",
                      "input_fidelity", "user", "response_format", "output_compression",
                      "partial_images", "stream"}
WAN_IMAGE_MODELS = {"wan2.6-t2i", "wan2.5-t2i-preview", "wan2.2-t2i-plus", "wan2.2-t2i-flash"}
WAN_VIDEO_MODELS = {"wan2.6-i2v", "wan2.6-i2v-flash", "wan2.2-i2v-plus"}
SEEDREAM_MODELS = {"seedream-4-0-250828", "seedream-4-5-251128", "seedream-5-0-260128",
                   "doubao-seedream-4-0-250828", "doubao-seedream-4-5-251128",
                   "doubao-seedream-5-0-260128"}
SEEDREAM_FIELDS = {"model", "prompt", "image", "size", "seed", "sequential_image_generation",
                   "sequential_image_generation_options", "response_format", "watermark",
                   "stream", "guidance_scale", "optimize_prompt_options"}
COMFY_CLASSES = {
    "CheckpointLoaderSimple": [], "CLIPTextEncode": ["text", "clip"],
    "EmptyLatentImage": ["width", "height", "batch_size"],
    "KSampler": ["model", "seed", "steps", "cfg", "sampler_name", "scheduler", "positive",
                 "negative", "latent_image", "denoise"],
    "VAEDecode": ["samples", "vae"], "VAEEncode": ["pixels", "vae"],
    "SaveImage": ["images", "filename_prefix"], "PreviewImage": ["images"],
    "LoadImage": ["image"], "ImageScale": ["image", "upscale_method", "width", "height", "crop"],
    "EmptyImage": ["width", "height", "batch_size", "color"],
    "ControlNetLoader": ["control_net_name"],
    "ControlNetApplyAdvanced": ["positive", "negative", "control_net", "image", "strength",
                                "start_percent", "end_percent", "vae"],
    # Wan 2.2 image to video, saved by core SaveVideo.
    "UNETLoader": ["unet_name", "weight_dtype"], "CLIPLoader": ["clip_name", "type", "device"],
    "VAELoader": ["vae_name"], "ModelSamplingSD3": ["model", "shift"],
    "WanImageToVideo": ["positive", "negative", "vae", "start_image", "width", "height",
                        "length", "batch_size"],
    "KSamplerAdvanced": ["model", "add_noise", "noise_seed", "steps", "cfg", "sampler_name",
                         "scheduler", "positive", "negative", "latent_image", "start_at_step",
                         "end_at_step", "return_with_leftover_noise"],
    "CreateVideo": ["images", "fps"], "SaveVideo": ["video", "filename_prefix", "format", "codec"],
}
COMFY_INT_INPUTS = {"seed", "steps", "width", "height", "batch_size", "color", "length",
                    "noise_seed", "start_at_step", "end_at_step"}
COMFY_FLOAT_INPUTS = {"cfg", "denoise", "strength", "start_percent", "end_percent"}
COMFY_OUTPUT_CLASSES = {"SaveImage", "PreviewImage", "SaveVideo"}


def next_variation():
    """Like a real model, two calls with the same prompt do not give the same picture, unless
    config "same_picture" asks for a service that answers alike (the same bytes every time)."""
    with STATE.lock:
        if STATE.config.get("same_picture"):
            return 0
        STATE.images_made += 1
        return STATE.images_made


def png_bytes(width, height, seed=0):
    """A real PNG: a sky-to-ground gradient with a block whose place depends on the seed."""
    width = max(1, min(int(width), 4096))
    height = max(1, min(int(height), 4096))
    r0, g0, b0 = (seed * 37) % 200 + 30, (seed * 59) % 200 + 30, (seed * 83) % 200 + 30
    block_x = (seed * 131) % max(1, width // 2)
    block_w = max(1, width // 4)
    raw = bytearray()
    for y in range(height):
        t = y / max(1, height - 1)
        color = bytes((int(r0 * (1 - t) + 60 * t), int(g0 * (1 - t) + 60 * t),
                       int(b0 * (1 - t) + 60 * t)))
        row = bytearray(color * width)
        if height // 2 <= y < height // 2 + height // 4:
            row[block_x * 3:(block_x + block_w) * 3] = b"\x50\x50\x50" * block_w
        raw += b"\x00" + row

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 6))
            + chunk(b"IEND", b""))


def png_text_chunk(keyword, text):
    body = b"tEXt" + keyword + b"\0" + text
    return struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))


def png_size(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", data[16:24])


def read_fixture(name):
    with open(os.path.join(HERE, "data", name), "rb") as f:
        return f.read()


def image_magic_ok(data, mime):
    if mime == "image/png":
        return data[:8] == b"\x89PNG\r\n\x1a\n"
    if mime == "image/jpeg":
        return data[:3] == b"\xff\xd8\xff"
    if mime == "image/webp":
        return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return False


def strict_b64decode(text):
    if not isinstance(text, str):
        raise ValueError("not a string")
    return base64.b64decode(text.encode("ascii"), validate=True)


def parse_multipart(content_type, body):
    """A strict multipart/form-data parser: any deviation raises ValueError."""
    match = re.match(r'multipart/form-data;\s*boundary="?([^";]+)"?', content_type or "")
    if not match:
        raise ValueError("not multipart/form-data with a boundary")
    delimiter = b"--" + match.group(1).encode()
    if not body.startswith(delimiter):
        raise ValueError("body does not start with the boundary")
    parts = []
    sections = body.split(b"\r\n" + delimiter)
    first = sections[0][len(delimiter):]
    sections = [first] + sections[1:]
    if not sections[-1].startswith(b"--"):
        raise ValueError("no closing boundary")
    for section in sections[:-1]:
        if not section.startswith(b"\r\n"):
            raise ValueError("boundary not followed by CRLF")
        head, sep, content = section[2:].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("part without a blank line after its headers")
        headers = {}
        for line in head.split(b"\r\n"):
            name, colon, value = line.decode("utf-8").partition(":")
            if not colon:
                raise ValueError("bad part header")
            headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        if not disposition.startswith("form-data"):
            raise ValueError("part without Content-Disposition: form-data")
        name = re.search(r'\bname="([^"]*)"', disposition)
        if not name:
            raise ValueError("part without a name")
        filename = re.search(r'\bfilename="([^"]*)"', disposition)
        parts.append({
            "name": name.group(1),
            "filename": filename.group(1) if filename else None,
            "content_type": headers.get("content-type"),
            "data": content,
        })
    return parts


def summarize(value):
    """The request body as the log keeps it: long base64 strings become their length and
    the SHA-256 of their text, so a test can still check them to the byte."""
    if isinstance(value, dict):
        return {k: summarize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [summarize(v) for v in value]
    if isinstance(value, str) and len(value) > 512:
        return "<%d chars sha256:%s>" % (len(value),
                                          hashlib.sha256(value.encode()).hexdigest())
    return value


class State:
    def __init__(self, key, comfy_key):
        self.lock = threading.Lock()
        self.key = key
        self.comfy_key = comfy_key
        self.reset()

    def reset(self):
        self.faults = []
        self.log = []
        self.connections = 0
        self.config = {"latency": 0.0, "comfy_duration": 0.2, "comfy_busy": 0, "veo_polls": 2,
                       "image_divisor": 4, "jobs_api": False, "comfy_ws": False,
                       "comfy_steps": 4, "comfy_preview_size": [64, 36],
                       # /object_info: the files each loader input offers; "combo" lists
                       # them in the newer ["COMBO", {"options": [...]}] form.
                       "comfy_models": {"CheckpointLoaderSimple": {
                           "ckpt_name": ["sd_xl_base_1.0.safetensors",
                                         "flux1-dev-fp8.safetensors"]}},
                       "comfy_models_combo": False}
        self.prompts = {}
        self.prompt_number = 0
        self.uploads = {}
        self.outputs = {}
        self.operations = {}
        self.interrupts = 0
        self.interrupted_foreign = 0
        self.deleted = 0
        self.jobs_cancelled = 0
        self.images_made = 0
        self.websockets = []
        self.sni = []

    def take_fault(self, path):
        with self.lock:
            for fault in self.faults:
                if fault.get("path", "") in path and fault.get("times", 1) > 0:
                    fault["times"] = fault.get("times", 1) - 1
                    return dict(fault)
        return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeProvider/1.0"

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def setup(self):
        super().setup()
        self.connection_id = None

    def count_connection(self):
        # Control requests do not count: the tests look at the client's connections.
        if self.connection_id is None:
            with STATE.lock:
                STATE.connections += 1
                self.connection_id = STATE.connections

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass

    # Plumbing ---------------------------------------------------------------------------

    def send_bytes(self, status, body, content_type="application/json", headers=None):
        # "latency": the answer leaves that long after the request came, however long it
        # took to make (the work overlaps the wait, as on a real server's GPU).
        deadline = getattr(self, "deadline", None)
        if deadline is not None:
            self.deadline = None
            time.sleep(max(0.0, deadline - time.time()))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, value, headers=None):
        self.send_bytes(status, json.dumps(value).encode(), "application/json", headers)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def record(self, entry):
        entry.update({"method": self.command, "path": self.path,
                      "connection": self.connection_id, "time": time.time(),
                      "headers": sorted(k.lower() for k in self.headers.keys())})
        with STATE.lock:
            STATE.log.append(entry)

    def origin(self):
        return "http://%s" % self.headers.get("Host", "127.0.0.1:%d" % self.server.server_port)

    # Faults ------------------------------------------------------------------------------

    def apply_transport_fault(self, fault, body):
        """Faults that do not depend on the provider. Returns True when the answer is sent."""
        name = fault["fault"]
        if name == "slow":
            time.sleep(fault.get("delay", 5))
            self.send_bytes(200, body)
            return True
        if name == "reset":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return True
        if name == "close":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return True
        if name == "oversize":
            size = fault.get("size", 4 * 1024 * 1024)
            filler = b'{"padding":"' + b"x" * size + b'"}'
            if fault.get("chunked"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for i in range(0, len(filler), 65536):
                        piece = filler[i:i + 65536]
                        self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                except OSError:
                    pass
                self.close_connection = True
            else:
                try:
                    self.send_bytes(200, filler)
                except OSError:
                    self.close_connection = True
            return True
        if name == "redirect":
            self.send_bytes(302, b"", "text/plain", {"Location": fault["location"]})
            return True
        if name == "invalid-json":
            self.send_bytes(200, b'{"candidates": [{"content": {"parts": [{"inlineData": {')
            return True
        return False

    def retry_headers(self, fault):
        form = fault.get("wait_form", "retry-after")
        wait = fault.get("wait", 1)
        if form == "retry-after":
            return {"Retry-After": str(wait)}
        if form == "retry-after-date":
            return {"Retry-After": email.utils.formatdate(time.time() + wait, usegmt=True)}
        if form == "retry-after-ms":
            return {"retry-after-ms": str(int(wait * 1000))}
        return {}

    # Routing -----------------------------------------------------------------------------

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def do_HEAD(self):
        self.route()

    def route(self):
        parsed = urllib.parse.urlsplit(self.path)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query)
        body = self.read_body() if self.command == "POST" else b""
        self.deadline = None
        try:
            if path.startswith("/_control/"):
                return self.control(path, body)
            self.count_connection()
            if path.startswith("/_storage/"):
                return self.storage(path)
            if path.startswith("/v1beta/"):
                return self.google(path, body)
            if path.startswith("/v1/projects/") or path.startswith("/v1/publishers/"):
                return self.vertex(path, body)
            if path.startswith("/v1/images/"):
                return self.openai(path, body)
            if path.startswith("/v1/models/") or path == "/v1/models":
                return self.openai_model(path)
            if path.startswith("/api/v3/"):
                return self.seedream(path, body)
            if path.startswith("/api/v1/"):
                return self.wan(path, body)
            if path.startswith("/api/"):
                path = path[len("/api"):]
            return self.comfy(path, query, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def control(self, path, body):
        if path == "/_control/fault":
            with STATE.lock:
                STATE.faults.append(json.loads(body))
            return self.send_json(200, {})
        if path == "/_control/config":
            with STATE.lock:
                STATE.config.update(json.loads(body))
            return self.send_json(200, {})
        if path == "/_control/reset":
            with STATE.lock:
                STATE.reset()
            return self.send_json(200, {})
        if path == "/_control/log":
            with STATE.lock:
                return self.send_json(200, {"requests": STATE.log,
                                            "connections": STATE.connections,
                                            "interrupts": STATE.interrupts,
                                            "sni": STATE.sni,
                                            "interrupted_foreign": STATE.interrupted_foreign,
                                            "jobs_cancelled": STATE.jobs_cancelled,
                                            "deleted": STATE.deleted,
                                            "websockets": STATE.websockets})
        if path == "/_control/foreign":
            # Someone else's prompt (another client of a shared server), in line like ours.
            request = json.loads(body or b"{}")
            with STATE.lock:
                self.comfy_queue()
                STATE.prompt_number += 1
                busy_until = max([j["finish_at"] for j in STATE.prompts.values()
                                  if not j["done"]] + [time.time()])
                STATE.prompts["foreign-%d" % STATE.prompt_number] = {
                    "number": STATE.prompt_number, "client_id": "someone-else", "workflow": {},
                    "start_at": busy_until,
                    "finish_at": busy_until + request.get("duration", 5.0),
                    "done": False, "interrupted": False, "error": False, "foreign": True,
                    "outputs": {}, "files": {}}
            return self.send_json(200, {})
        if path == "/_control/forget":
            # A restart: every prompt, queued, running or finished, is forgotten.
            with STATE.lock:
                STATE.prompts = {}
            return self.send_json(200, {})
        return self.send_json(404, {})

    # Google: Gemini and Veo --------------------------------------------------------------

    def google_error(self, code, status, message, details=None, headers=None):
        error = {"code": code, "message": message, "status": status}
        if details is not None:
            error["details"] = details
        self.send_json(code, {"error": error}, headers)

    def google_key(self, entry):
        key = self.headers.get("x-goog-api-key")
        if key is None:
            entry["auth"] = "missing"
            self.google_error(403, "PERMISSION_DENIED",
                              "Method doesn't allow unregistered callers (callers without "
                              "established identity). Please use API Key or other form of API "
                              "consumer identity to call this API.")
            return False
        if key != STATE.key:
            entry["auth"] = "wrong"
            self.google_error(400, "INVALID_ARGUMENT",
                              "API key not valid. Please pass a valid API key.",
                              [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                "reason": "API_KEY_INVALID",
                                "domain": "googleapis.com"}])
            return False
        entry["auth"] = "ok"
        return True

    def google(self, path, body):
        entry = {}
        self.record(entry)
        match = re.match(r"^/v1beta/models/([^/:]+):(generateContent|predictLongRunning)$", path)
        if self.command == "POST" and match:
            if not self.google_key(entry):
                return
            fault = STATE.take_fault(path)
            model, method = match.groups()
            try:
                request = json.loads(body)
            except ValueError:
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "Invalid JSON payload received.")
            entry["json"] = summarize(request)
            if method == "generateContent":
                return self.gemini(model, request, fault)
            # The Gemini API's Veo previews were shut down in October 2026.
            return self.google_error(404, "NOT_FOUND", "models/%s is not found for API "
                                     "version v1beta, or is not supported for "
                                     "predictLongRunning." % model)
        match = re.match(r"^/v1beta/files/([^/:]+):download$", path)
        if self.command == "GET" and match:
            # A file's bytes: the API host redirects to storage on another host.
            if not self.google_key(entry):
                return
            fault = STATE.take_fault(path)
            if fault and self.apply_transport_fault(fault, b""):
                return
            location = "http://localhost:%d/_storage/%s.mp4" % (self.server.server_port,
                                                                match.group(1))
            return self.send_bytes(302, b"", "text/plain", {"Location": location})
        if self.command == "GET" and path == "/v1beta/models":
            if not self.google_key(entry):
                return
            return self.google_list_models()
        match = re.match(r"^/v1beta/models/([^/:]+)$", path)
        if self.command == "GET" and match:
            if not self.google_key(entry):
                return
            model = match.group(1)
            if model not in GEMINI_MODELS:
                return self.google_error(404, "NOT_FOUND", "models/%s is not found for API "
                                                           "version v1beta." % model)
            return self.send_json(200, {"name": "models/" + model, "version": "001",
                                        "displayName": model,
                                        "supportedGenerationMethods":
                                            ["generateContent", "countTokens"]})
        return self.google_error(404, "NOT_FOUND", "Requested entity was not found.")

    def google_list_models(self):
        """ListModels, paged: pageSize (default 50) and pageToken (the next index)."""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        entries = []
        for model in sorted(GEMINI_MODELS):
            entries.append((model, ["generateContent", "countTokens"]))
        for model in GEMINI_TEXT_MODELS:
            entries.append((model, ["generateContent", "countTokens", "createCachedContent"]))
        # Small pages, so that a client that ignores nextPageToken misses models.
        size = min(int(query.get("pageSize", ["50"])[0]), 3)
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page = entries[start:start + size]
        answer = {"models": [{"name": "models/" + name, "version": "001", "displayName": name,
                              "supportedGenerationMethods": methods} for name, methods in page]}
        if start + size < len(entries):
            answer["nextPageToken"] = str(start + size)
        self.send_json(200, answer)

    def gemini_error_for_fault(self, fault):
        name = fault["fault"]
        if name == "rate-limit":
            details = []
            if fault.get("wait_form") == "retry-delay":
                details = [{"@type": "type.googleapis.com/google.rpc.RetryInfo",
                            "retryDelay": "%ss" % fault.get("wait", 1)}]
            self.google_error(429, "RESOURCE_EXHAUSTED",
                              "You exceeded your current quota, please check your plan and "
                              "billing details.", details, self.retry_headers(fault))
            return True
        if name == "server-error":
            self.google_error(500, "INTERNAL", "An internal error has occurred. Please retry.")
            return True
        if name == "unavailable":
            self.google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again "
                                                  "later.")
            return True
        return False

    def gemini(self, model, request, fault):
        if model not in GEMINI_MODELS:
            return self.google_error(404, "NOT_FOUND",
                                     "models/%s is not found for API version v1beta, or is not "
                                     "supported for generateContent." % model)
        unknown = set(request) - {"contents", "generationConfig", "safetySettings",
                                  "systemInstruction", "tools", "toolConfig", "cachedContent"}
        if unknown:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     'Invalid JSON payload received. Unknown name "%s": Cannot '
                                     'find field.' % sorted(unknown)[0])
        contents = request.get("contents")
        if not isinstance(contents, list) or not contents:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "* GenerateContentRequest.contents: contents is not "
                                     "specified")
        text = ""
        references = 0
        for content in contents:
            parts = content.get("parts") if isinstance(content, dict) else None
            if not isinstance(parts, list) or not parts:
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "* GenerateContentRequest.contents[0].parts: contents."
                                         "parts must not be empty.")
            if content.get("role", "user") not in ("user", "model"):
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "Please use a valid role: user, model.")
            for part in parts:
                if not isinstance(part, dict) or len(part) != 1:
                    return self.google_error(400, "INVALID_ARGUMENT",
                                             "Invalid JSON payload received. A part must have "
                                             "exactly one of text or inlineData.")
                if "text" in part:
                    if not isinstance(part["text"], str):
                        return self.google_error(400, "INVALID_ARGUMENT",
                                                 "Invalid value at 'contents[0].parts[0].text'")
                    text += part["text"]
                elif "inlineData" in part:
                    inline = part["inlineData"]
                    mime = inline.get("mimeType") if isinstance(inline, dict) else None
                    try:
                        data = strict_b64decode(inline.get("data"))
                    except (ValueError, binascii.Error, AttributeError):
                        return self.google_error(400, "INVALID_ARGUMENT",
                                                 "Invalid value at 'contents[0].parts[1]."
                                                 "inline_data.data' (TYPE_BYTES), Base64 "
                                                 "decoding failed")
                    if mime not in ("image/png", "image/jpeg", "image/webp") \
                            or not image_magic_ok(data, mime):
                        return self.google_error(400, "INVALID_ARGUMENT",
                                                 "Unable to process input image. Please retry "
                                                 "or report in https://developers.generativeai"
                                                 ".google/guide/troubleshooting")
                    references += 1
                else:
                    return self.google_error(400, "INVALID_ARGUMENT",
                                             'Invalid JSON payload received. Unknown name "%s"'
                                             % sorted(part)[0])
        if not text.strip():
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "* GenerateContentRequest.contents: text is empty")
        limit = 14 if model in GEMINI_PRO else 3
        if references > limit:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "Too many input images: at most %d." % limit)
        config = request.get("generationConfig", {})
        modalities = config.get("responseModalities")
        if not isinstance(modalities, list) or "IMAGE" not in modalities \
                or not set(modalities) <= {"TEXT", "IMAGE"}:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "responseModalities must include IMAGE for this model.")
        image_config = config.get("imageConfig", {})
        unknown = set(image_config) - {"aspectRatio", "imageSize"}
        if unknown:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     'Invalid JSON payload received. Unknown name "%s" at '
                                     "'generation_config.image_config'" % sorted(unknown)[0])
        ratio = image_config.get("aspectRatio", "1:1")
        if ratio not in GEMINI_RATIOS:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "Unsupported aspect ratio: %s" % ratio)
        scale = 1
        if "imageSize" in image_config:
            if model not in GEMINI_PRO:
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "imageSize is not supported for this model.")
            if image_config["imageSize"] not in GEMINI_SIZES:
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "Unsupported image size: %s. Use 1K, 2K or 4K."
                                         % image_config["imageSize"])
            scale = GEMINI_SIZES[image_config["imageSize"]]

        self.deadline = time.time() + STATE.config["latency"]
        if fault:
            if self.gemini_error_for_fault(fault):
                return
            if self.apply_transport_fault(fault, json.dumps({"candidates": []}).encode()):
                return
        width, height = GEMINI_RATIOS[ratio]
        # Big outputs are costly to build in Python; tests check the shape, not the pixels.
        div = STATE.config["image_divisor"]
        width, height = width * scale // div, height * scale // div
        seed = zlib.crc32(text.encode()) % 1000 + next_variation()
        data = base64.b64encode(png_bytes(width, height, seed)).decode()
        usage = {"promptTokenCount": 12 + 258 * references, "candidatesTokenCount": 1290,
                 "totalTokenCount": 1302 + 258 * references}
        name = fault["fault"] if fault else None
        if name == "safety":
            return self.send_json(200, {"promptFeedback": {"blockReason": "SAFETY",
                                                           "safetyRatings": []},
                                        "usageMetadata": usage, "modelVersion": model})
        if name == "safety-finish":
            return self.send_json(200, {
                "candidates": [{"content": {"role": "model", "parts": []},
                                "finishReason": fault.get("reason", "IMAGE_SAFETY"),
                                "index": 0}],
                "usageMetadata": usage, "modelVersion": model})
        parts = [{"text": "Planning the set and the camera.", "thought": True}]
        if name == "no-image":
            parts.append({"text": "I cannot draw that, but here is a description."})
        elif name == "truncated-base64":
            parts.append({"inlineData": {"mimeType": "image/png", "data": data[:len(data) // 2 + 3]}})
        else:
            parts.append({"inlineData": {"mimeType": "image/png", "data": data}})
        self.send_json(200, {
            "candidates": [{"content": {"role": "model", "parts": parts},
                            "finishReason": "STOP", "index": 0}],
            "usageMetadata": usage, "modelVersion": model,
            "responseId": uuid.uuid4().hex[:20]})

    # Google Cloud (Vertex AI): Veo ----------------------------------------------------------

    def vertex_token(self, entry):
        """An OAuth access token as "Authorization: Bearer"; Vertex answers 401 otherwise."""
        auth = self.headers.get("Authorization")
        if self.headers.get("x-goog-api-key") is not None:
            entry["api_key"] = "sent"
        if auth is None:
            entry["auth"] = "missing"
            self.google_error(401, "UNAUTHENTICATED",
                              "Request is missing required authentication credential. Expected "
                              "OAuth 2 access token, login cookie or other valid authentication "
                              "credential. See https://developers.google.com/identity/sign-in/"
                              "web/devconsole-project.")
            return False
        if auth != "Bearer " + STATE.key:
            entry["auth"] = "wrong"
            self.google_error(401, "UNAUTHENTICATED",
                              "Request had invalid authentication credentials. Expected OAuth 2 "
                              "access token, login cookie or other valid authentication "
                              "credential. See https://developers.google.com/identity/sign-in/"
                              "web/devconsole-project.")
            return False
        entry["auth"] = "ok"
        return True

    def vertex(self, path, body):
        entry = {}
        self.record(entry)
        match = re.match(r"^/v1/publishers/google/models/([^/:]+)$", path)
        if self.command == "GET" and match:
            # publishers.models.get: proves the token and the model's name.
            if not self.vertex_token(entry):
                return
            model = match.group(1)
            if model not in VEO_MODELS:
                return self.google_error(404, "NOT_FOUND", "Publisher Model "
                                         "`publishers/google/models/%s` not found." % model)
            return self.send_json(200, {"name": "publishers/google/models/" + model,
                                        "versionId": "001", "launchStage": "GA",
                                        "openSourceCategory": "PROPRIETARY",
                                        "publisherModelTemplate": "projects/{project}/"
                                        "locations/{location}/publishers/google/models/"
                                        + model})
        match = re.match(r"^/v1/projects/([^/]+)/locations/([^/]+)/publishers/google/models/"
                         r"([^/:]+):(predictLongRunning|fetchPredictOperation)$", path)
        if self.command != "POST" or not match:
            return self.google_error(404, "NOT_FOUND", "The requested URL was not found on "
                                                       "this server.")
        if not self.vertex_token(entry):
            return
        project, location, model, method = match.groups()
        entry["project"] = project
        entry["location"] = location
        resource = "projects/%s/locations/%s/publishers/google/models/%s" % (project, location,
                                                                             model)
        if project != VERTEX_PROJECT:
            return self.google_error(403, "PERMISSION_DENIED", "Permission "
                                     "'aiplatform.endpoints.predict' denied on resource "
                                     "'//aiplatform.googleapis.com/%s' (or it may not exist)."
                                     % resource,
                                     [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                       "reason": "IAM_PERMISSION_DENIED",
                                       "domain": "aiplatform.googleapis.com"}])
        if not re.match(r"^[a-z0-9-]+$", location):
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid location: %s" % location)
        if model not in VEO_MODELS:
            return self.google_error(404, "NOT_FOUND", "Publisher Model `%s` not found."
                                     % resource)
        try:
            request = json.loads(body)
        except ValueError:
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        if not isinstance(request, dict):
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        entry["json"] = summarize(request)
        fault = STATE.take_fault(path)
        if method == "predictLongRunning":
            return self.veo_start(resource, model, request, fault)
        return self.veo_poll(resource, request, fault)

    def veo_start(self, resource, model, request, fault):
        instances = request.get("instances")
        if set(request) - {"instances", "parameters"} or not isinstance(instances, list) \
                or len(instances) != 1 or not isinstance(instances[0], dict):
            return self.google_error(400, "INVALID_ARGUMENT", "instances must hold one instance.")
        instance = instances[0]
        if not isinstance(instance.get("prompt"), str) or not instance["prompt"].strip():
            return self.google_error(400, "INVALID_ARGUMENT", "prompt is required.")
        unknown = set(instance) - {"prompt", "image", "lastFrame", "referenceImages"}
        if unknown:
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. "
                                     "Unknown name \"%s\" at 'instances[0]'." % sorted(unknown)[0])
        images = [(name, instance[name]) for name in ("image", "lastFrame") if name in instance]
        references = instance.get("referenceImages")
        if references is not None:
            # Asset references stand alone: no first or last frame beside them, at most three.
            if not isinstance(references, list) or not 1 <= len(references) <= 3:
                return self.google_error(400, "INVALID_ARGUMENT",
                                         "referenceImages must hold 1 to 3 images.")
            if images:
                return self.google_error(400, "INVALID_ARGUMENT", "referenceImages cannot be "
                                         "combined with image or lastFrame.")
            for i, reference in enumerate(references):
                if not isinstance(reference, dict) or set(reference) != {"image",
                                                                         "referenceType"} \
                        or reference["referenceType"] not in ("asset", "style"):
                    return self.google_error(400, "INVALID_ARGUMENT", "referenceImages[%d] needs "
                                             "an image and a referenceType." % i)
                images.append(("referenceImages[%d].image" % i, reference["image"]))
        if "lastFrame" in instance and "image" not in instance:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "lastFrame is only supported with image.")
        for name, image in images:
            # The union: bytesBase64Encoded or gcsUri, with a mimeType.
            if not isinstance(image, dict) or set(image) - {"bytesBase64Encoded", "gcsUri",
                                                            "mimeType"}:
                return self.google_error(400, "INVALID_ARGUMENT", "%s: unknown field." % name)
            try:
                data = strict_b64decode(image.get("bytesBase64Encoded"))
            except (ValueError, binascii.Error, AttributeError, TypeError):
                return self.google_error(400, "INVALID_ARGUMENT", "%s.bytesBase64Encoded: "
                                                                  "Base64 decoding failed" % name)
            if not image_magic_ok(data, image.get("mimeType")):
                return self.google_error(400, "INVALID_ARGUMENT", "%s.mimeType does not "
                                                                  "match the image." % name)
        parameters = request.get("parameters", {})
        if not isinstance(parameters, dict):
            return self.google_error(400, "INVALID_ARGUMENT", "parameters must be an object.")
        unknown = set(parameters) - VEO_PARAMETERS
        if unknown:
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. "
                                     "Unknown name \"%s\" at 'parameters'." % sorted(unknown)[0])
        if references is not None and parameters.get("durationSeconds", 8) != 8:
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "durationSeconds must be 8 with referenceImages.")
        if parameters.get("aspectRatio", "16:9") not in ("16:9", "9:16"):
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "aspectRatio must be 16:9 or 9:16.")
        if parameters.get("resolution", "720p") not in ("720p", "1080p"):
            return self.google_error(400, "INVALID_ARGUMENT", "resolution must be 720p or 1080p.")
        if parameters.get("durationSeconds", 8) not in (4, 6, 8):
            return self.google_error(400, "INVALID_ARGUMENT",
                                     "durationSeconds must be 4, 6 or 8.")
        if fault:
            if self.gemini_error_for_fault(fault):
                return
            if self.apply_transport_fault(fault, b"{}"):
                return
        op = str(uuid.uuid4())
        name = "%s/operations/%s" % (resource, op)
        with STATE.lock:
            STATE.operations[name] = {"polls": STATE.config["veo_polls"], "model": model,
                                      "fault": fault["fault"] if fault else None,
                                      "storage": parameters.get("storageUri")}
        self.send_json(200, {"name": name})

    def veo_poll(self, resource, request, fault):
        name = request.get("operationName")
        if set(request) != {"operationName"} or not isinstance(name, str):
            return self.google_error(400, "INVALID_ARGUMENT", "Invalid JSON payload received. "
                                     "operationName is required.")
        if not name.startswith(resource + "/operations/"):
            return self.google_error(400, "INVALID_ARGUMENT", "The operation %s does not belong "
                                     "to %s." % (name, resource))
        with STATE.lock:
            operation = STATE.operations.get(name)
            if operation is not None and operation["polls"] > 0:
                operation["polls"] -= 1
                pending = True
            else:
                pending = False
        if operation is None:
            return self.google_error(404, "NOT_FOUND", "Operation %s not found." % name)
        if fault and (self.gemini_error_for_fault(fault) or self.apply_transport_fault(fault, b"{}")):
            return
        if pending:
            return self.send_json(200, {"name": name})
        kind = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"
        if operation["fault"] == "operation-error":
            return self.send_json(200, {"name": name, "done": True,
                                        "error": {"code": 3, "message": "The prompt could not be "
                                                  "processed: it violates the usage guidelines."}})
        if operation["fault"] == "veo-rai-filtered":
            return self.send_json(200, {"name": name, "done": True, "response": {
                "@type": kind, "raiMediaFilteredCount": 1,
                "raiMediaFilteredReasons": ["Unable to generate videos because the prompt "
                                            "violates the usage guidelines. Support codes: "
                                            "58061214"]}})
        storage = operation["storage"]
        if operation["fault"] == "veo-gcs" and storage is None:
            storage = "gs://storyreel-test-bucket/veo"
        if storage is not None:
            # With storageUri the clip is written to the bucket and only named here.
            video = {"gcsUri": "%s/%s/sample_0.mp4" % (storage.rstrip("/"),
                                                       name.rsplit("/", 1)[1]),
                     "mimeType": "video/mp4"}
        else:
            video = {"bytesBase64Encoded": base64.b64encode(read_fixture("clip.mp4")).decode(),
                     "mimeType": "video/mp4"}
        self.send_json(200, {"name": name, "done": True, "response": {
            "@type": kind, "raiMediaFilteredCount": 0, "videos": [video]}})

    def storage(self, path):
        entry = {}
        self.record(entry)
        # The key belongs to the API host; storage on another host must never see it.
        if self.headers.get("x-goog-api-key") is not None \
                or self.headers.get("Authorization") is not None:
            entry["auth"] = "leaked"
            return self.send_bytes(400, b"key sent to storage", "text/plain")
        if path.endswith(".png"):
            # The images of one task ("…-0.png", "…-1.png") must differ, as a service's do: a
            # CRC of paths that differ in one byte is linear, and collided one time in ten.
            match = re.match(r"^(.*?)(?:-(\d+))?\.png$", path)
            base = int(hashlib.sha256(match.group(1).encode()).hexdigest(), 16) % 1000
            seed = (base + int(match.group(2) or 0)) % 1000
            return self.send_bytes(200, png_bytes(80, 45, seed), "image/png")
        self.send_bytes(200, read_fixture("clip.mp4"), "video/mp4")

    # OpenAI --------------------------------------------------------------------------------

    def openai_error(self, status, message, type_, code=None, param=None, headers=None):
        self.send_json(status, {"error": {"message": message, "type": type_, "param": param,
                                          "code": code}}, headers)

    def openai_model(self, path):
        entry = {}
        self.record(entry)
        if self.headers.get("Authorization") != "Bearer " + STATE.key:
            entry["auth"] = "wrong"
            return self.openai_error(401, "Incorrect API key provided.", "invalid_request_error",
                                     "invalid_api_key")
        entry["auth"] = "ok"
        if path == "/v1/models":
            return self.send_json(200, {"object": "list", "data": [
                {"id": model, "object": "model", "created": 1776000000, "owned_by": "system"}
                for model in OPENAI_OTHER_MODELS + sorted(OPENAI_MODELS)]})
        model = path[len("/v1/models/"):]
        if model not in OPENAI_MODELS:
            return self.openai_error(404, "The model '%s' does not exist" % model,
                                     "invalid_request_error", "model_not_found", "model")
        self.send_json(200, {"id": model, "object": "model", "created": 1745000000,
                             "owned_by": "system"})

    def openai(self, path, body):
        entry = {}
        self.record(entry)
        if self.command != "POST" or path not in ("/v1/images/generations", "/v1/images/edits"):
            return self.openai_error(404, "Invalid URL (%s %s)" % (self.command, path),
                                     "invalid_request_error")
        auth = self.headers.get("Authorization")
        if auth is None:
            entry["auth"] = "missing"
            return self.openai_error(401, "You didn't provide an API key. You need to provide "
                                     "your API key in an Authorization header using Bearer auth "
                                     "(i.e. Authorization: Bearer YOUR_KEY).",
                                     "invalid_request_error")
        if auth != "Bearer " + STATE.key:
            entry["auth"] = "wrong"
            given = auth[len("Bearer "):] if auth.startswith("Bearer ") else auth
            masked = given[:3] + "*" * 4 + given[-4:] if len(given) > 8 else "****"
            return self.openai_error(401, "Incorrect API key provided: %s. You can find your API "
                                     "key at https://platform.openai.com/account/api-keys."
                                     % masked, "invalid_request_error", "invalid_api_key")
        entry["auth"] = "ok"
        fault = STATE.take_fault(path)

        if path.endswith("/generations"):
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                return self.openai_error(400, "Invalid Content-Type header (%s), expected "
                                         "application/json." % self.headers.get("Content-Type"),
                                         "invalid_request_error")
            try:
                request = json.loads(body)
            except ValueError:
                return self.openai_error(400, "We could not parse the JSON body of your request.",
                                         "invalid_request_error")
            entry["json"] = summarize(request)
            unknown = set(request) - OPENAI_GENERATION_FIELDS
            if unknown:
                return self.openai_error(400, "Unknown parameter: '%s'." % sorted(unknown)[0],
                                         "invalid_request_error", "unknown_parameter",
                                         sorted(unknown)[0])
            fields = request
            images = []
        else:
            try:
                parts = parse_multipart(self.headers.get("Content-Type"), body)
            except ValueError as e:
                entry["multipart_error"] = str(e)
                return self.openai_error(400, "Could not parse multipart form: %s" % e,
                                         "invalid_request_error")
            fields = {}
            images = []
            for part in parts:
                if part["name"] in ("image", "image[]") and part["filename"] is not None:
                    images.append(part)
                elif part["name"] == "mask":
                    pass
                elif part["filename"] is None:
                    fields[part["name"]] = part["data"].decode("utf-8")
                else:
                    return self.openai_error(400, "Unexpected file field: '%s'." % part["name"],
                                             "invalid_request_error", param=part["name"])
            entry["form"] = {k: summarize(v) for k, v in fields.items()}
            entry["images"] = [{"name": p["name"], "filename": p["filename"],
                                "content_type": p["content_type"], "size": len(p["data"]),
                                "sha256": hashlib.sha256(p["data"]).hexdigest()}
                               for p in images]
            unknown = set(fields) - OPENAI_EDIT_FIELDS
            if unknown:
                return self.openai_error(400, "Unknown parameter: '%s'." % sorted(unknown)[0],
                                         "invalid_request_error", "unknown_parameter",
                                         sorted(unknown)[0])
            if not images:
                return self.openai_error(400, "Missing required parameter: 'image'.",
                                         "invalid_request_error", "missing_required_parameter",
                                         "image")
            # The published OpenAPI spec: `image` is one file, or an array of files that
            # multipart writes as repeated `image[]`. One file under `image[]`, or `image`
            # given twice or beside `image[]`, is not what the spec describes.
            singles = [p for p in images if p["name"] == "image"]
            arrays = [p for p in images if p["name"] == "image[]"]
            if singles and arrays or len(singles) > 1:
                return self.openai_error(400, "Invalid 'image': send one file as 'image' or "
                                         "several as 'image[]', not both.",
                                         "invalid_request_error", "invalid_value", "image")
            if len(arrays) == 1:
                return self.openai_error(400, "Missing required parameter: 'image'.",
                                         "invalid_request_error",
                                         "missing_required_parameter", "image")
            if len(images) > 16:
                return self.openai_error(400, "Too many images: at most 16.",
                                         "invalid_request_error", param="image")
            for image in images:
                if image["content_type"] not in ("image/png", "image/jpeg", "image/webp") \
                        or not image_magic_ok(image["data"], image["content_type"]):
                    return self.openai_error(400, "Invalid file '%s': unsupported mimetype "
                                             "('%s'). Supported file formats are 'image/jpeg', "
                                             "'image/png', and 'image/webp'."
                                             % (image["name"], image["content_type"]),
                                             "invalid_request_error", "invalid_image_format",
                                             image["name"])
            if "n" in fields:
                try:
                    fields["n"] = int(fields["n"])
                except ValueError:
                    return self.openai_error(400, "Invalid type for 'n'.",
                                             "invalid_request_error", param="n")
            if "input_fidelity" in fields and fields["input_fidelity"] not in ("high", "low"):
                return self.openai_error(400, "Invalid value for 'input_fidelity'.",
                                         "invalid_request_error", param="input_fidelity")

        prompt = fields.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return self.openai_error(400, "Missing required parameter: 'prompt'.",
                                     "invalid_request_error", "missing_required_parameter",
                                     "prompt")
        if not isinstance(fields.get("model", "gpt-image-2"), str):
            return self.openai_error(400, "Invalid type for 'model'.", "invalid_request_error",
                                     param="model")
        if fields.get("model", "gpt-image-2") not in OPENAI_MODELS:
            return self.openai_error(404, "The model `%s` does not exist or you do not have "
                                     "access to it." % fields["model"], "invalid_request_error",
                                     "model_not_found")
        n = fields.get("n", 1)
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10:
            return self.openai_error(400, "Invalid 'n': integer between 1 and 10 expected.",
                                     "invalid_request_error", "integer_below_min_value", "n")
        size = fields.get("size", "auto")
        if size not in OPENAI_SIZES:
            return self.openai_error(400, "Invalid value: '%s'. Supported values are: "
                                     "'1024x1024', '1024x1536', '1536x1024', and 'auto'." % size,
                                     "invalid_request_error", "invalid_value", "size")
        if fields.get("quality", "auto") not in OPENAI_QUALITIES:
            return self.openai_error(400, "Invalid value for 'quality'.",
                                     "invalid_request_error", "invalid_value", "quality")
        output_format = fields.get("output_format", "png")
        if output_format not in OPENAI_FORMATS:
            return self.openai_error(400, "Invalid value for 'output_format'.",
                                     "invalid_request_error", "invalid_value", "output_format")

        self.deadline = time.time() + STATE.config["latency"]
        usage = {"total_tokens": 100, "input_tokens": 50, "output_tokens": 50,
                 "input_tokens_details": {"text_tokens": 10, "image_tokens": 40}}
        if fault:
            name = fault["fault"]
            if name == "rate-limit":
                return self.openai_error(429, "Rate limit reached for gpt-image-1 in organization "
                                         "org-test on images per minute (IPM): Limit 5, Used 5, "
                                         "Requested 1.", "requests", "rate_limit_exceeded",
                                         headers=self.retry_headers(fault))
            if name == "insufficient-quota":
                return self.openai_error(429, "You exceeded your current quota, please check "
                                         "your plan and billing details.", "insufficient_quota",
                                         "insufficient_quota")
            if name == "safety":
                return self.openai_error(400, "Your request was rejected by the safety system. "
                                         "If you believe this is an error, contact us.",
                                         "image_generation_user_error", "moderation_blocked")
            if name == "server-error":
                return self.openai_error(500, "The server had an error while processing your "
                                         "request. Sorry about that!", "server_error")
            if name == "should-not-retry":
                return self.openai_error(503, "The engine is currently overloaded.",
                                         "server_error", headers={"x-should-retry": "false"})
            if name == "no-image":
                return self.send_json(200, {"created": int(time.time()), "data": [],
                                            "usage": usage})
            if self.apply_transport_fault(fault, b'{"created":0,"data":[]}'):
                return
        if size == "auto":
            size = "1536x1024"
        div = STATE.config["image_divisor"]
        width, height = (int(v) // div for v in size.split("x"))
        data = []
        for i in range(n):
            if output_format == "jpeg":
                image = read_fixture("plate.jpg")
            else:
                image = png_bytes(width, height, zlib.crc32(prompt.encode()) % 1000
                                  + next_variation())
            encoded = base64.b64encode(image).decode()
            if fault and fault["fault"] == "truncated-base64":
                encoded = encoded[:len(encoded) // 2 + 1]
            data.append({"b64_json": encoded})
        self.send_json(200, {"created": int(time.time()), "background": "opaque", "data": data,
                             "output_format": output_format, "quality": "high",
                             "size": "%dx%d" % (width * div, height * div), "usage": usage})

    # Seedream on Ark -----------------------------------------------------------------------

    def ark_error(self, status, code, message, type_, param=""):
        request_id = uuid.uuid4().hex[:20]
        self.send_json(status, {"error": {"code": code, "message": "%s Request id: %s"
                                          % (message, request_id), "param": param,
                                          "type": type_}})

    def seedream(self, path, body):
        entry = {}
        self.record(entry)
        if self.command != "POST" or path != "/api/v3/images/generations":
            return self.ark_error(404, "NotFound", "The requested resource was not found.",
                                  "NotFound")
        if self.headers.get("Authorization") != "Bearer " + STATE.key:
            entry["auth"] = "wrong"
            return self.ark_error(401, "AuthenticationError", "The API key format is "
                                  "incorrect.", "Unauthorized")
        entry["auth"] = "ok"
        try:
            request = json.loads(body)
        except ValueError:
            return self.ark_error(400, "InvalidParameter", "The request body is not valid "
                                  "JSON.", "BadRequest")
        entry["json"] = summarize(request)
        unknown = set(request) - SEEDREAM_FIELDS
        if unknown:
            name = sorted(unknown)[0]
            return self.ark_error(400, "InvalidParameter", "The parameter `%s` specified in "
                                  "the request is not valid." % name, "BadRequest", name)
        model = request.get("model")
        if not isinstance(model, str) or not (model in SEEDREAM_MODELS
                                              or model.startswith("ep-")):
            return self.ark_error(404, "InvalidEndpointOrModel.NotFound", "The model or "
                                  "endpoint %s does not exist or you do not have access to it."
                                  % model, "NotFound")
        prompt = request.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            return self.ark_error(400, "MissingParameter", "The request failed because it is "
                                  "missing the `prompt` parameter.", "BadRequest", "prompt")
        images = request.get("image", [])
        if isinstance(images, str):
            images = [images]
        if not isinstance(images, list) or len(images) > 14:
            return self.ark_error(400, "InvalidParameter", "The parameter `image` specified "
                                  "in the request is not valid: at most 14 images.",
                                  "BadRequest", "image")
        for image in images:
            match = re.match(r"^data:(image/(?:png|jpeg|webp));base64,(.*)$", image or "",
                             re.S) if isinstance(image, str) else None
            try:
                data = strict_b64decode(match.group(2)) if match else None
            except (ValueError, binascii.Error):
                data = None
            if data is None or not image_magic_ok(data, match.group(1)) \
                    or len(data) > 10 * 1024 * 1024:
                return self.ark_error(400, "InvalidParameter", "The parameter `image` "
                                      "specified in the request is not valid: each image must "
                                      "be a URL or a base64 data URL of a PNG, JPEG or WebP "
                                      "under 10 MB.", "BadRequest", "image")
        size = request.get("size", "2048x2048")
        if size in ("1K", "2K", "4K"):
            width = height = {"1K": 1024, "2K": 2048, "4K": 4096}[size]
        else:
            match = re.match(r"^(\d+)x(\d+)$", str(size))
            width, height = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
            if not match or not 921600 <= width * height <= 16777216 \
                    or not 1 / 16 <= width / height <= 16:
                return self.ark_error(400, "InvalidParameter", "The parameter `size` specified "
                                      "in the request is not valid.", "BadRequest", "size")
        sequential = request.get("sequential_image_generation", "disabled")
        if sequential not in ("auto", "disabled"):
            return self.ark_error(400, "InvalidParameter", "The parameter "
                                  "`sequential_image_generation` specified in the request is "
                                  "not valid.", "BadRequest", "sequential_image_generation")
        count = 1
        if sequential == "auto":
            count = request.get("sequential_image_generation_options", {}).get("max_images", 15)
            if not isinstance(count, int) or not 1 <= count <= 15 \
                    or count + len(images) > 15:
                return self.ark_error(400, "InvalidParameter", "The parameter `max_images` "
                                      "specified in the request is not valid: reference and "
                                      "generated images together must be at most 15.",
                                      "BadRequest", "max_images")
        if request.get("response_format", "url") not in ("url", "b64_json"):
            return self.ark_error(400, "InvalidParameter", "The parameter `response_format` "
                                  "specified in the request is not valid.", "BadRequest",
                                  "response_format")
        if not isinstance(request.get("watermark", True), bool):
            return self.ark_error(400, "InvalidParameter", "The parameter `watermark` "
                                  "specified in the request is not valid.", "BadRequest",
                                  "watermark")
        fault = STATE.take_fault(path)
        if fault:
            name = fault["fault"]
            if name == "rate-limit":
                return self.ark_error(429, "RateLimitExceeded.EndpointRPMExceeded",
                                      "The request has exceeded the rate limit.",
                                      "TooManyRequests")
            if name == "server-error":
                return self.ark_error(500, "InternalServiceError", "The service encountered "
                                      "an unexpected internal error.", "InternalServerError")
            if name == "safety":
                return self.ark_error(400, "InputTextSensitiveContentDetected", "The request "
                                      "failed because the input text may contain sensitive "
                                      "information.", "BadRequest")
            if self.apply_transport_fault(fault, b'{"data":[]}'):
                return
        div = STATE.config["image_divisor"] * 4
        data = []
        for i in range(count):
            if fault and fault["fault"] == "partial" and i == fault.get("index", 1):
                data.append({"error": {"code": "OutputImageSensitiveContentDetected",
                                       "message": "The generated image may contain sensitive "
                                                  "information."}})
                continue
            image = png_bytes(width // div, height // div,
                              zlib.crc32(prompt.encode()) % 1000 + next_variation())
            # An image with a watermark carries a mark a test can see: a tEXt chunk.
            if request.get("watermark", True):
                image = image[:-12] + png_text_chunk(b"Comment", b"AI generated") + image[-12:]
            if request.get("response_format", "url") == "b64_json":
                data.append({"b64_json": base64.b64encode(image).decode(),
                             "size": "%dx%d" % (width, height)})
            else:
                data.append({"url": "%s/_storage/seedream-%d.png" % (self.origin(), i),
                             "size": "%dx%d" % (width, height)})
        made = sum(1 for item in data if "error" not in item)
        self.send_json(200, {"model": model, "created": int(time.time()), "data": data,
                             "usage": {"generated_images": made, "output_tokens": 4096 * made,
                                       "total_tokens": 4096 * made}})

    # Wan on Model Studio (DashScope) -------------------------------------------------------

    def dashscope_error(self, status, code, message):
        self.send_json(status, {"code": code, "message": message,
                                "request_id": str(uuid.uuid4())})

    def wan(self, path, body):
        entry = {}
        self.record(entry)
        if self.headers.get("Authorization") != "Bearer " + STATE.key:
            entry["auth"] = "wrong"
            return self.dashscope_error(401, "InvalidApiKey", "Invalid API-key provided.")
        entry["auth"] = "ok"
        match = re.match(r"^/api/v1/tasks/([^/]+)$", path)
        if match and self.command == "GET":
            return self.wan_task(match.group(1))
        kinds = {"/api/v1/services/aigc/image-generation/generation": "image",
                 "/api/v1/services/aigc/video-generation/video-synthesis": "video"}
        if self.command != "POST" or path not in kinds:
            return self.dashscope_error(404, "NotFound", "Not found.")
        kind = kinds[path]
        if self.headers.get("X-DashScope-Async") != "enable":
            return self.dashscope_error(403, "AccessDenied", "current user api does not "
                                        "support synchronous calls")
        try:
            request = json.loads(body)
        except ValueError:
            return self.dashscope_error(400, "InvalidParameter", "Request body is not JSON.")
        entry["json"] = summarize(request)
        if set(request) - {"model", "input", "parameters"}:
            return self.dashscope_error(400, "InvalidParameter", "Unknown field.")
        models = WAN_IMAGE_MODELS if kind == "image" else WAN_VIDEO_MODELS
        if request.get("model") not in models:
            return self.dashscope_error(400, "InvalidParameter", "Model not exist.")
        inputs = request.get("input", {})
        if not isinstance(inputs.get("prompt"), str) or not inputs["prompt"].strip():
            return self.dashscope_error(400, "InvalidParameter", "input.prompt is required.")
        parameters = request.get("parameters", {})
        count = 1
        if kind == "video":
            match = re.match(r"^data:(image/(?:png|jpeg|webp));base64,(.*)$",
                             inputs.get("img_url") or "", re.S)
            try:
                data = strict_b64decode(match.group(2)) if match else None
            except (ValueError, binascii.Error):
                data = None
            if data is None or not image_magic_ok(data, match.group(1)):
                return self.dashscope_error(400, "InvalidParameter", "input.img_url must be a "
                                            "URL or a base64 data URL of an image.")
            if parameters.get("resolution", "720P") not in ("480P", "720P", "1080P") \
                    or parameters.get("duration", 5) not in (5, 10, 15):
                return self.dashscope_error(400, "InvalidParameter", "Unsupported resolution "
                                            "or duration.")
        else:
            match = re.match(r"^(\d+)\*(\d+)$", str(parameters.get("size", "1280*1280")))
            if not match or not 1280 * 1280 * 0.9 <= int(match.group(1)) * int(match.group(2)) \
                    <= 1440 * 1440 or not 0.25 <= int(match.group(1)) / int(match.group(2)) <= 4:
                return self.dashscope_error(400, "InvalidParameter", "The size is not "
                                            "supported.")
            count = parameters.get("n", 1)
            if not isinstance(count, int) or not 1 <= count <= 4:
                return self.dashscope_error(400, "InvalidParameter", "n must be 1 to 4.")
        if not isinstance(parameters.get("watermark", False), bool):
            return self.dashscope_error(400, "InvalidParameter", "watermark must be a boolean.")
        fault = STATE.take_fault(path)
        task_id = str(uuid.uuid4())
        with STATE.lock:
            STATE.operations[task_id] = {"kind": kind, "count": count,
                                         "polls": STATE.config.get("wan_polls", 2),
                                         "failed": bool(fault and fault["fault"] == "task-failed")}
        self.send_json(200, {"output": {"task_id": task_id, "task_status": "PENDING"},
                             "request_id": str(uuid.uuid4())})

    def wan_task(self, task_id):
        with STATE.lock:
            task = STATE.operations.get(task_id)
            if task is not None and task["polls"] > 0:
                task["polls"] -= 1
                status = "PENDING" if task["polls"] > 0 else "RUNNING"
            else:
                status = None
        if task is None:
            return self.send_json(200, {"output": {"task_id": task_id,
                                                   "task_status": "UNKNOWN"},
                                        "request_id": str(uuid.uuid4())})
        output = {"task_id": task_id, "task_status": status or "SUCCEEDED"}
        if status is None and task["failed"]:
            output.update({"task_status": "FAILED", "code": "DataInspectionFailed",
                           "message": "Output data may contain inappropriate content."})
        elif status is None and task["kind"] == "video":
            output["video_url"] = "%s/_storage/wan-%s.mp4" % (self.origin(), task_id)
        elif status is None:
            output["results"] = [{"url": "%s/_storage/wan-%s-%d.png" % (self.origin(), task_id,
                                                                          i)}
                                 for i in range(task["count"])]
        answer = {"output": output, "request_id": str(uuid.uuid4())}
        if status is None and not task["failed"]:
            answer["usage"] = {"image_count": task["count"]} if task["kind"] == "image" \
                else {"video_duration": 5, "video_ratio": "1280*720", "video_count": 1}
        self.send_json(200, answer)

    # ComfyUI -------------------------------------------------------------------------------

    def comfy_auth(self, entry):
        if STATE.comfy_key is None:
            entry["auth"] = "none"
            return True
        if self.headers.get("Authorization") != "Bearer " + STATE.comfy_key:
            entry["auth"] = "wrong"
            self.send_bytes(401, b"401: Unauthorized", "text/plain")
            return False
        entry["auth"] = "ok"
        return True

    def comfy_queue(self):
        """Pending and running jobs; updates finished ones. Call with the lock held."""
        now = time.time()
        running, pending = [], []
        for prompt_id, job in STATE.prompts.items():
            if job["done"]:
                continue
            if job["interrupted"] or now >= job["finish_at"]:
                job["done"] = True
                STATE.outputs.update(job["files"] if not job["interrupted"]
                                     and not job["error"] else {})
                continue
            item = [job["number"], prompt_id, {}, {"client_id": job["client_id"]}, []]
            (running if now >= job["start_at"] else pending).append(item)
        for i in range(STATE.config["comfy_busy"]):
            pending.append([1000 + i, "busy-%d" % i, {}, {}, []])
        return running, pending

    def comfy(self, path, query, body):
        entry = {}
        self.record(entry)
        if not self.comfy_auth(entry):
            return
        if self.command == "POST" and path == "/prompt":
            # Logged even when a fault refuses it: tests count what was asked.
            try:
                entry["json"] = summarize(json.loads(body))
            except ValueError:
                pass
        fault = STATE.take_fault(path)
        if fault and fault["fault"] not in ("execution-error",):
            if fault["fault"] == "server-error":
                return self.send_bytes(500, b"500 Internal Server Error", "text/plain")
            if self.apply_transport_fault(fault, b"{}"):
                return
        if path == "/system_stats" and self.command == "GET":
            return self.send_json(200, {
                "system": {"os": "posix", "ram_total": 68719476736, "ram_free": 34359738368,
                           "comfyui_version": "0.3.40", "python_version": sys.version,
                           "pytorch_version": "2.7.0", "embedded_python": False, "argv": []},
                "devices": [{"name": "cuda:0 Fake GPU", "type": "cuda", "index": 0,
                             "vram_total": 25769803776, "vram_free": 20000000000,
                             "torch_vram_total": 0, "torch_vram_free": 0}]})
        match = re.match(r"^/object_info(?:/([^/]+))?$", path)
        if match and self.command == "GET":
            with STATE.lock:
                models = STATE.config["comfy_models"]
                combo = STATE.config["comfy_models_combo"]
            info = {}
            for cls, inputs in COMFY_CLASSES.items():
                required = {}
                for name in inputs:
                    files = models.get(cls, {}).get(name)
                    if files is not None:
                        required[name] = ["COMBO", {"options": files}] if combo \
                            else [files, {}]
                    else:
                        required[name] = ["*", {}]
                info[cls] = {"input": {"required": required}, "output": [], "name": cls,
                             "display_name": cls, "category": "loaders"}
            for cls, inputs in models.items():
                entry = info.setdefault(cls, {"input": {"required": {}}, "output": [],
                                              "name": cls})
                for name, files in inputs.items():
                    entry["input"]["required"][name] = \
                        ["COMBO", {"options": files}] if combo else [files, {}]
            if match.group(1):
                cls = match.group(1)
                return self.send_json(200, {cls: info[cls]} if cls in info else {})
            return self.send_json(200, info)
        if path == "/queue" and self.command == "GET":
            with STATE.lock:
                running, pending = self.comfy_queue()
            return self.send_json(200, {"queue_running": running, "queue_pending": pending})
        if path == "/queue" and self.command == "POST":
            try:
                request = json.loads(body)
            except ValueError:
                return self.send_bytes(400, b"", "text/plain")
            entry["json"] = request
            with STATE.lock:
                for prompt_id in request.get("delete", []):
                    job = STATE.prompts.get(prompt_id)
                    if job is not None and not job["done"]:
                        job["interrupted"] = True
                        STATE.deleted += 1
            return self.send_bytes(200, b"", "text/plain")
        if path == "/interrupt" and self.command == "POST":
            # Like a server that ignores "prompt_id": whatever runs is stopped, which on a
            # shared server may be someone else's render.
            try:
                entry["json"] = json.loads(body) if body else None
            except ValueError:
                entry["json"] = None
            with STATE.lock:
                STATE.interrupts += 1
                now = time.time()
                for job in STATE.prompts.values():
                    if not job["done"] and job["start_at"] <= now:
                        job["interrupted"] = True
                        if job.get("foreign"):
                            STATE.interrupted_foreign += 1
            return self.send_bytes(200, b"", "text/plain")
        match = re.match(r"^/jobs/([^/]+)/cancel$", path)
        if match and self.command == "POST" and STATE.config.get("jobs_api"):
            with STATE.lock:
                self.comfy_queue()
                job = STATE.prompts.get(match.group(1))
                if job is None:
                    return self.send_json(404, {"error": "Job not found"})
                if not job["done"]:
                    job["interrupted"] = True
                    STATE.jobs_cancelled += 1
            return self.send_json(200, {"success": True})
        if path == "/upload/image" and self.command == "POST":
            try:
                parts = parse_multipart(self.headers.get("Content-Type"), body)
            except ValueError as e:
                entry["multipart_error"] = str(e)
                return self.send_bytes(400, b"", "text/plain")
            image = next((p for p in parts if p["name"] == "image" and p["filename"]), None)
            fields = {p["name"]: p["data"].decode() for p in parts if p["filename"] is None}
            entry["form"] = fields
            if image is None or not (image_magic_ok(image["data"], "image/png")
                                     or image_magic_ok(image["data"], "image/jpeg")):
                return self.send_bytes(400, b"", "text/plain")
            if fields.get("type", "input") not in ("input", "temp", "output"):
                return self.send_bytes(400, b"", "text/plain")
            name = os.path.basename(image["filename"])
            subfolder = fields.get("subfolder", "")
            with STATE.lock:
                if name in STATE.uploads and fields.get("overwrite") not in ("true", "1"):
                    stem, ext = os.path.splitext(name)
                    i = 1
                    while "%s (%d)%s" % (stem, i, ext) in STATE.uploads:
                        i += 1
                    name = "%s (%d)%s" % (stem, i, ext)
                STATE.uploads[name] = image["data"]
            entry["uploaded"] = name
            # What came, for the tests: its size, and a PNG's size and pixel format.
            entry["upload_bytes"] = len(image["data"])
            size = png_size(image["data"])
            if size:
                entry["upload_png"] = {"width": size[0], "height": size[1],
                                       "bit_depth": image["data"][24],
                                       "color_type": image["data"][25]}
            return self.send_json(200, {"name": name, "subfolder": subfolder,
                                        "type": fields.get("type", "input")})
        if path == "/prompt" and self.command == "POST":
            return self.comfy_prompt(entry, body, fault)
        match = re.match(r"^/history/([^/]+)$", path)
        if match and self.command == "GET":
            prompt_id = match.group(1)
            with STATE.lock:
                self.comfy_queue()
                job = STATE.prompts.get(prompt_id)
                if job is None or not job["done"]:
                    return self.send_json(200, {})
                if job["interrupted"]:
                    status = {"status_str": "error", "completed": False, "messages": [
                        ["execution_start", {"prompt_id": prompt_id}],
                        ["execution_interrupted", {"prompt_id": prompt_id, "node_id": "3",
                                                   "node_type": "KSampler", "executed": []}]]}
                    outputs = {}
                elif job["error"]:
                    status = {"status_str": "error", "completed": False, "messages": [
                        ["execution_start", {"prompt_id": prompt_id}],
                        ["execution_error", {"prompt_id": prompt_id, "node_id": "3",
                                             "node_type": "KSampler",
                                             "exception_message": "CUDA out of memory.",
                                             "exception_type": "torch.OutOfMemoryError",
                                             "traceback": []}]]}
                    outputs = {}
                else:
                    status = {"status_str": "success", "completed": True, "messages": [
                        ["execution_start", {"prompt_id": prompt_id}],
                        ["execution_success", {"prompt_id": prompt_id}]]}
                    outputs = job["outputs"]
            return self.send_json(200, {prompt_id: {
                "prompt": [job["number"], prompt_id, job["workflow"], {}, list(outputs)],
                "outputs": outputs, "status": status, "meta": {}}})
        if path == "/view" and self.command == "GET":
            filename = query.get("filename", [""])[0]
            kind = query.get("type", ["output"])[0]
            subfolder = query.get("subfolder", [""])[0]
            with STATE.lock:
                store = STATE.uploads if kind == "input" else STATE.outputs
                data = store.get(os.path.join(subfolder, filename))
            if data is None or (kind == "input" and subfolder != ""):
                return self.send_bytes(404, b"", "text/plain")
            if filename.endswith(".mp4"):
                return self.send_bytes(200, data, "video/mp4")
            if filename.endswith(".webm"):
                return self.send_bytes(200, data, "video/webm")
            return self.send_bytes(200, data, "image/png")
        if path == "/ws":
            if not STATE.config.get("comfy_ws"):
                return self.send_bytes(400, b"", "text/plain")
            return self.comfy_ws(query)
        return self.send_bytes(404, b"404: Not Found", "text/plain")

    # ComfyUI's /ws ---------------------------------------------------------------------

    @staticmethod
    def ws_frame(opcode, payload, fin=True):
        first = (0x80 if fin else 0) | opcode
        n = len(payload)
        if n < 126:
            header = bytes([first, n])
        elif n < 65536:
            header = bytes([first, 126]) + struct.pack(">H", n)
        else:
            header = bytes([first, 127]) + struct.pack(">Q", n)
        return header + payload

    @staticmethod
    def ws_read_frames(buffer, log):
        """Client frames out of buffer: (frames, rest). Records unmasked frames in log."""
        frames = []
        while len(buffer) >= 2:
            opcode = buffer[0] & 0x0f
            masked = buffer[1] & 0x80
            n = buffer[1] & 0x7f
            pos = 2
            if n == 126:
                if len(buffer) < 4:
                    break
                n = struct.unpack(">H", buffer[2:4])[0]
                pos = 4
            elif n == 127:
                if len(buffer) < 10:
                    break
                n = struct.unpack(">Q", buffer[2:10])[0]
                pos = 10
            mask = b"\0\0\0\0"
            if masked:
                if len(buffer) < pos + 4:
                    break
                mask = buffer[pos:pos + 4]
                pos += 4
            if len(buffer) < pos + n:
                break
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buffer[pos:pos + n]))
            buffer = buffer[pos + n:]
            log["frames"] += 1
            if not masked:
                log["unmasked"] += 1
            frames.append((opcode, payload))
        return frames, buffer

    def comfy_ws(self, query):
        key = self.headers.get("Sec-WebSocket-Key", "")
        if self.headers.get("Upgrade", "").lower() != "websocket" \
                or "upgrade" not in self.headers.get("Connection", "").lower() \
                or self.headers.get("Sec-WebSocket-Version") != "13" \
                or len(base64.b64decode(key + "==")[:16]) != 16:
            return self.send_bytes(400, b"Bad WebSocket handshake", "text/plain")
        client_id = query.get("clientId", [""])[0]
        accept = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True

        log = {"client_id": client_id, "frames": 0, "unmasked": 0, "pongs": [],
               "close_code": None, "previews": 0, "progress": 0}
        with STATE.lock:
            STATE.websockets.append(log)
        sock = self.connection
        sent = {}

        def send(frame):
            sock.sendall(frame)

        def send_json(value, fragmented=False):
            data = json.dumps(value).encode()
            if not fragmented:
                return send(self.ws_frame(0x1, data))
            third = len(data) // 3
            send(self.ws_frame(0x1, data[:third], fin=False))
            send(self.ws_frame(0x9, b"between-fragments"))
            send(self.ws_frame(0x0, data[third:2 * third], fin=False))
            send(self.ws_frame(0x0, data[2 * third:], fin=True))

        send_json({"type": "status", "data": {"status": {"exec_info": {"queue_remaining": 0}},
                                              "sid": client_id}})
        send(self.ws_frame(0x9, b"hello"))
        buffer = b""
        try:
            while True:
                pending = sock.pending() if isinstance(sock, ssl.SSLSocket) else 0
                readable = pending or select.select([sock], [], [], 0.01)[0]
                if readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    frames, buffer = self.ws_read_frames(buffer + data, log)
                    for opcode, payload in frames:
                        if opcode == 0xA:
                            with STATE.lock:
                                log["pongs"].append(payload.decode(errors="replace"))
                        elif opcode == 0x8:
                            with STATE.lock:
                                log["close_code"] = struct.unpack(">H", payload[:2])[0] \
                                    if len(payload) >= 2 else 1005
                            send(self.ws_frame(0x8, payload[:2]))
                            return
                now = time.time()
                with STATE.lock:
                    self.comfy_queue()
                    jobs = [(pid, dict(job)) for pid, job in STATE.prompts.items()
                            if job["client_id"] == client_id]
                    steps = STATE.config["comfy_steps"]
                    preview_size = STATE.config["comfy_preview_size"]
                for prompt_id, job in jobs:
                    done = sent.setdefault(prompt_id, set())
                    if "end" in done or now < job["start_at"]:
                        continue
                    data = {"prompt_id": prompt_id}
                    if "start" not in done:
                        done.add("start")
                        send_json({"type": "execution_start",
                                   "data": dict(data, timestamp=int(now * 1000))})
                        send_json({"type": "executing",
                                   "data": dict(data, node="3", display_node="3")})
                    if job["interrupted"]:
                        done.add("end")
                        send_json({"type": "execution_interrupted",
                                   "data": dict(data, node_id="3", node_type="KSampler",
                                                executed=[], timestamp=int(now * 1000))})
                        send_json({"type": "executing", "data": dict(data, node=None)})
                        continue
                    duration = job["finish_at"] - job["start_at"]
                    for step in range(1, steps + 1):
                        if now < job["start_at"] + duration * step / (steps + 1) \
                                or ("step", step) in done:
                            continue
                        done.add(("step", step))
                        send_json({"type": "progress",
                                   "data": dict(data, value=step, max=steps, node="3")},
                                  fragmented=step == 1)
                        with STATE.lock:
                            log["progress"] += 1
                        if step == 2:
                            # Binary: event 1 (preview image), format 2 (PNG), the bytes.
                            send(self.ws_frame(0x2, struct.pack(">II", 1, 2) + png_bytes(
                                preview_size[0], preview_size[1], step)))
                            with STATE.lock:
                                log["previews"] += 1
                    if now >= job["finish_at"] and job["done"] and job["error"]:
                        done.add("end")
                        send_json({"type": "execution_error", "data": dict(
                            data, node_id="3", node_type="KSampler",
                            exception_message="CUDA out of memory.",
                            exception_type="torch.OutOfMemoryError", traceback=[],
                            timestamp=int(now * 1000))})
                        send_json({"type": "executing", "data": dict(data, node=None)})
                    elif now >= job["finish_at"] and job["done"]:
                        done.add("end")
                        send_json({"type": "executing",
                                   "data": dict(data, node="9", display_node="9")})
                        send_json({"type": "executed", "data": dict(
                            data, node="9", display_node="9",
                            output={"images": [{"filename": "x.png", "subfolder": "",
                                                "type": "output"}]})})
                        send_json({"type": "execution_success",
                                   "data": dict(data, timestamp=int(now * 1000))})
                        send_json({"type": "executing", "data": dict(data, node=None)})
        except OSError:
            return

    def comfy_validation_error(self, node_errors, message="Prompt outputs failed validation"):
        self.send_json(400, {"error": {"type": "prompt_outputs_failed_validation",
                                       "message": message, "details": "", "extra_info": {}},
                             "node_errors": node_errors})

    def comfy_prompt(self, entry, body, fault):
        try:
            request = json.loads(body)
        except ValueError:
            return self.send_json(400, {"error": {"type": "invalid_prompt",
                                                  "message": "Invalid JSON", "details": "",
                                                  "extra_info": {}}, "node_errors": {}})
        entry["json"] = summarize(request)
        workflow = request.get("prompt")
        client_id = request.get("client_id")
        if not isinstance(workflow, dict) or not workflow:
            return self.send_json(400, {"error": {"type": "no_prompt", "message": "No prompt "
                                                  "provided", "details": "", "extra_info": {}},
                                        "node_errors": {}})
        if not isinstance(client_id, str) or not client_id:
            return self.send_json(400, {"error": {"type": "invalid_prompt", "message":
                                                  "client_id is required by this server",
                                                  "details": "", "extra_info": {}},
                                        "node_errors": {}})
        node_errors = {}
        outputs = []
        for node_id, node in workflow.items():
            if not isinstance(node, dict) or "class_type" not in node \
                    or not isinstance(node.get("inputs"), dict):
                return self.send_json(400, {"error": {
                    "type": "invalid_prompt", "message": "Cannot execute because a node is "
                    "missing the class_type property.", "details": "Node ID '#%s'" % node_id,
                    "extra_info": {}}, "node_errors": {}})
            cls = node["class_type"]
            if cls not in COMFY_CLASSES:
                return self.send_json(400, {"error": {
                    "type": "invalid_prompt", "message": "Cannot execute because node %s does "
                    "not exist." % cls, "details": "Node ID '#%s'" % node_id,
                    "extra_info": {}}, "node_errors": {}})
            errors = []
            for name, value in node["inputs"].items():
                if isinstance(value, list):
                    if len(value) != 2 or str(value[0]) not in workflow:
                        errors.append({"type": "invalid_link", "message": "Bad linked input",
                                       "details": name, "extra_info": {}})
                    continue
                if isinstance(value, str) and "{{" in value:
                    errors.append({"type": "invalid_input", "message": "Placeholder left in "
                                   "input", "details": "%s: %s" % (name, value),
                                   "extra_info": {}})
                if name in COMFY_INT_INPUTS and (not isinstance(value, int)
                                                 or isinstance(value, bool)):
                    errors.append({"type": "invalid_input_type", "message": "Failed to convert "
                                   "an input value to a INT value", "details": "%s, %r" % (
                                       name, value), "extra_info": {"input_name": name}})
                if name in COMFY_FLOAT_INPUTS and not isinstance(value, (int, float)):
                    errors.append({"type": "invalid_input_type", "message": "Failed to convert "
                                   "an input value to a FLOAT value", "details": name,
                                   "extra_info": {"input_name": name}})
            if cls == "LoadImage":
                with STATE.lock:
                    known = node["inputs"].get("image") in STATE.uploads
                if not known:
                    errors.append({"type": "value_not_in_list",
                                   "message": "Value not in list",
                                   "details": "image: '%s' not in []" % node["inputs"].get("image"),
                                   "extra_info": {"input_name": "image"}})
            if errors:
                node_errors[node_id] = {"errors": errors, "dependent_outputs": [],
                                        "class_type": cls}
            if cls in COMFY_OUTPUT_CLASSES:
                outputs.append(node_id)
        if not outputs:
            return self.send_json(400, {"error": {"type": "prompt_no_outputs",
                                                  "message": "Prompt has no outputs",
                                                  "details": "", "extra_info": {}},
                                        "node_errors": []})
        if node_errors:
            return self.comfy_validation_error(node_errors)

        width, height, batch, seed = self.comfy_image_shape(workflow)
        prompt_id = request.get("prompt_id")
        if prompt_id is None:
            prompt_id = str(uuid.uuid4())
        elif not isinstance(prompt_id, str) or not re.match(
                r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", prompt_id):
            return self.send_json(400, {"error": {"type": "invalid_prompt", "message":
                                                  "Invalid prompt_id", "details": "",
                                                  "extra_info": {}}, "node_errors": {}})
        else:
            with STATE.lock:
                taken = prompt_id in STATE.prompts
            if taken:
                return self.send_json(400, {"error": {"type": "invalid_prompt", "message":
                                                      "prompt_id already exists",
                                                      "details": "", "extra_info": {}},
                                            "node_errors": {}})
        with STATE.lock:
            self.comfy_queue()
            STATE.prompt_number += 1
            number = STATE.prompt_number
            busy_until = max([j["finish_at"] for j in STATE.prompts.values() if not j["done"]]
                             + [time.time()])
            job_outputs, files = {}, {}
            for node_id in outputs:
                prefix = workflow[node_id]["inputs"].get("filename_prefix", "ComfyUI")
                if workflow[node_id]["class_type"] == "SaveVideo":
                    # Core SaveVideo: the prefix's folder becomes the subfolder, the clip is
                    # listed under "images" with "animated": [true]. The clip is the file the
                    # test made ("comfy_video").
                    with open(STATE.config["comfy_video"], "rb") as f:
                        clip = f.read()
                    ext = "mp4" if clip[4:8] == b"ftyp" else "webm"
                    subfolder, stem = os.path.split(prefix)
                    filename = "%s_%05d_.%s" % (stem, number, ext)
                    files[os.path.join(subfolder, filename)] = clip
                    job_outputs[node_id] = {"images": [{"filename": filename,
                                                        "subfolder": subfolder,
                                                        "type": "output"}],
                                            "animated": [True]}
                    continue
                images = []
                for i in range(batch):
                    filename = "%s_%05d_.png" % (prefix, number * 10 + i)
                    files[filename] = png_bytes(width, height, seed + i)
                    images.append({"filename": filename, "subfolder": "",
                                   "type": "output"})
                job_outputs[node_id] = {"images": images}
            STATE.prompts[prompt_id] = {
                "number": number, "client_id": client_id, "workflow": workflow,
                "start_at": busy_until, "finish_at": busy_until + STATE.config["comfy_duration"],
                "done": False, "interrupted": False, "foreign": False,
                "error": bool(fault and fault["fault"] == "execution-error"),
                "outputs": job_outputs, "files": files}
        self.send_json(200, {"prompt_id": prompt_id, "number": number, "node_errors": {}})

    def comfy_image_shape(self, workflow):
        width, height, batch, seed = 512, 512, 1, 0
        for node in workflow.values():
            inputs = node["inputs"]
            if node["class_type"] in ("EmptyLatentImage", "EmptyImage", "ImageScale"):
                width, height = inputs.get("width", width), inputs.get("height", height)
                batch = inputs.get("batch_size", batch)
            elif node["class_type"] == "LoadImage":
                with STATE.lock:
                    size = png_size(STATE.uploads.get(inputs.get("image"), b""))
                if size:
                    width, height = size
            elif node["class_type"] == "KSampler":
                seed = inputs.get("seed", 0) % 1000
        div = STATE.config["image_divisor"]
        return width // div, height // div, max(1, min(batch, 8)), seed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--comfy-key")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls", help="a folder with cert.pem and key.pem: speak HTTPS")
    args = parser.parse_args()

    global STATE
    STATE = State(args.key, args.comfy_key)
    # A deep listen backlog: with the default of 5, a burst of connections on a busy machine
    # overflows it and a SYN retransmitted a second later looks like a slow client.
    http.server.ThreadingHTTPServer.request_queue_size = 128
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls:
        # The name each client asked for in its TLS hello (SNI), logged as "sni".
        def remember_name(sock, name, context):
            with STATE.lock:
                STATE.sni.append(name)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(args.tls, "cert.pem"),
                                os.path.join(args.tls, "key.pem"))
        context.sni_callback = remember_name
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdout.write("PORT %d\n" % server.server_port)
    sys.stdout.flush()
    # Exit when the test closes our stdin (or dies).
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
