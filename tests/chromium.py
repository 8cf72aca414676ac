"""Headless Chromium driven through the DevTools protocol over a pipe: no Python dependency.

    with Chromium() as browser:
        page = browser.open(url)          # waits for the load event
        page.evaluate("document.title")
        page.screenshot(path)

Chromium is started with ``--remote-debugging-pipe``: it reads commands from file
descriptor 3 and writes answers and events to descriptor 4, as JSON messages ended by a
NUL byte. Debian's package (``apt-get install -y chromium``) puts it at /usr/bin/chromium.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
    "--hide-scrollbars", "--remote-debugging-pipe",
]


class BrowserError(RuntimeError):
    pass


class Chromium:
    def __init__(self, executable: Path = CHROMIUM, timeout: float = 60.0):
        self.executable = executable
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.profile: str | None = None
        self._buffer = b""
        self._next = 0
        self._events: list[dict] = []

    def __enter__(self) -> Chromium:
        if not self.executable.exists():
            raise BrowserError(f"{self.executable} is not installed (apt-get install -y chromium)")
        self.profile = tempfile.mkdtemp(prefix="minutes-chromium-")
        to_child, self._write_fd = os.pipe()
        self._read_fd, from_child = os.pipe()

        def descriptors() -> None:  # in the child, before exec: its fds 3 and 4 are the pipe ends
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.process = subprocess.Popen(
            [str(self.executable), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=descriptors, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_child)
        os.close(from_child)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                self.send("Browser.close", timeout=10)
        except (BrowserError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._write_fd, self._read_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        self.process = None
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)

    # ------------------------------------------------------------ protocol

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._read_fd, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float | None = None) -> dict:
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == ident:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def wait_event(self, method: str, session: str | None = None, timeout: float | None = None) -> dict:
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and (session is None or event.get("sessionId") == session):
                    return self._events.pop(i).get("params", {})
            event = self._read_message(deadline)
            if "method" in event:
                self._events.append(event)

    def open(self, url: str, width: int = 1200, height: int = 1600) -> Page:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session, target)
        page.send("Page.enable")
        page.send("Runtime.enable")
        page.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        page.navigate(url)
        return page


class Page:
    def __init__(self, browser: Chromium, session: str, target: str):
        self.browser = browser
        self.session = session
        self.target = target

    def front(self) -> Page:
        """Make this tab the visible one: a background tab runs no animation frames."""
        self.send("Page.bringToFront")
        return self

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def navigate(self, url: str) -> None:
        self.browser._events = [e for e in self.browser._events if e.get("method") != "Page.loadEventFired"]
        answer = self.send("Page.navigate", {"url": url})
        if answer.get("errorText"):
            raise BrowserError(f"{url}: {answer['errorText']}")
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in answer:
            raise BrowserError(f"script failed: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def key(self, key: str, code: str | None = None, text: str | None = None, virtual: int = 0) -> None:
        """Press and release one key, as a person does (trusted events: focus moves with Tab)."""
        down = {"type": "keyDown" if text else "rawKeyDown", "key": key, "code": code or key, "windowsVirtualKeyCode": virtual}
        if text:
            down["text"] = text
        self.send("Input.dispatchKeyEvent", down)
        self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": key, "code": code or key, "windowsVirtualKeyCode": virtual})

    def mouse(self, kind: str, x: float, y: float) -> None:
        params = {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" else "none", "clickCount": 1}
        self.send("Input.dispatchMouseEvent", params)

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y)
        self.mouse("mouseReleased", x, y)

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": metrics["width"], "height": metrics["height"], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        Path(path).write_bytes(base64.b64decode(data))
