#!/usr/bin/env python3
"""Loads every page of a running pqcrypta-console in headless Chromium and fails
on a console error, an uncaught exception, a Content-Security-Policy violation,
a failed or >= 400 subresource, or a link to a page that does not load.

usage: console-browser-check.py BASE_URL [--screenshots DIR] [--max-pages N]
                                         [--header 'Name: value']

Drives Chromium over the DevTools protocol with the standard library only (a
minimal WebSocket client below), so the check needs nothing but Debian's
`chromium` package. Screenshots (--screenshots) are taken of the main pages.
Exit status: 0 clean, 1 problems found (listed), 2 the browser did not start.
"""
import argparse, base64, json, os, re, shutil, socket, struct, subprocess, sys, tempfile, time
from urllib.parse import urljoin, urlparse, urldefrag


class WebSocket:
    """Just enough RFC 6455 for DevTools: text frames, client masking, no extensions."""

    def __init__(self, url):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake refused: " + head.decode(errors="replace"))
        self.buffer = b""

    def send(self, text):
        data = text.encode()
        header = bytearray([0x81])
        n = len(data)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        header += mask
        self.sock.sendall(bytes(header) + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise RuntimeError("websocket closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(n)
            opcode = b0 & 0x0F
            if opcode in (0x1, 0x0):
                message += payload
                if b0 & 0x80:
                    return message.decode()
            elif opcode == 0x8:
                raise RuntimeError("websocket closed by the browser")


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="pqc-chromium-")
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            raise RuntimeError("chromium is not installed (scripts/setup.sh installs it)")
        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
             "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 60
        url = None
        while time.time() < deadline and url is None:
            line = self.proc.stderr.readline()
            if not line:
                break
            m = re.search(r"DevTools listening on (ws://\S+)", line)
            if m:
                url = m.group(1)
        if url is None:
            raise RuntimeError("chromium did not start its DevTools endpoint")
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def call(self, method, params=None, session=False, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise RuntimeError(f"{method}: no reply")

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return
        while time.time() < deadline:
            e = json.loads(self.ws.recv())
            self.events.append(e)
            if e.get("method") == method:
                return
        raise RuntimeError(f"timed out waiting for {method}")

    def close(self):
        try:
            self.ws.send(json.dumps({"id": 0, "method": "Browser.close"}))
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events):
    out = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
        elif m == "Runtime.exceptionThrown":
            out.append("exception: " + p.get("exceptionDetails", {}).get("text", ""))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            out.append(f"log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        elif m == "Network.responseReceived" and p.get("response", {}).get("status", 200) >= 400:
            out.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
        elif m == "Network.loadingFailed" and not p.get("canceled"):
            out.append(f"load failed: {p.get('errorText')} ({p.get('type')})")
    return out


SHOTS = {"/": "console-fleet.png", "/host/": "console-host.png", "/alerts": "console-alerts.png",
         "/recommendations": "console-recommendations.png", "/slos": "console-slos.png", "/logs": "console-logs.png",
         "/health": "console-health.png"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--screenshots")
    ap.add_argument("--max-pages", type=int, default=60)
    ap.add_argument("--header", action="append", default=[])
    args = ap.parse_args()
    base = args.base.rstrip("/") + "/"
    origin = urlparse(base).netloc
    try:
        browser = Browser()
    except Exception as e:
        print(f"browser: {e}", file=sys.stderr)
        return 2
    if args.header:
        headers = dict(h.split(": ", 1) for h in args.header)
        browser.call("Network.setExtraHTTPHeaders", {"headers": headers}, session=True)
    queue, seen, failures, shot_taken = [base], set(), [], set()
    loaded = 0
    try:
        while queue and loaded < args.max_pages:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            browser.events = []
            browser.call("Page.navigate", {"url": url}, session=True)
            browser.wait_for("Page.loadEventFired")
            time.sleep(0.1)
            # Drain what arrived with the load (console messages, subresources).
            browser.call("Runtime.evaluate", {"expression": "1"}, session=True)
            loaded += 1
            status = next((e["params"]["response"]["status"] for e in browser.events
                           if e.get("method") == "Network.responseReceived" and e["params"].get("type") == "Document"), None)
            found = problems_in(browser.events)
            if status is None or status >= 400:
                found.append(f"page status {status}")
            for f in found:
                failures.append(f"{url}: {f}")
            links = browser.call("Runtime.evaluate", {"returnByValue": True, "expression":
                "Array.from(document.querySelectorAll('a[href]')).map(a => a.href)"}, session=True)["result"].get("value", [])
            for link in links:
                link = urldefrag(urljoin(url, link))[0]
                if urlparse(link).netloc == origin and link not in seen and link not in queue:
                    queue.append(link)
            path = urlparse(url).path
            if args.screenshots and not urlparse(url).query:
                for prefix, name in SHOTS.items():
                    if (path == prefix or (prefix.endswith("/") and prefix != "/" and path.startswith(prefix))) and name not in shot_taken:
                        metrics = browser.call("Page.getLayoutMetrics", session=True)
                        height = min(int(metrics["cssContentSize"]["height"]), 2400)
                        shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                            "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}}, session=True)
                        os.makedirs(args.screenshots, exist_ok=True)
                        with open(os.path.join(args.screenshots, name), "wb") as f:
                            f.write(base64.b64decode(shot["data"]))
                        shot_taken.add(name)
            print(f"ok {status} {url}" if not found else f"FAIL {url}", flush=True)
    finally:
        browser.close()
    print(f"{loaded} pages loaded, {len(failures)} problems")
    for f in failures:
        print("  " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
