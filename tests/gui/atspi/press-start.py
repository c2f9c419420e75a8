#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A first-time user who knows nothing but the window, through the accessibility bus.

Finds the running Sluice application on the AT-SPI bus, presses the push button named
"Start" (as a screen reader or an automated user does: by its name, with the action the
bus offers), and waits until the Run step says all items were delivered. Only the
accessibility tree is used: no coordinates, no knowledge of Qt's object names.

Usage: press-start.py EXPECTED_ITEMS TIMEOUT_SECONDS
Exit 0 when the run delivered EXPECTED_ITEMS items; 1 with a message otherwise.
"""
import re
import sys
import time

import pyatspi


def walk(node, depth=0):
    """Every accessible below node (depth-first), guarded against broken subtrees."""
    if node is None or depth > 60:
        return
    yield node
    try:
        count = node.childCount
    except Exception:  # an object that went away while walking
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def text_of(node):
    """What a screen reader reads of a label: its name, its description (Sluice keeps the
    status labels' description in step with their text) and its Text interface."""
    parts = [node.name or "", node.description or ""]
    try:
        parts.append(node.queryText().getText(0, -1))
    except Exception:
        pass
    return " | ".join(p for p in parts if p)


def find_app(deadline):
    while time.time() < deadline:
        desktop = pyatspi.Registry.getDesktop(0)
        for i in range(desktop.childCount):
            app = desktop.getChildAtIndex(i)
            if app is not None and (app.name or "").lower() in ("sluice", "sluice-app"):
                return app
        time.sleep(0.2)
    return None


def main():
    expected = int(sys.argv[1])
    deadline = time.time() + float(sys.argv[2])
    app = find_app(deadline)
    if app is None:
        print("press-start: no application named Sluice on the accessibility bus")
        return 1

    start = None
    while time.time() < deadline and start is None:
        for node in walk(app):
            try:
                role = node.getRole()
                if (node.name == "Start" and role == pyatspi.ROLE_PUSH_BUTTON
                        and node.getState().contains(pyatspi.STATE_SHOWING)
                        and node.getState().contains(pyatspi.STATE_ENABLED)):
                    start = node
                    break
            except Exception:
                continue
        if start is None:
            time.sleep(0.2)
    if start is None:
        names = sorted({n.name for n in walk(app) if n.name and n.getRole() == pyatspi.ROLE_PUSH_BUTTON})
        print("press-start: no enabled, showing push button named Start; buttons: %s" % names)
        return 1

    action = start.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    press = next((i for i, n in enumerate(names) if n.lower() in ("press", "click")), None)
    if press is None:
        print("press-start: Start offers no press action, only %s" % names)
        return 1
    action.doAction(press)
    print("press-start: pressed Start (action %r)" % names[press])

    delivered = re.compile(r"\b%d\b.*delivered|delivered\D*\b%d\b" % (expected, expected), re.I)
    seen = ""
    while time.time() < deadline:
        for node in walk(app):
            try:
                if node.getRole() != pyatspi.ROLE_LABEL:
                    continue
            except Exception:
                continue
            text = text_of(node)
            if delivered.search(text):
                print("press-start: the Run step says %r" % text)
                return 0
            if "delivered" in text.lower():
                seen = text
        time.sleep(0.3)
    print("press-start: no label says %d delivered within the time (last seen: %r)" % (expected, seen))
    return 1


if __name__ == "__main__":
    sys.exit(main())
