#!/usr/bin/env python3
"""Draw every demo image used by the yunzhan demo sites.

All photos, covers and exhibit artworks in content/ and examples/*/content/ are
drawn here: there are no third-party images in the demo.

Usage (from the repository root):

    pip install Pillow
    python3 scripts/draw_photos.py                # draw everything (demo + examples)
    python3 scripts/draw_photos.py --only demo    # only content/
    python3 scripts/draw_photos.py --only examples
    python3 scripts/draw_photos.py --list         # print the manifest, draw nothing
    python3 scripts/draw_photos.py --check        # report missing files, draw nothing

Deterministic: every image has its own random generator seeded from its path,
no text is drawn with system fonts, and JPEGs are written without metadata, so
the same script with the same Pillow version writes the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SS = 2  # supersampling factor: draw large, then shrink for smooth edges
QUALITY = 80

# ---------------------------------------------------------------- colours

SKIN = [(241, 203, 170), (226, 184, 146), (213, 168, 130), (236, 196, 160), (200, 152, 116)]
HAIR = [(30, 26, 24), (45, 36, 30), (60, 50, 44), (20, 20, 22), (150, 150, 150), (205, 205, 205)]
CLOTHES = [
    (46, 84, 150), (38, 118, 96), (120, 72, 52), (70, 70, 78), (200, 200, 196),
    (168, 60, 52), (224, 160, 60), (92, 110, 140), (140, 150, 92), (60, 60, 110),
    (230, 226, 214), (96, 64, 110), (180, 110, 60), (52, 52, 56),
]
PANTS = [(40, 44, 60), (60, 60, 66), (30, 34, 44), (90, 80, 70), (50, 70, 110)]
RED = (200, 32, 36)
VEST = (214, 38, 40)
GOLD = (244, 196, 64)


def mix(a, b, t):
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))


def jitter(c, rng, n=12):
    return tuple(max(0, min(255, v + rng.randint(-n, n))) for v in c)


# ---------------------------------------------------------------- primitives


def vgrad(img, box, top, bottom):
    x0, y0, x1, y1 = [int(v) for v in box]
    w, h = max(1, x1 - x0), max(1, y1 - y0)
    mask = Image.linear_gradient("L").resize((w, h))
    a = Image.new("RGB", (w, h), top)
    b = Image.new("RGB", (w, h), bottom)
    img.paste(Image.composite(b, a, mask), (x0, y0))


def radial_glow(img, cx, cy, r, color, strength=0.6):
    w, h = img.size
    layer = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(layer)
    steps = 24
    for i in range(steps):
        rr = r * (1 - i / steps)
        v = int(255 * strength * (i + 1) / steps)
        d.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], fill=v)
    img.paste(Image.new("RGB", (w, h), color), (0, 0), layer.filter(ImageFilter.GaussianBlur(r / 10 + 1)))


def shadow_ellipse(img, box, alpha=70):
    w, h = img.size
    layer = Image.new("L", (w, h), 0)
    ImageDraw.Draw(layer).ellipse(box, fill=alpha)
    layer = layer.filter(ImageFilter.GaussianBlur(6 * SS))
    img.paste(Image.new("RGB", (w, h), (0, 0, 0)), (0, 0), layer)


def thick_line(d, pts, color, width):
    d.line(pts, fill=color, width=int(width), joint="curve")
    r = width / 2
    for x, y in (pts[0], pts[-1]):
        d.ellipse([x - r, y - r, x + r, y + r], fill=color)


def text_bars(d, rng, x, y, w, h, color, lines=3):
    """Pseudo-text: rows of short bars (no fonts needed)."""
    lh = h / max(lines, 1)
    for i in range(lines):
        cx = x
        end = x + w * (0.55 + 0.45 * rng.random()) if i == lines - 1 and lines > 1 else x + w
        while cx < end:
            bw = lh * rng.uniform(0.45, 0.9)
            d.rectangle([cx, y + i * lh + lh * 0.2, min(cx + bw, end), y + i * lh + lh * 0.72], fill=color)
            cx += bw + lh * rng.uniform(0.12, 0.3)


def _component(d, rng, x0, y0, x1, y1, color, w):
    kind = rng.choice(["kou", "heng", "shi", "mu", "ren", "tian", "heng"])
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if kind == "kou":
        d.rectangle([x0 + w * 0.5, y0 + w * 0.5, x1 - w * 0.5, y1 - w * 0.5], outline=color, width=w)
    elif kind == "mu":
        d.rectangle([x0 + w * 0.5, y0 + w * 0.5, x1 - w * 0.5, y1 - w * 0.5], outline=color, width=w)
        d.line([x0, cy, x1, cy], fill=color, width=w)
    elif kind == "tian":
        d.rectangle([x0 + w * 0.5, y0 + w * 0.5, x1 - w * 0.5, y1 - w * 0.5], outline=color, width=w)
        d.line([x0, cy, x1, cy], fill=color, width=w)
        d.line([cx, y0, cx, y1], fill=color, width=w)
    elif kind == "heng":
        k = rng.choice([2, 3])
        for i in range(k):
            yy = y0 + (y1 - y0) * (i + 0.5) / k
            d.line([x0 + (x1 - x0) * (0.1 if i else 0.2), yy, x1 - (x1 - x0) * 0.1, yy], fill=color, width=w)
        if rng.random() < 0.5:
            d.line([cx, y0, cx, y1], fill=color, width=w)
    elif kind == "shi":
        d.line([x0, cy, x1, cy], fill=color, width=w)
        d.line([cx, y0, cx, y1], fill=color, width=w)
    else:
        d.line([cx, y0, x0, y1], fill=color, width=w)
        d.line([cx + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.35, x1, y1], fill=color, width=w)


def hanzi_row(d, rng, x, y, size, n, color):
    """Pseudo-characters for banners: each square glyph is built from one or two
    simple components (box, bars, cross...), so it reads as Chinese text at a glance."""
    s = size
    w = max(2, int(s * 0.11))
    for i in range(n):
        gx = x + i * s * 1.15
        layout = rng.choice(["lr", "lr", "tb", "single"])
        if layout == "lr":
            split = gx + s * rng.choice([0.38, 0.45, 0.55])
            _component(d, rng, gx, y, split - s * 0.06, y + s, color, w)
            _component(d, rng, split + s * 0.06, y, gx + s, y + s, color, w)
        elif layout == "tb":
            split = y + s * rng.choice([0.4, 0.5])
            _component(d, rng, gx + s * 0.08, y, gx + s * 0.92, split - s * 0.06, color, w)
            _component(d, rng, gx, split + s * 0.06, gx + s, y + s, color, w)
        else:
            _component(d, rng, gx + s * 0.05, y + s * 0.05, gx + s * 0.95, y + s * 0.95, color, w)


def person(d, rng, x, y, h, shirt=None, pants=None, skin=None, hair=None, back=False,
           arms="down", vest=False, skirt=False, hat=None, scarf=None, white_coat=False):
    """A standing person whose feet are at (x, y) and whose height is h."""
    shirt = shirt or rng.choice(CLOTHES)
    pants = pants or rng.choice(PANTS)
    skin = skin or rng.choice(SKIN)
    hair = hair or rng.choice(HAIR)
    if white_coat:
        shirt = (240, 242, 245)
    hr = h * 0.085
    head_cy = y - h + hr
    sh_y = y - h * 0.80
    hip_y = y - h * 0.45
    sw = h * 0.13
    hw = h * 0.10
    lw = h * 0.055
    # legs
    if skirt or white_coat:
        d.polygon([(x - hw, hip_y - h * 0.02), (x + hw, hip_y - h * 0.02), (x + hw * 1.25, y - h * 0.18), (x - hw * 1.25, y - h * 0.18)],
                  fill=shirt if white_coat else mix(shirt, (0, 0, 0), 0.15))
        d.rectangle([x - hw * 0.7, y - h * 0.18, x - hw * 0.7 + lw, y], fill=pants if white_coat else skin)
        d.rectangle([x + hw * 0.7 - lw, y - h * 0.18, x + hw * 0.7, y], fill=pants if white_coat else skin)
    else:
        d.rounded_rectangle([x - hw, hip_y - h * 0.03, x - hw + lw * 1.7, y], radius=lw * 0.6, fill=pants)
        d.rounded_rectangle([x + hw - lw * 1.7, hip_y - h * 0.03, x + hw, y], radius=lw * 0.6, fill=pants)
    d.ellipse([x - hw - lw * 0.2, y - lw * 0.7, x - hw + lw * 1.9, y + lw * 0.4], fill=(30, 30, 32))
    d.ellipse([x + hw - lw * 1.9, y - lw * 0.7, x + hw + lw * 0.2, y + lw * 0.4], fill=(30, 30, 32))
    # arms
    aw = h * 0.055
    if arms == "up":
        thick_line(d, [(x - sw * 0.9, sh_y + aw), (x - sw * 1.5, sh_y - h * 0.22)], shirt, aw)
        thick_line(d, [(x + sw * 0.9, sh_y + aw), (x + sw * 1.5, sh_y - h * 0.22)], shirt, aw)
        for sx in (-1, 1):
            cx, cy = x + sx * sw * 1.5, sh_y - h * 0.24
            d.ellipse([cx - aw * 0.6, cy - aw * 0.6, cx + aw * 0.6, cy + aw * 0.6], fill=skin)
    elif arms == "one":
        thick_line(d, [(x - sw * 0.9, sh_y + aw), (x - sw * 1.05, hip_y)], shirt, aw)
        thick_line(d, [(x + sw * 0.9, sh_y + aw), (x + sw * 1.7, sh_y - h * 0.18)], shirt, aw)
        cx, cy = x + sw * 1.75, sh_y - h * 0.2
        d.ellipse([cx - aw * 0.6, cy - aw * 0.6, cx + aw * 0.6, cy + aw * 0.6], fill=skin)
    elif arms == "front":
        thick_line(d, [(x - sw * 0.9, sh_y + aw), (x - sw * 0.6, hip_y - h * 0.08), (x, hip_y - h * 0.1)], shirt, aw)
        thick_line(d, [(x + sw * 0.9, sh_y + aw), (x + sw * 0.6, hip_y - h * 0.08), (x, hip_y - h * 0.1)], shirt, aw)
    elif arms == "wide":
        thick_line(d, [(x - sw * 0.9, sh_y + aw), (x - sw * 2.0, sh_y + h * 0.05)], shirt, aw)
        thick_line(d, [(x + sw * 0.9, sh_y + aw), (x + sw * 2.0, sh_y + h * 0.05)], shirt, aw)
    else:
        thick_line(d, [(x - sw * 0.9, sh_y + aw), (x - sw * 1.1, hip_y + h * 0.02)], shirt, aw)
        thick_line(d, [(x + sw * 0.9, sh_y + aw), (x + sw * 1.1, hip_y + h * 0.02)], shirt, aw)
    # torso
    d.rounded_rectangle([x - sw, sh_y, x + sw, hip_y + h * 0.02], radius=sw * 0.45, fill=shirt)
    if vest:
        d.rounded_rectangle([x - sw * 0.95, sh_y + h * 0.01, x + sw * 0.95, hip_y], radius=sw * 0.35, fill=VEST)
        if not back:
            d.polygon([(x - sw * 0.25, sh_y), (x + sw * 0.25, sh_y), (x, sh_y + h * 0.1)], fill=shirt)
            d.ellipse([x - sw * 0.75, sh_y + h * 0.09, x - sw * 0.35, sh_y + h * 0.13], fill=GOLD)
    if scarf:
        d.polygon([(x - sw * 0.45, sh_y + h * 0.005), (x + sw * 0.45, sh_y + h * 0.005), (x + sw * 0.1, sh_y + h * 0.12),
                   (x - sw * 0.1, sh_y + h * 0.12)], fill=scarf)
    if white_coat and not back:
        d.line([x, sh_y + h * 0.04, x, hip_y + h * 0.05], fill=(200, 205, 212), width=max(1, int(h * 0.008)))
    # neck and head
    d.rectangle([x - hr * 0.35, sh_y - hr * 0.5, x + hr * 0.35, sh_y + hr * 0.2], fill=skin)
    d.ellipse([x - hr, head_cy - hr * 1.1, x + hr, head_cy + hr * 1.1], fill=skin)
    if back:
        d.ellipse([x - hr * 1.02, head_cy - hr * 1.15, x + hr * 1.02, head_cy + hr * 1.0], fill=hair)
    else:
        d.chord([x - hr * 1.05, head_cy - hr * 1.2, x + hr * 1.05, head_cy + hr * 0.6], 180, 360, fill=hair)
        ey = head_cy + hr * 0.05
        er = max(1, hr * 0.1)
        for ex in (x - hr * 0.38, x + hr * 0.38):
            d.ellipse([ex - er, ey - er, ex + er, ey + er], fill=(40, 30, 28))
        d.arc([x - hr * 0.35, head_cy + hr * 0.2, x + hr * 0.35, head_cy + hr * 0.65], 20, 160,
              fill=(150, 70, 60), width=max(1, int(hr * 0.1)))
    if hat:
        d.chord([x - hr * 1.15, head_cy - hr * 1.35, x + hr * 1.15, head_cy + hr * 0.3], 180, 360, fill=hat)
        d.rectangle([x - hr * 1.4, head_cy - hr * 0.45, x + hr * 1.4, head_cy - hr * 0.3], fill=hat)
    return head_cy


def seated_back(d, rng, x, y, s, shirt=None, hair=None, scarf=None):
    """Audience member seen from behind: shoulders at y, width about 2*s."""
    shirt = shirt or rng.choice(CLOTHES)
    hair = hair or rng.choice(HAIR + HAIR[:4])
    skin = rng.choice(SKIN)
    d.rounded_rectangle([x - s, y, x + s, y + s * 1.6], radius=s * 0.55, fill=shirt)
    if scarf:
        d.polygon([(x - s * 0.5, y + s * 0.02), (x + s * 0.5, y + s * 0.02), (x, y + s * 0.35)], fill=scarf)
    d.rectangle([x - s * 0.22, y - s * 0.3, x + s * 0.22, y + s * 0.1], fill=skin)
    hr = s * 0.5
    d.ellipse([x - hr, y - s * 1.15, x + hr, y - s * 0.12], fill=skin)
    d.ellipse([x - hr * 1.03, y - s * 1.2, x + hr * 1.03, y - s * 0.25], fill=hair)


def seated_front(d, rng, x, y, h, shirt=None, hair=None, vest=False, skin=None):
    """A person sitting (on a stool or sofa) with seat at height y; h is the seated height."""
    shirt = shirt or rng.choice(CLOTHES)
    hair = hair or rng.choice(HAIR)
    skin = skin or rng.choice(SKIN)
    pants = rng.choice(PANTS)
    sw = h * 0.2
    d.rounded_rectangle([x - sw, y - h * 0.1, x + sw * 1.6, y + h * 0.08], radius=h * 0.05, fill=pants)
    d.rectangle([x + sw * 1.2, y, x + sw * 1.55, y + h * 0.42], fill=pants)
    d.rounded_rectangle([x - sw, y - h * 0.62, x + sw, y + h * 0.02], radius=sw * 0.45, fill=shirt)
    if vest:
        d.rounded_rectangle([x - sw * 0.95, y - h * 0.6, x + sw * 0.95, y - h * 0.05], radius=sw * 0.35, fill=VEST)
    thick_line(d, [(x + sw * 0.8, y - h * 0.5), (x + sw * 1.3, y - h * 0.12)], shirt, h * 0.08)
    hr = h * 0.14
    cy = y - h * 0.62 - hr * 0.9
    d.ellipse([x - hr, cy - hr * 1.1, x + hr, cy + hr * 1.1], fill=skin)
    d.chord([x - hr * 1.05, cy - hr * 1.2, x + hr * 1.05, cy + hr * 0.6], 180, 360, fill=hair)
    er = max(1, hr * 0.1)
    for ex in (x - hr * 0.38, x + hr * 0.38):
        d.ellipse([ex - er, cy - er, ex + er, cy + er], fill=(40, 30, 28))
    d.arc([x - hr * 0.35, cy + hr * 0.15, x + hr * 0.35, cy + hr * 0.6], 20, 160, fill=(150, 70, 60), width=max(1, int(hr * 0.1)))


def crowd_rows(d, rng, W, y0, y1, rows, s0, s1, scarf_rate=0.0, density=1.0):
    """Rows of audience seen from behind, far (small, y0) to near (large, y1)."""
    for r in range(rows):
        t = r / max(rows - 1, 1)
        y = y0 + (y1 - y0) * t
        s = s0 + (s1 - s0) * t
        step = s * 2.3 / density
        x = -s + rng.uniform(0, step)
        while x < W + s:
            scarf = RED if rng.random() < scarf_rate else None
            seated_back(d, rng, x + rng.uniform(-s * 0.2, s * 0.2), y + rng.uniform(-s * 0.1, s * 0.1), s, scarf=scarf)
            x += step * rng.uniform(0.9, 1.1)


def standing_crowd(d, rng, W, y, h, n, x0=0, x1=None, **kw):
    x1 = W if x1 is None else x1
    xs = sorted(rng.uniform(x0, x1) for _ in range(n))
    for x in xs:
        person(d, rng, x, y + rng.uniform(-h * 0.04, h * 0.04), h * rng.uniform(0.9, 1.05), **kw)


def lantern(d, x, y, r, color=RED):
    d.line([x, y - r * 1.6, x, y - r], fill=(90, 60, 30), width=max(1, int(r * 0.08)))
    d.rectangle([x - r * 0.45, y - r * 1.08, x + r * 0.45, y - r * 0.85], fill=GOLD)
    d.ellipse([x - r, y - r * 0.9, x + r, y + r * 0.9], fill=color)
    for k in (-0.5, 0, 0.5):
        d.arc([x - r * abs(k) - r * 0.1, y - r * 0.9, x + r * abs(k) + r * 0.1, y + r * 0.9], 90, 270,
              fill=mix(color, (0, 0, 0), 0.25), width=max(1, int(r * 0.05)))
    d.rectangle([x - r * 0.45, y + r * 0.85, x + r * 0.45, y + r * 1.05], fill=GOLD)
    d.line([x, y + r * 1.05, x, y + r * 1.7], fill=GOLD, width=max(1, int(r * 0.12)))


def lantern_string(d, rng, x0, x1, y, sag, n, r):
    pts = []
    for i in range(n + 1):
        t = i / n
        pts.append((x0 + (x1 - x0) * t, y + sag * 4 * t * (1 - t)))
    d.line(pts, fill=(70, 50, 40), width=max(1, int(r * 0.08)))
    for i in range(1, n):
        x, yy = pts[i]
        lantern(d, x, yy + r * 1.7, r)


def banner(d, rng, x0, y0, x1, y1, color=RED, text=GOLD, glyphs=None):
    d.rectangle([x0, y0, x1, y1], fill=color)
    h = y1 - y0
    n = glyphs or max(3, int((x1 - x0) / (h * 0.9)) - 2)
    size = h * 0.55
    total = n * size * 1.15
    hanzi_row(d, rng, x0 + (x1 - x0 - total) / 2, y0 + h * 0.22, size, n, text)


def mountains(d, rng, W, base, height, color, snow=None, peaks=5):
    pts = [(0, base)]
    for i in range(peaks * 2 + 1):
        x = W * i / (peaks * 2)
        y = base - height * (rng.uniform(0.55, 1.0) if i % 2 else rng.uniform(0.15, 0.4))
        pts.append((x, y))
    pts.append((W, base))
    d.polygon(pts, fill=color)
    if snow:
        for i in range(1, len(pts) - 1):
            x, y = pts[i]
            if y < base - height * 0.55:
                d.polygon([(x, y), (x - height * 0.12, y + height * 0.12), (x + height * 0.12, y + height * 0.12)], fill=snow)


def tree(d, rng, x, y, h, leaf=(70, 130, 70)):
    d.rectangle([x - h * 0.04, y - h * 0.45, x + h * 0.04, y], fill=(100, 72, 50))
    for _ in range(5):
        rr = h * rng.uniform(0.18, 0.26)
        cx = x + rng.uniform(-h * 0.15, h * 0.15)
        cy = y - h * rng.uniform(0.55, 0.85)
        d.ellipse([cx - rr, cy - rr, cx + rr, cy + rr], fill=jitter(leaf, rng, 14))


def building_block(d, rng, x0, y0, x1, y1, wall, win=(170, 200, 225), rows=None, cols=None):
    d.rectangle([x0, y0, x1, y1], fill=wall)
    w, h = x1 - x0, y1 - y0
    cols = cols or max(2, int(w / 60 / SS))
    rows = rows or max(2, int(h / 70 / SS))
    cw, rh = w / cols, h / rows
    for r in range(rows):
        for c in range(cols):
            d.rectangle([x0 + c * cw + cw * 0.2, y0 + r * rh + rh * 0.2, x0 + c * cw + cw * 0.8, y0 + r * rh + rh * 0.7],
                        fill=jitter(win, rng, 10))


def curved_roof(d, x0, x1, y, h, color, eave=0.08):
    w = x1 - x0
    pts = [(x0 - w * eave, y - h * 0.18)]
    for i in range(1, 10):
        t = i / 10
        pts.append((x0 - w * eave + (w * (1 + 2 * eave)) * t, y - h * (0.18 + 0.82 * math.sin(math.pi * t) ** 0.35) + h * 0.0))
    pts.append((x1 + w * eave, y - h * 0.18))
    pts.append((x1 + w * eave * 0.6, y))
    pts.append((x0 - w * eave * 0.6, y))
    d.polygon(pts, fill=color)


# ---------------------------------------------------------------- scenes
# Every scene takes (img, d, rng, W, H, **opts) and draws on a W x H canvas.


def sc_indoor_stage(img, d, rng, W, H, performers="speaker", backdrop="red", audience=True, scarves=0.0,
                    screen=False, wall=(232, 222, 204)):
    vgrad(img, (0, 0, W, H), wall, mix(wall, (120, 100, 80), 0.35))
    stage_y = H * (0.58 if audience else 0.8)
    # backdrop
    bx0, bx1, by0, by1 = W * 0.12, W * 0.88, H * 0.08, stage_y - H * 0.02
    if backdrop == "red":
        vgrad(img, (bx0, by0, bx1, by1), (196, 30, 34), (150, 18, 24))
        banner(d, rng, bx0 + W * 0.06, by0 + H * 0.05, bx1 - W * 0.06, by0 + H * 0.14, color=(176, 20, 26))
        for i in range(4):
            d.ellipse([bx0 + W * 0.08 + i * W * 0.19, by0 + H * 0.2, bx0 + W * 0.12 + i * W * 0.19, by0 + H * 0.26], fill=GOLD)
    else:
        vgrad(img, (bx0, by0, bx1, by1), (34, 58, 110), (20, 34, 70))
    if screen:
        sx0, sx1 = W * 0.56, W * 0.84
        d.rectangle([sx0, H * 0.16, sx1, H * 0.4], fill=(236, 240, 246))
        d.rectangle([sx0 + W * 0.02, H * 0.19, sx1 - W * 0.02, H * 0.23], fill=(196, 40, 40))
        text_bars(d, rng, sx0 + W * 0.02, H * 0.26, sx1 - sx0 - W * 0.04, H * 0.11, (120, 128, 140), lines=3)
    # stage floor
    d.rectangle([0, stage_y, W, stage_y + H * 0.05], fill=(120, 70, 44))
    d.rectangle([0, stage_y + H * 0.05, W, H], fill=(150, 120, 96))
    # lights
    for i in range(5):
        radial_glow(img, W * (0.1 + 0.2 * i), H * 0.02, H * 0.12, (255, 245, 210), 0.35)
    d = ImageDraw.Draw(img)
    ph = H * 0.36 if audience else H * 0.55
    fy = stage_y + H * 0.01
    if performers == "speaker":
        x = W * 0.3
        person(d, rng, x, fy, ph, shirt=(40, 50, 80), arms="one")
        d.polygon([(x + W * 0.03, fy - ph * 0.5), (x + W * 0.11, fy - ph * 0.5), (x + W * 0.1, fy), (x + W * 0.04, fy)], fill=(110, 66, 40))
        d.rectangle([x + W * 0.025, fy - ph * 0.53, x + W * 0.115, fy - ph * 0.48], fill=(140, 86, 52))
    elif performers == "police":
        person(d, rng, W * 0.32, fy, ph, shirt=(32, 52, 100), arms="one", hat=(32, 52, 100))
    elif performers == "clapper":
        for i, x in enumerate([W * 0.36, W * 0.5, W * 0.64][: rng.choice([2, 3])]):
            person(d, rng, x, fy, ph * rng.uniform(0.95, 1.03), shirt=(190, 30, 36) if i % 2 == 0 else (230, 200, 120), arms="front")
            d.rectangle([x - ph * 0.03, fy - ph * 0.62, x + ph * 0.03, fy - ph * 0.5], fill=(196, 160, 96))
    elif performers in ("kids", "kid"):
        n = 1 if performers == "kid" else rng.choice([4, 5])
        for i in range(n):
            x = W * 0.5 + (i - (n - 1) / 2) * W * 0.11
            person(d, rng, x, fy, ph * 0.7, shirt=(240, 240, 240), pants=(30, 40, 90), scarf=RED,
                   arms="up" if n > 1 and rng.random() < 0.5 else ("one" if n == 1 else "down"))
        if n == 1:
            d.line([W * 0.5 + ph * 0.14, fy - ph * 0.55, W * 0.5 + ph * 0.14, fy], fill=(40, 40, 40), width=int(ph * 0.015))
    elif performers == "dance":
        for i in range(6):
            x = W * (0.2 + 0.12 * i)
            person(d, rng, x + rng.uniform(-10, 10), fy - (i % 2) * H * 0.02, ph * 0.72, shirt=(214, 36, 40),
                   arms="up" if i % 2 else "wide", skirt=True)
    elif performers == "keyboard":
        person(d, rng, W * 0.33, fy, ph, shirt=(40, 50, 80), arms="one")
        d.rectangle([W * 0.55, fy - ph * 0.42, W * 0.78, fy - ph * 0.36], fill=(30, 30, 34))
        for k in range(18):
            d.rectangle([W * 0.553 + k * W * 0.0125, fy - ph * 0.415, W * 0.553 + k * W * 0.0125 + W * 0.009, fy - ph * 0.375], fill=(245, 245, 245))
        d.line([W * 0.58, fy - ph * 0.36, W * 0.58, fy], fill=(30, 30, 34), width=int(W * 0.006))
        d.line([W * 0.75, fy - ph * 0.36, W * 0.75, fy], fill=(30, 30, 34), width=int(W * 0.006))
        seated_front(d, rng, W * 0.68, fy - ph * 0.3, ph * 0.6)
    if audience:
        crowd_rows(d, rng, W, H * 0.7, H * 0.98, rows=3, s0=H * 0.035, s1=H * 0.07, scarf_rate=scarves)


def sc_outdoor_stage(img, d, rng, W, H, season="summer", performers="singer", lanterns=True, cheer=False):
    top, bot = ((120, 170, 225), (210, 230, 245)) if season == "summer" else ((170, 190, 210), (230, 232, 236))
    vgrad(img, (0, 0, W, H * 0.55), top, bot)
    ground = (206, 196, 176) if season == "summer" else (214, 210, 204)
    d.rectangle([0, H * 0.55, W, H], fill=ground)
    for i in range(7):
        x = W * (0.02 + 0.15 * i)
        building_block(d, rng, x, H * rng.uniform(0.3, 0.4), x + W * 0.11, H * 0.55,
                       jitter((210, 190, 160), rng, 20), rows=3, cols=3)
    if season == "winter":
        for i in range(8):
            tree(d, rng, W * (0.05 + 0.13 * i), H * 0.56, H * 0.2, leaf=(140, 130, 120))
    # stage
    sx0, sx1, sy = W * 0.22, W * 0.78, H * 0.6
    d.rectangle([sx0, sy - H * 0.42, sx1, sy], fill=(190, 28, 32))
    d.rectangle([sx0 - W * 0.02, sy - H * 0.46, sx1 + W * 0.02, sy - H * 0.42], fill=(120, 80, 50))
    banner(d, rng, sx0 + W * 0.04, sy - H * 0.39, sx1 - W * 0.04, sy - H * 0.31, color=(170, 18, 24))
    d.rectangle([sx0 - W * 0.02, sy, sx1 + W * 0.02, sy + H * 0.05], fill=(110, 70, 50))
    if lanterns:
        for x in (sx0 + W * 0.02, sx1 - W * 0.02):
            lantern(d, x, sy - H * 0.36, H * 0.035)
        lantern_string(d, rng, 0, W, H * 0.06, H * 0.06, 9, H * 0.022)
    ph = H * 0.25
    if performers == "singer":
        person(d, rng, W * 0.45, sy, ph, shirt=(50, 60, 90), arms="front")
        d.rectangle([W * 0.46, sy - ph * 0.55, W * 0.6, sy - ph * 0.5], fill=(120, 72, 40))
        seated_front(d, rng, W * 0.6, sy - ph * 0.3, ph * 0.65, shirt=(40, 40, 44))
        d.ellipse([W * 0.545, sy - ph * 0.5, W * 0.585, sy - ph * 0.36], fill=(150, 100, 50))
        d.line([W * 0.565, sy - ph * 0.45, W * 0.64, sy - ph * 0.85], fill=(90, 60, 30), width=int(H * 0.007))
    elif performers == "kids":
        for i in range(4):
            person(d, rng, W * (0.36 + 0.09 * i), sy, ph * 0.7, shirt=(240, 240, 240), pants=(30, 40, 90), scarf=RED,
                   arms="up" if i % 2 else "down")
    elif performers == "kid":
        person(d, rng, W * 0.5, sy, ph * 0.72, shirt=(240, 240, 240), pants=(30, 40, 90), scarf=RED, arms="one")
        d.line([W * 0.5 + ph * 0.12, sy - ph * 0.5, W * 0.5 + ph * 0.12, sy], fill=(40, 40, 40), width=int(ph * 0.02))
    elif performers == "speaker":
        person(d, rng, W * 0.5, sy, ph, shirt=(60, 60, 70), arms="one")
    elif performers == "clapper":
        for i in range(3):
            person(d, rng, W * (0.4 + 0.1 * i), sy, ph, shirt=(196, 36, 40) if i != 1 else (230, 200, 120), arms="front")
    coat = (70, 60, 60) if season == "winter" else None
    for r in range(3):
        y = H * (0.78 + r * 0.1)
        h = H * (0.22 + r * 0.06)
        for x in sorted(rng.uniform(0, W) for _ in range(9 + r * 2)):
            person(d, rng, x, y + rng.uniform(-h * 0.04, h * 0.04), h * rng.uniform(0.9, 1.05), back=True,
                   shirt=coat if coat and rng.random() < 0.5 else None,
                   arms="up" if cheer and rng.random() < 0.45 else "down")


def sc_courtyard(img, d, rng, W, H, old=False, chess=True, volunteers=2, wall_cards=False, boards=False, laundry=False,
                 park=False, lecture=False):
    vgrad(img, (0, 0, W, H * 0.56), (150, 190, 230) if not old else (176, 184, 190), (220, 232, 240) if not old else (206, 206, 204))
    d = ImageDraw.Draw(img)
    wall = (196, 170, 140) if not old else (150, 140, 128)
    if park:
        for i in range(8):
            tree(d, rng, W * (0.02 + 0.14 * i), H * 0.58, H * rng.uniform(0.45, 0.6), leaf=(70, 140, 80))
        d.rectangle([0, H * 0.55, W, H], fill=(150, 186, 120))
        d.polygon([(W * 0.35, H * 0.78), (W * 0.65, H * 0.78), (W * 0.8, H), (W * 0.2, H)], fill=(206, 196, 176))
    else:
        building_block(d, rng, 0, H * 0.05, W * 0.42, H * 0.55, wall, rows=5, cols=5)
        building_block(d, rng, W * 0.58, H * 0.08, W, H * 0.55, mix(wall, (255, 255, 255), 0.1), rows=5, cols=5)
        ground = (190, 186, 176) if not old else (150, 146, 138)
        d.rectangle([0, H * 0.55, W, H], fill=ground)
    if old:
        for _ in range(30):
            x, y = rng.uniform(0, W), rng.uniform(H * 0.08, H * 0.5)
            d.ellipse([x, y, x + W * 0.02, y + H * 0.015], fill=mix(wall, (90, 86, 80), 0.5))
    # pavilion
    px0, px1, pt, pb = W * 0.3, W * 0.7, H * 0.3, H * 0.78
    roof = (160, 40, 36) if not old else (110, 70, 60)
    col = (190, 40, 40) if not old else (130, 80, 70)
    curved_roof(d, px0, px1, pt + H * 0.06, H * 0.16, roof)
    for x in (px0 + W * 0.02, px1 - W * 0.03):
        d.rectangle([x, pt + H * 0.06, x + W * 0.012, pb], fill=col)
    d.rectangle([px0 - W * 0.02, pb, px1 + W * 0.02, pb + H * 0.03], fill=(160, 154, 146))
    if park:
        d.rectangle([px0 + W * 0.03, H * 0.66, px1 - W * 0.04, H * 0.68], fill=(150, 100, 60))
        for k in range(4):
            seated_front(d, rng, px0 + W * (0.07 + 0.085 * k), H * 0.68, H * 0.27, hair=rng.choice(HAIR[3:]))
        person(d, rng, W * 0.82, H * 0.92, H * 0.48, vest=True, arms="one")
        return
    if lecture:
        person(d, rng, W * 0.5, H * 0.76, H * 0.36, shirt=(32, 52, 100), hat=(32, 52, 100), arms="one")
        crowd_rows(d, rng, W, H * 0.84, H * 0.98, rows=2, s0=H * 0.045, s1=H * 0.06)
        return
    if boards:
        for i in range(3):
            x = W * (0.03 + 0.09 * i)
            d.rectangle([x, H * 0.48, x + W * 0.08, H * 0.68], fill=(250, 248, 240))
            d.rectangle([x, H * 0.48, x + W * 0.08, H * 0.52], fill=RED)
            text_bars(d, rng, x + W * 0.008, H * 0.54, W * 0.064, H * 0.1, (100, 100, 110), 4)
            d.line([x + W * 0.01, H * 0.68, x + W * 0.01, H * 0.76], fill=(90, 90, 90), width=int(W * 0.004))
            d.line([x + W * 0.07, H * 0.68, x + W * 0.07, H * 0.76], fill=(90, 90, 90), width=int(W * 0.004))
    if wall_cards:
        x0, y0 = W * 0.72, H * 0.42
        d.rectangle([x0, y0, x0 + W * 0.24, y0 + H * 0.3], fill=(236, 226, 206))
        d.rectangle([x0, y0, x0 + W * 0.24, y0 + H * 0.04], fill=RED)
        cols = [(250, 210, 90), (240, 150, 150), (150, 200, 240), (170, 220, 160), (250, 180, 120)]
        for r in range(3):
            for c in range(5):
                cx = x0 + W * 0.01 + c * W * 0.046
                cy = y0 + H * 0.06 + r * H * 0.08
                d.rectangle([cx, cy, cx + W * 0.038, cy + H * 0.06], fill=rng.choice(cols))
        person(d, rng, x0 - W * 0.02, H * 0.95, H * 0.5, vest=True, arms="one", back=True)
    if laundry:
        d.line([W * 0.05, H * 0.45, W * 0.95, H * 0.5], fill=(80, 80, 80), width=int(H * 0.004))
        for i in range(5):
            x = W * (0.08 + 0.18 * i)
            y = H * (0.45 + 0.05 * (x / W))
            c = rng.choice([(236, 214, 170), (200, 220, 236), (240, 200, 200), (220, 230, 200)])
            d.rectangle([x, y, x + W * 0.14, y + H * 0.3], fill=c)
            for k in range(5):
                d.line([x + W * 0.028 * k + W * 0.01, y, x + W * 0.028 * k + W * 0.01, y + H * 0.3], fill=mix(c, (0, 0, 0), 0.1), width=int(W * 0.003))
        for i in range(3):
            person(d, rng, W * (0.25 + 0.25 * i), H * 0.96, H * 0.42, vest=True, arms="up" if i == 1 else "down")
        return
    if chess:
        tx = W * 0.5
        d.rectangle([tx - W * 0.07, H * 0.66, tx + W * 0.07, H * 0.69], fill=(200, 180, 140))
        d.rectangle([tx - W * 0.01, H * 0.69, tx + W * 0.01, H * 0.76], fill=(150, 130, 100))
        for k in range(8):
            d.ellipse([tx - W * 0.06 + k * W * 0.016, H * 0.655, tx - W * 0.05 + k * W * 0.016, H * 0.665], fill=(200, 60, 40) if k % 2 else (60, 60, 60))
        seated_front(d, rng, tx - W * 0.12, H * 0.7, H * 0.3, hair=rng.choice(HAIR[4:]))
        seated_front(d, rng, tx + W * 0.1, H * 0.7, H * 0.3, hair=rng.choice(HAIR[4:]))
    for i in range(volunteers):
        person(d, rng, W * (0.12 + 0.72 * i / max(volunteers - 1, 1)) if volunteers > 1 else W * 0.82, H * 0.93,
               H * 0.45, vest=True, arms="down" if i % 2 else "front")


def sc_farmyard(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H * 0.4), (130, 185, 235), (215, 232, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([0, H * 0.18, W, H * 0.5], fill=(196, 150, 110))
    for r in range(8):
        for c in range(24):
            x = W * c / 24 + (r % 2) * W / 48
            y = H * (0.18 + 0.04 * r)
            d.rectangle([x, y, x + W / 24 - W * 0.003, y + H * 0.04 - H * 0.004], fill=jitter((184, 120, 84), rng, 10))
    d.rectangle([W * 0.3, H * 0.1, W * 0.7, H * 0.5], fill=(226, 214, 190))
    curved_roof(d, W * 0.3, W * 0.7, H * 0.12, H * 0.1, (90, 90, 96), eave=0.05)
    d.rectangle([W * 0.45, H * 0.26, W * 0.55, H * 0.5], fill=(160, 40, 34))
    for x in (W * 0.425, W * 0.555):
        d.rectangle([x, H * 0.24, x + W * 0.02, H * 0.46], fill=RED)
    d.rectangle([W * 0.44, H * 0.2, W * 0.56, H * 0.235], fill=RED)
    for x in (W * 0.34, W * 0.6):
        d.rectangle([x, H * 0.26, x + W * 0.06, H * 0.36], fill=(170, 200, 220), outline=(120, 80, 50), width=int(W * 0.004))
    for k in range(5):
        d.ellipse([W * 0.22, H * (0.22 + 0.045 * k), W * 0.25, H * (0.27 + 0.045 * k)], fill=(240, 190, 40))
    tree(d, rng, W * 0.88, H * 0.55, H * 0.6, leaf=(80, 140, 70))
    d.rectangle([0, H * 0.5, W, H], fill=(200, 186, 160))
    # speaker on a stool, villagers around
    cx, cy = W * 0.5, H * 0.72
    d.rectangle([cx - W * 0.03, cy, cx + W * 0.03, cy + H * 0.015], fill=(150, 100, 60))
    seated_front(d, rng, cx, cy, H * 0.3, vest=True)
    d.rectangle([cx + W * 0.04, cy - H * 0.2, cx + W * 0.07, cy - H * 0.15], fill=(250, 250, 250))
    for i in range(4):
        a = math.pi * (0.05 + 0.9 * i / 3)
        x = cx - math.cos(a) * W * 0.32
        seated_front(d, rng, x, H * 0.66 - math.sin(a) * H * 0.02, H * 0.24, hair=rng.choice(HAIR))
    for i in range(6):
        x = W * (0.1 + 0.16 * i)
        seated_back(d, rng, x, H * 0.9, H * 0.06)


def sc_consult(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H * 0.5), (130, 180, 230), (215, 232, 246))
    d.rectangle([0, H * 0.5, W, H], fill=(196, 190, 180))
    for i in range(6):
        building_block(d, rng, W * (0.17 * i), H * 0.2, W * (0.17 * i + 0.14), H * 0.5, jitter((214, 196, 170), rng, 14))
    # arch banner
    d.rectangle([W * 0.08, H * 0.16, W * 0.92, H * 0.25], fill=RED)
    banner(d, rng, W * 0.1, H * 0.165, W * 0.9, H * 0.245)
    d.rectangle([W * 0.08, H * 0.16, W * 0.1, H * 0.62], fill=(170, 20, 26))
    d.rectangle([W * 0.9, H * 0.16, W * 0.92, H * 0.62], fill=(170, 20, 26))
    for tx in (W * 0.28, W * 0.66):
        for k in range(2):
            person(d, rng, tx - W * 0.06 + k * W * 0.12, H * 0.6, H * 0.3, vest=True)
        d.rectangle([tx - W * 0.13, H * 0.56, tx + W * 0.13, H * 0.6], fill=(200, 30, 34))
        d.rectangle([tx - W * 0.13, H * 0.6, tx + W * 0.13, H * 0.72], fill=(176, 22, 28))
        for k in range(5):
            x = tx - W * 0.11 + k * W * 0.045
            d.rectangle([x, H * 0.535, x + W * 0.03, H * 0.56], fill=rng.choice([(250, 250, 250), (250, 230, 160), (200, 230, 250)]))
    standing_crowd(d, rng, W, H * 0.98, H * 0.4, 7, back=True)


def sc_basketball(img, d, rng, W, H, crowd=False, jump=False):
    vgrad(img, (0, 0, W, H * 0.45), (240, 180, 120), (250, 225, 190))
    mountains(d, rng, W, H * 0.42, H * 0.22, (150, 160, 180), snow=(245, 245, 250), peaks=6)
    d.rectangle([0, H * 0.42, W, H * 0.5], fill=(110, 140, 90))
    d.polygon([(0, H * 0.5), (W, H * 0.5), (W, H), (0, H)], fill=(60, 110, 150))
    d.polygon([(W * 0.08, H * 0.56), (W * 0.92, H * 0.56), (W * 1.1, H), (-W * 0.1, H)], fill=(200, 110, 70))
    lw = int(H * 0.006)
    d.line([(W * 0.08, H * 0.56), (W * 0.92, H * 0.56)], fill=(250, 250, 250), width=lw)
    d.arc([W * 0.3, H * 0.42, W * 0.7, H * 0.8], 0, 180, fill=(250, 250, 250), width=lw)
    # hoop
    hx = W * 0.5 if not crowd else W * 0.8
    d.rectangle([hx - W * 0.006, H * 0.2, hx + W * 0.006, H * 0.58], fill=(80, 80, 90))
    d.rectangle([hx - W * 0.06, H * 0.14, hx + W * 0.06, H * 0.24], fill=(245, 245, 245), outline=(60, 60, 70), width=lw)
    d.ellipse([hx - W * 0.03, H * 0.235, hx + W * 0.03, H * 0.255], outline=(230, 90, 30), width=lw * 2)
    if crowd:
        for r in range(3):
            d.rectangle([0, H * (0.5 + r * 0.1), W * 0.55, H * (0.52 + r * 0.1)], fill=(150, 150, 160))
            standing_crowd(d, rng, W, H * (0.6 + r * 0.1), H * (0.12 + r * 0.03), 12 + r * 3, x0=0, x1=W * 0.55)
        for i in range(3):
            person(d, rng, W * (0.66 + 0.1 * i), H * 0.9, H * 0.35, shirt=(200, 30, 40) if i % 2 else (40, 80, 170),
                   arms="up" if i == 1 else "down")
        return
    n = 6
    for i in range(n):
        x = W * (0.2 + 0.12 * i)
        red = i % 2 == 0
        up = jump and i in (2, 3)
        person(d, rng, x, H * (0.86 if not up else 0.78) + (i % 3) * H * 0.04, H * 0.42,
               shirt=(200, 30, 40) if red else (40, 80, 170), pants=(200, 30, 40) if red else (40, 80, 170),
               arms="up" if (up or i == 3) else rng.choice(["down", "wide"]))
    bx, by = (W * 0.47, H * 0.3) if jump else (W * 0.52, H * 0.38)
    d.ellipse([bx - H * 0.03, by - H * 0.03, bx + H * 0.03, by + H * 0.03], fill=(220, 110, 40), outline=(90, 40, 20), width=lw)


def sc_grassland(img, d, rng, W, H, mode="circle"):
    vgrad(img, (0, 0, W, H * 0.45), (90, 150, 220), (200, 225, 245))
    for _ in range(4):
        cx, cy = rng.uniform(0, W), rng.uniform(H * 0.05, H * 0.2)
        for k in range(4):
            r = H * rng.uniform(0.03, 0.05)
            d.ellipse([cx + k * r - r, cy - r, cx + k * r + r, cy + r], fill=(250, 250, 252))
    mountains(d, rng, W, H * 0.45, H * 0.28, (110, 130, 160), snow=(246, 246, 250), peaks=5)
    mountains(d, rng, W, H * 0.5, H * 0.12, (80, 140, 90), peaks=4)
    vgrad(img, (0, H * 0.5, W, H), (110, 170, 90), (70, 140, 60))
    d = ImageDraw.Draw(img)
    for i in range(2 if mode != "group" else 3):
        x, y, r = W * (0.1 + 0.22 * i), H * 0.62, H * 0.1
        d.rectangle([x - r, y - r * 0.5, x + r, y + r * 0.4], fill=(246, 244, 236))
        d.pieslice([x - r, y - r * 1.3, x + r, y + r * 0.3], 180, 360, fill=(246, 244, 236))
        d.rectangle([x - r, y - r * 0.55, x + r, y - r * 0.4], fill=(180, 40, 40))
        d.rectangle([x - r * 0.2, y - r * 0.1, x + r * 0.2, y + r * 0.4], fill=(170, 110, 60))
    if mode == "group":
        for r_ in range(2):
            for i in range(8):
                person(d, rng, W * (0.25 + 0.07 * i + r_ * 0.035), H * (0.84 + r_ * 0.1), H * 0.34,
                       vest=i in (2, 5), arms="down")
        return
    if mode == "dombra":
        sx = W * 0.62
        seated_front(d, rng, sx, H * 0.72, H * 0.32, shirt=(40, 60, 120))
        d.ellipse([sx - H * 0.05, H * 0.6, sx + H * 0.03, H * 0.68], fill=(170, 110, 50))
        d.line([sx - H * 0.01, H * 0.64, sx + H * 0.18, H * 0.5], fill=(110, 70, 30), width=int(H * 0.012))
    else:
        person(d, rng, W * 0.62, H * 0.74, H * 0.34, shirt=(40, 60, 120), arms="one")
        d.rectangle([W * 0.655, H * 0.49, W * 0.685, H * 0.53], fill=(250, 250, 250))
    for i in range(9):
        a = math.pi * (0.15 + 0.7 * i / 8)
        x = W * 0.62 + math.cos(a) * W * 0.32
        y = H * 0.86 + math.sin(a) * H * 0.06 - H * 0.02
        seated_back(d, rng, x, y, H * 0.045, shirt=rng.choice(CLOTHES))


def sc_night_festival(img, d, rng, W, H, mode="lanterns"):
    vgrad(img, (0, 0, W, H), (12, 18, 48), (60, 40, 70))
    d = ImageDraw.Draw(img)
    for i in range(6):
        building_block(d, rng, W * (0.17 * i), H * rng.uniform(0.25, 0.4), W * (0.17 * i + 0.15), H * 0.65,
                       (40, 40, 60), win=(240, 200, 120))
    d.rectangle([0, H * 0.65, W, H], fill=(70, 60, 66))
    if mode == "fireworks":
        for _ in range(4):
            cx, cy, r = rng.uniform(W * 0.15, W * 0.85), rng.uniform(H * 0.1, H * 0.3), H * rng.uniform(0.08, 0.14)
            col = rng.choice([(255, 210, 90), (255, 120, 120), (150, 220, 255), (200, 255, 160)])
            for k in range(28):
                a = 2 * math.pi * k / 28
                d.line([cx + math.cos(a) * r * 0.3, cy + math.sin(a) * r * 0.3, cx + math.cos(a) * r, cy + math.sin(a) * r],
                       fill=col, width=int(H * 0.004))
                d.ellipse([cx + math.cos(a) * r - 3, cy + math.sin(a) * r - 3, cx + math.cos(a) * r + 3, cy + math.sin(a) * r + 3], fill=(255, 255, 240))
    for k in range(3 if mode == "lanterns" else 1):
        lantern_string(d, rng, -W * 0.05, W * 1.05, H * (0.05 + 0.12 * k), H * 0.08, 8 + k, H * (0.03 - k * 0.004))
    radial_glow(img, W * 0.5, H * 0.75, H * 0.4, (255, 160, 80), 0.25)
    d = ImageDraw.Draw(img)
    if mode == "parade":
        # lion
        lx, ly = W * 0.42, H * 0.78
        d.ellipse([lx - W * 0.12, ly - H * 0.16, lx + W * 0.1, ly + H * 0.02], fill=(220, 40, 30))
        for k in range(9):
            d.ellipse([lx - W * 0.12 + k * W * 0.024, ly - H * 0.19, lx - W * 0.1 + k * W * 0.024, ly - H * 0.13], fill=GOLD)
        d.ellipse([lx + W * 0.06, ly - H * 0.24, lx + W * 0.16, ly - H * 0.08], fill=(230, 50, 30))
        d.ellipse([lx + W * 0.1, ly - H * 0.2, lx + W * 0.125, ly - H * 0.17], fill=(255, 255, 255))
        d.ellipse([lx + W * 0.108, ly - H * 0.194, lx + W * 0.12, ly - H * 0.18], fill=(0, 0, 0))
        for k in range(4):
            d.rectangle([lx - W * 0.1 + k * W * 0.05, ly, lx - W * 0.085 + k * W * 0.05, ly + H * 0.1], fill=(240, 200, 60))
        for i in range(4):
            person(d, rng, W * (0.62 + 0.09 * i), H * 0.88, H * 0.3, shirt=rng.choice([(230, 60, 120), (60, 150, 220), (240, 190, 40)]),
                   arms="wide", skirt=True)
    standing_crowd(d, rng, W, H * 1.02, H * 0.3, 14, back=True, shirt=None)
    if mode == "fireworks":
        for i in range(5):
            x = W * (0.1 + 0.2 * i)
            d.rectangle([x, H * 0.76, x + W * 0.02, H * 0.79], fill=(20, 20, 24))
            d.rectangle([x + W * 0.004, H * 0.765, x + W * 0.016, H * 0.785], fill=(160, 200, 255))


def sc_rapeseed(img, d, rng, W, H, people=False):
    vgrad(img, (0, 0, W, H * 0.42), (70, 140, 220), (190, 220, 245))
    mountains(d, rng, W, H * 0.42, H * 0.16, (90, 120, 110), peaks=4)
    d.rectangle([0, H * 0.42, W, H], fill=(246, 208, 40))
    for i in range(24):
        y = H * 0.42 + (H * 0.58) * (i / 24) ** 1.6
        d.line([0, y, W, y], fill=(226, 180, 30), width=max(1, int(H * 0.002 * (1 + i * 0.2))))
    for _ in range(400):
        y = rng.uniform(H * 0.45, H)
        x = rng.uniform(0, W)
        r = H * 0.002 + (y - H * 0.42) / H * H * 0.012
        d.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice([(252, 226, 60), (236, 190, 20), (255, 236, 110)]))
    if people:
        d.polygon([(W * 0.45, H), (W * 0.55, H), (W * 0.51, H * 0.45), (W * 0.49, H * 0.45)], fill=(200, 180, 150))
        for i, (x, y, h) in enumerate([(0.47, 0.75, 0.3), (0.53, 0.85, 0.4), (0.5, 0.62, 0.18)]):
            person(d, rng, W * x, H * y, H * h, arms="one" if i == 0 else "front")
        for i in range(6):
            x = W * (0.56 + 0.06 * i)
            d.line([x, H * 0.5, x, H * 0.62], fill=(120, 90, 60), width=int(H * 0.004))
            d.polygon([(x, H * 0.5), (x + W * 0.025, H * 0.515), (x, H * 0.53)], fill=rng.choice([RED, (40, 120, 220), GOLD]))


def room(img, d, rng, W, H, wall=(238, 226, 204), floor=(176, 140, 104), window=True, curtains=(190, 150, 110), bright=False):
    vgrad(img, (0, 0, W, H * 0.7), wall, mix(wall, (160, 140, 120), 0.25))
    vgrad(img, (0, H * 0.7, W, H), floor, mix(floor, (60, 40, 30), 0.3))
    d = ImageDraw.Draw(img)
    if window:
        wx0, wx1, wy0, wy1 = W * 0.55, W * 0.85, H * 0.12, H * 0.5
        vgrad(img, (wx0, wy0, wx1, wy1), (170, 210, 240) if not bright else (220, 240, 255), (230, 240, 248))
        d = ImageDraw.Draw(img)
        d.rectangle([wx0, wy0, wx1, wy1], outline=(250, 250, 250), width=int(W * 0.008))
        d.line([(wx0 + wx1) / 2, wy0, (wx0 + wx1) / 2, wy1], fill=(250, 250, 250), width=int(W * 0.006))
        if curtains:
            d.rectangle([wx0 - W * 0.04, wy0 - H * 0.05, wx1 + W * 0.04, wy0 - H * 0.035], fill=(120, 100, 80))
            for side in (0, 1):
                x0 = wx0 - W * 0.05 if side == 0 else wx1 - W * 0.02
                d.rectangle([x0, wy0 - H * 0.035, x0 + W * 0.07, wy1 + H * 0.12], fill=curtains)
                for k in range(4):
                    d.line([x0 + W * 0.015 * (k + 1), wy0 - H * 0.03, x0 + W * 0.015 * (k + 1), wy1 + H * 0.12],
                           fill=mix(curtains, (0, 0, 0), 0.12), width=int(W * 0.004))
        if bright:
            radial_glow(img, (wx0 + wx1) / 2, H * 0.55, H * 0.45, (255, 246, 210), 0.35)
            d = ImageDraw.Draw(img)
    # wall calendar / picture
    d.rectangle([W * 0.12, H * 0.14, W * 0.22, H * 0.3], fill=(250, 250, 246), outline=(150, 120, 90), width=int(W * 0.004))
    d.rectangle([W * 0.12, H * 0.14, W * 0.22, H * 0.18], fill=RED)
    text_bars(d, rng, W * 0.13, H * 0.2, W * 0.08, H * 0.08, (150, 150, 150), 4)
    return d


def sc_home(img, d, rng, W, H, mode="visit"):
    bright = mode == "bright"
    curtains = (150, 130, 110) if mode in ("visit", "clean", "curtain", "phone", "haircut") else (236, 226, 200)
    if mode == "curtain":
        curtains = (130, 120, 104)
    d = room(img, d, rng, W, H, curtains=curtains, bright=bright)
    if mode == "curtain":
        # one curtain is down, a volunteer on a stool reaches up
        d.rectangle([W * 0.43, H * 0.74, W * 0.53, H * 0.78], fill=(160, 120, 80))
        d.rectangle([W * 0.44, H * 0.78, W * 0.455, H * 0.92], fill=(140, 100, 70))
        d.rectangle([W * 0.515, H * 0.78, W * 0.53, H * 0.92], fill=(140, 100, 70))
        person(d, rng, W * 0.48, H * 0.74, H * 0.55, vest=True, arms="up", back=True)
        person(d, rng, W * 0.33, H * 0.95, H * 0.55, vest=True, arms="front")
        d.polygon([(W * 0.7, H * 0.95), (W * 0.86, H * 0.95), (W * 0.9, H * 0.85), (W * 0.74, H * 0.82)], fill=(130, 120, 104))
        return
    if mode == "clean":
        person(d, rng, W * 0.68, H * 0.9, H * 0.62, vest=True, arms="up", back=True)
        seated_front(d, rng, W * 0.25, H * 0.7, H * 0.4, hair=rng.choice(HAIR[4:]))
        d.rectangle([W * 0.1, H * 0.7, W * 0.4, H * 0.76], fill=(120, 80, 60))
        return
    # sofa
    d.rounded_rectangle([W * 0.05, H * 0.52, W * 0.5, H * 0.85], radius=H * 0.05, fill=(150, 96, 70))
    d.rounded_rectangle([W * 0.08, H * 0.64, W * 0.47, H * 0.78], radius=H * 0.03, fill=(170, 112, 84))
    if mode == "bright":
        d.rectangle([W * 0.05, H * 0.55, W * 0.5, H * 0.85], fill=(240, 240, 236))
        d.rectangle([W * 0.05, H * 0.52, W * 0.5, H * 0.58], fill=(200, 180, 150))
        d.rectangle([W * 0.05, H * 0.64, W * 0.5, H * 0.72], fill=(210, 170, 160))
        seated_front(d, rng, W * 0.3, H * 0.64, H * 0.4, hair=rng.choice(HAIR[4:]))
        return
    seated_front(d, rng, W * 0.22, H * 0.68, H * 0.42, hair=rng.choice(HAIR[4:]))
    if mode == "haircut":
        person(d, rng, W * 0.36, H * 0.95, H * 0.62, vest=True, arms="one")
        d.polygon([(W * 0.36 + H * 0.1, H * 0.46), (W * 0.36 + H * 0.16, H * 0.44), (W * 0.36 + H * 0.12, H * 0.49)], fill=(190, 190, 200))
        person(d, rng, W * 0.08, H * 0.98, H * 0.6, vest=True, arms="front")
        d.ellipse([W * 0.06, H * 0.56, W * 0.1, H * 0.63], fill=(200, 220, 235), outline=(120, 90, 60), width=int(W * 0.004))
        return
    seated_front(d, rng, W * 0.38, H * 0.68, H * 0.4, vest=True)
    if mode == "phone":
        d.rectangle([W * 0.28, H * 0.5, W * 0.31, H * 0.55], fill=(30, 30, 36))
        d.rectangle([W * 0.283, H * 0.505, W * 0.307, H * 0.545], fill=(120, 190, 240))
    # tea table + gift
    d.rectangle([W * 0.5, H * 0.72, W * 0.72, H * 0.76], fill=(110, 76, 50))
    d.rectangle([W * 0.52, H * 0.76, W * 0.54, H * 0.88], fill=(90, 60, 40))
    d.rectangle([W * 0.68, H * 0.76, W * 0.7, H * 0.88], fill=(90, 60, 40))
    if mode == "visit":
        d.rectangle([W * 0.56, H * 0.62, W * 0.66, H * 0.72], fill=RED)
        d.rectangle([W * 0.605, H * 0.62, W * 0.615, H * 0.72], fill=GOLD)
        d.rectangle([W * 0.56, H * 0.665, W * 0.66, H * 0.675], fill=GOLD)
        person(d, rng, W * 0.8, H * 0.95, H * 0.62, vest=True, arms="front")
    d.ellipse([W * 0.6, H * 0.7, W * 0.64, H * 0.72], fill=(240, 240, 240))


def sc_table(img, d, rng, W, H, food="dumplings"):
    d = room(img, d, rng, W, H, wall=(244, 232, 210), window=True, curtains=(200, 60, 60))
    if food == "noodles":
        banner(d, rng, W * 0.1, H * 0.04, W * 0.5, H * 0.1, glyphs=6)
    # people behind the table
    n = 6
    for i in range(n):
        x = W * (0.14 + 0.145 * i)
        if i % 2:
            person(d, rng, x, H * 0.85, H * 0.55, vest=True, arms="front")
        else:
            seated_front(d, rng, x, H * 0.66, H * 0.36, hair=rng.choice(HAIR[4:]))
    d.polygon([(W * 0.02, H * 0.66), (W * 0.98, H * 0.66), (W, H * 0.8), (0, H * 0.8)], fill=(236, 230, 220))
    d.rectangle([0, H * 0.8, W, H * 0.84], fill=(200, 190, 176))
    for i in range(10):
        x = W * (0.06 + 0.09 * i)
        y = H * rng.uniform(0.68, 0.75)
        if food == "dumplings":
            for k in range(4):
                d.chord([x + k * W * 0.014, y, x + k * W * 0.014 + W * 0.02, y + H * 0.03], 180, 360, fill=(250, 248, 236),
                        outline=(210, 200, 180))
        else:
            d.ellipse([x, y, x + W * 0.06, y + H * 0.04], fill=(250, 250, 250), outline=(70, 110, 180), width=int(W * 0.003))
            d.ellipse([x + W * 0.01, y + H * 0.008, x + W * 0.05, y + H * 0.03], fill=(236, 214, 160))


def sc_square_dance(img, d, rng, W, H, audience=False):
    vgrad(img, (0, 0, W, H * 0.5), (60, 90, 150), (240, 160, 110))
    for i in range(7):
        building_block(d, rng, W * (0.145 * i), H * rng.uniform(0.12, 0.3), W * (0.145 * i + 0.12), H * 0.5,
                       (90, 80, 96), win=(250, 220, 150))
    vgrad(img, (0, H * 0.5, W, H), (180, 160, 150), (120, 110, 110))
    d = ImageDraw.Draw(img)
    for i in range(5):
        x = W * (0.05 + 0.225 * i)
        d.line([x, H * 0.3, x, H * 0.55], fill=(50, 50, 60), width=int(W * 0.005))
        radial_glow(img, x, H * 0.3, H * 0.05, (255, 240, 180), 0.8)
    d = ImageDraw.Draw(img)
    outfit = rng.choice([(220, 40, 70), (40, 150, 130), (240, 170, 40)])
    rows = 3
    for r in range(rows):
        y = H * (0.62 + r * 0.12)
        h = H * (0.2 + r * 0.05)
        cols = 7 - r
        for c in range(cols):
            x = W * (0.1 + 0.8 * c / (cols - 1)) + (r % 2) * W * 0.03
            if audience and r == rows - 1:
                person(d, rng, x, y + H * 0.05, h * 1.2, back=True)
                continue
            person(d, rng, x, y, h, shirt=outfit, skirt=True, arms="up" if (c + r) % 2 else "wide")
            if (c + r) % 2:
                fx, fy = x - h * 0.2, y - h * 1.02
                d.pieslice([fx - h * 0.12, fy - h * 0.12, fx + h * 0.12, fy + h * 0.12], 200, 340, fill=(250, 90, 90))


def sc_choir(img, d, rng, W, H, mode="stage"):
    if mode == "rehearsal":
        d = room(img, d, rng, W, H, wall=(226, 232, 236), window=True, curtains=(150, 40, 40))
        d.rectangle([W * 0.06, H * 0.5, W * 0.3, H * 0.78], fill=(30, 26, 28))
        d.rectangle([W * 0.06, H * 0.5, W * 0.3, H * 0.54], fill=(60, 56, 58))
        for k in range(14):
            d.rectangle([W * 0.065 + k * W * 0.017, H * 0.545, W * 0.077 + k * W * 0.017, H * 0.57], fill=(245, 245, 245))
        seated_front(d, rng, W * 0.18, H * 0.78, H * 0.35)
        for i in range(7):
            seated_front(d, rng, W * (0.38 + 0.085 * i), H * 0.8 - (i % 2) * H * 0.04, H * 0.36, hair=rng.choice(HAIR[3:]))
        return
    vgrad(img, (0, 0, W, H), (120, 16, 24), (60, 8, 14))
    d = ImageDraw.Draw(img)
    for k in range(14):
        x = W * k / 13
        d.line([x, 0, x, H * 0.75], fill=(150, 24, 32), width=int(W * 0.01))
    radial_glow(img, W * 0.5, H * 0.35, H * 0.5, (255, 220, 170), 0.3)
    d = ImageDraw.Draw(img)
    rows = 4
    for r in range(rows):
        y = H * (0.4 + r * 0.11)
        d.rectangle([W * 0.06, y, W * 0.94, y + H * 0.03], fill=(110, 80, 60))
        n = 11 + r
        for i in range(n):
            x = W * (0.1 + 0.8 * i / (n - 1))
            person(d, rng, x, y + H * 0.005, H * 0.2, shirt=(245, 245, 245), scarf=RED, hair=rng.choice(HAIR[3:]),
                   skirt=i % 2 == 0)
    d.rectangle([0, H * 0.86, W, H], fill=(70, 50, 40))
    if mode == "conductor":
        person(d, rng, W * 0.5, H * 1.02, H * 0.5, shirt=(20, 20, 24), back=True, arms="up")
    else:
        crowd_rows(d, rng, W, H * 0.92, H * 1.0, rows=2, s0=H * 0.035, s1=H * 0.05)


def naive_painting(img, d, rng, box, style=0):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    vgrad(img, (x0, y0, x1, y0 + h * 0.35), (120, 190, 240), (200, 230, 250))
    d = ImageDraw.Draw(img)
    d.ellipse([x0 + w * 0.75, y0 + h * 0.05, x0 + w * 0.9, y0 + h * 0.05 + w * 0.15], fill=(250, 120, 40))
    bands = [(250, 210, 60), (120, 180, 70), (236, 170, 50), (90, 150, 60), (250, 220, 100)]
    for i in range(5):
        yy = y0 + h * (0.35 + 0.13 * i)
        pts = [(x0, yy + h * 0.13)]
        for k in range(7):
            pts.append((x0 + w * k / 6, yy + math.sin(k + i + style) * h * 0.03))
        pts.append((x1, yy + h * 0.13))
        d.polygon(pts + [(x1, y1), (x0, y1)], fill=bands[(i + style) % 5])
    for i in range(3 + style % 2):
        hx = x0 + w * (0.1 + 0.25 * i)
        hy = y0 + h * (0.42 + 0.04 * (i % 2))
        d.rectangle([hx, hy, hx + w * 0.12, hy + h * 0.12], fill=(250, 244, 230), outline=(40, 30, 30), width=max(1, int(w * 0.004)))
        d.polygon([(hx - w * 0.015, hy), (hx + w * 0.06, hy - h * 0.07), (hx + w * 0.135, hy)], fill=(210, 40, 40), outline=(40, 30, 30))
        d.rectangle([hx + w * 0.045, hy + h * 0.05, hx + w * 0.075, hy + h * 0.12], fill=(120, 70, 40))
    return d


def sc_studio(img, d, rng, W, H, mode="easels"):
    if mode == "wall":
        vgrad(img, (0, 0, W, H * 0.3), (120, 180, 230), (210, 230, 245))
        d.rectangle([0, H * 0.3, W, H * 0.75], fill=(214, 200, 176))
        d.rectangle([0, H * 0.28, W, H * 0.31], fill=(120, 90, 70))
        d.rectangle([0, H * 0.75, W, H], fill=(190, 180, 164))
        for i in range(5):
            x = W * (0.04 + 0.195 * i)
            d.rectangle([x - W * 0.008, H * 0.36 - H * 0.008, x + W * 0.168, H * 0.62 + H * 0.008], fill=(110, 70, 40))
            naive_painting(img, d, rng, (x, H * 0.36, x + W * 0.16, H * 0.62), style=i)
        d = ImageDraw.Draw(img)
        standing_crowd(d, rng, W, H * 0.98, H * 0.45, 4, back=True)
        return
    d = room(img, d, rng, W, H, wall=(240, 236, 226), window=True, curtains=None)
    if mode == "easels":
        for i in range(3):
            x = W * (0.08 + 0.3 * i)
            d.line([x + W * 0.02, H * 0.92, x + W * 0.11, H * 0.2], fill=(130, 90, 50), width=int(W * 0.008))
            d.line([x + W * 0.2, H * 0.92, x + W * 0.11, H * 0.2], fill=(130, 90, 50), width=int(W * 0.008))
            d.rectangle([x, H * 0.25, x + W * 0.22, H * 0.58], fill=(250, 250, 246))
            naive_painting(img, d, rng, (x + W * 0.01, H * 0.265, x + W * 0.21, H * 0.565), style=i)
            d = ImageDraw.Draw(img)
            d.rectangle([x - W * 0.01, H * 0.58, x + W * 0.23, H * 0.6], fill=(130, 90, 50))
        return
    # class: long table, kids painting, elder guiding
    d.polygon([(W * 0.05, H * 0.62), (W * 0.95, H * 0.62), (W, H * 0.85), (0, H * 0.85)], fill=(200, 170, 120))
    for i in range(5):
        x = W * (0.14 + 0.18 * i)
        seated_back(d, rng, x, H * 0.76, H * 0.07, shirt=rng.choice(CLOTHES))
        px = W * (0.08 + 0.18 * i)
        d.rectangle([px, H * 0.64, px + W * 0.12, H * 0.72], fill=(250, 250, 246))
        for k in range(4):
            cx = px + W * rng.uniform(0.01, 0.1)
            cy = H * rng.uniform(0.645, 0.71)
            d.ellipse([cx, cy, cx + W * 0.02, cy + H * 0.02], fill=rng.choice([(240, 200, 40), (80, 160, 70), (220, 60, 50), (60, 120, 220)]))
    person(d, rng, W * 0.5, H * 0.62, H * 0.42, shirt=(70, 70, 80), hair=HAIR[4], arms="front")


def sc_schoolyard(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H * 0.35), (110, 170, 230), (210, 230, 245))
    building_block(d, rng, W * 0.05, H * 0.08, W * 0.95, H * 0.35, (236, 226, 210), rows=3, cols=12)
    d.rectangle([W * 0.4, H * 0.02, W * 0.6, H * 0.08], fill=RED)
    d.rectangle([0, H * 0.35, W, H], fill=(190, 80, 60))
    for k in range(6):
        d.line([0, H * (0.4 + 0.1 * k), W, H * (0.4 + 0.1 * k)], fill=(220, 220, 220), width=int(H * 0.003))
    d.line([W * 0.5, H * 0.1, W * 0.5, H * 0.35], fill=(200, 200, 200), width=int(W * 0.004))
    d.rectangle([W * 0.5, H * 0.1, W * 0.56, H * 0.14], fill=RED)
    crowd_rows(d, rng, W, H * 0.45, H * 0.95, rows=6, s0=H * 0.02, s1=H * 0.055, scarf_rate=0.8)


def sc_temple(img, d, rng, W, H, guide=True):
    vgrad(img, (0, 0, W, H * 0.5), (130, 180, 230), (220, 232, 240))
    d = ImageDraw.Draw(img)
    tree(d, rng, W * 0.08, H * 0.7, H * 0.7, leaf=(60, 110, 60))
    tree(d, rng, W * 0.94, H * 0.7, H * 0.65, leaf=(70, 120, 60))
    hx0, hx1 = W * 0.2, W * 0.8
    d.rectangle([hx0 - W * 0.04, H * 0.62, hx1 + W * 0.04, H * 0.7], fill=(170, 166, 160))
    d.rectangle([hx0, H * 0.36, hx1, H * 0.62], fill=(150, 40, 34))
    for k in range(7):
        x = hx0 + (hx1 - hx0) * k / 6
        d.rectangle([x - W * 0.01, H * 0.36, x + W * 0.01, H * 0.62], fill=(180, 40, 36))
    for k in range(6):
        x = hx0 + (hx1 - hx0) * (k + 0.5) / 6
        d.rectangle([x - W * 0.035, H * 0.42, x + W * 0.035, H * 0.6], fill=(110, 40, 30))
        for j in range(5):
            d.line([x - W * 0.03, H * (0.44 + j * 0.032), x + W * 0.03, H * (0.44 + j * 0.032)], fill=(160, 110, 60), width=int(W * 0.002))
    d.rectangle([hx0 - W * 0.02, H * 0.32, hx1 + W * 0.02, H * 0.36], fill=(60, 110, 120))
    for k in range(20):
        x = hx0 + (hx1 - hx0) * k / 19
        d.rectangle([x - W * 0.006, H * 0.33, x + W * 0.006, H * 0.35], fill=GOLD)
    curved_roof(d, hx0, hx1, H * 0.32, H * 0.2, (70, 74, 80), eave=0.12)
    d.rectangle([W * 0.46, H * 0.17, W * 0.54, H * 0.22], fill=(40, 60, 90), outline=GOLD, width=int(W * 0.003))
    d.rectangle([0, H * 0.7, W, H], fill=(184, 176, 164))
    for k in range(4):
        d.line([0, H * (0.75 + 0.07 * k), W, H * (0.75 + 0.07 * k)], fill=(170, 160, 150), width=int(H * 0.003))
    if guide:
        person(d, rng, W * 0.3, H * 0.9, H * 0.38, vest=True, arms="one")
        d.line([W * 0.3 + H * 0.067, H * 0.52, W * 0.3 + H * 0.067, H * 0.42], fill=(90, 70, 50), width=int(W * 0.003))
        d.polygon([(W * 0.3 + H * 0.067, H * 0.42), (W * 0.3 + H * 0.13, H * 0.44), (W * 0.3 + H * 0.067, H * 0.46)], fill=RED)
        for i in range(9):
            person(d, rng, W * (0.42 + 0.055 * i), H * (0.92 + (i % 2) * 0.04), H * 0.28, shirt=(230, 236, 246),
                   pants=(40, 60, 120), scarf=RED, back=True)


def sc_fair(img, d, rng, W, H, mode="crafts"):
    if mode == "crafts":
        vgrad(img, (0, 0, W, H * 0.5), (140, 190, 230), (226, 236, 242))
        d.rectangle([0, H * 0.5, W, H], fill=(190, 180, 160))
        for x in (0.1, 0.45, 0.85):
            tree(d, rng, W * x, H * 0.55, H * 0.7, leaf=(60, 120, 60))
    else:
        vgrad(img, (0, 0, W, H * 0.45), (130, 180, 230), (220, 234, 244))
        d.rectangle([0, H * 0.45, W, H], fill=(176, 170, 160))
        for i in range(5):
            x = W * (0.02 + 0.2 * i)
            c = rng.choice([(60, 130, 200), (220, 80, 60), (60, 160, 110), (240, 170, 40)])
            d.polygon([(x, H * 0.3), (x + W * 0.18, H * 0.3), (x + W * 0.2, H * 0.42), (x - W * 0.02, H * 0.42)], fill=c)
            for k in range(4):
                d.polygon([(x + k * W * 0.045, H * 0.3), (x + k * W * 0.045 + W * 0.022, H * 0.3),
                           (x + k * W * 0.045 + W * 0.025, H * 0.42), (x + k * W * 0.045 + W * 0.005, H * 0.42)], fill=(250, 250, 246))
            d.line([x, H * 0.42, x, H * 0.6], fill=(90, 90, 90), width=int(W * 0.004))
            d.line([x + W * 0.18, H * 0.42, x + W * 0.18, H * 0.6], fill=(90, 90, 90), width=int(W * 0.004))
            d.rectangle([x, H * 0.52, x + W * 0.18, H * 0.56], fill=(150, 120, 90))
            for k in range(12):
                cx = x + W * rng.uniform(0.005, 0.16)
                d.ellipse([cx, H * 0.49, cx + W * 0.02, H * 0.52], fill=rng.choice([(80, 160, 60), (230, 60, 40), (250, 170, 40), (140, 60, 120)]))
    if mode == "test":
        d.rectangle([W * 0.2, H * 0.62, W * 0.8, H * 0.7], fill=(250, 250, 250))
        d.rectangle([W * 0.2, H * 0.7, W * 0.8, H * 0.9], fill=(40, 90, 170))
        for k in range(6):
            x = W * (0.3 + 0.06 * k)
            d.rounded_rectangle([x, H * 0.48, x + W * 0.02, H * 0.62], radius=W * 0.01, fill=(230, 240, 246), outline=(150, 160, 170))
            d.rectangle([x + W * 0.002, H * 0.55, x + W * 0.018, H * 0.615], fill=rng.choice([(250, 220, 120), (200, 230, 160), (240, 190, 190)]))
        person(d, rng, W * 0.62, H * 0.62, H * 0.5, white_coat=True, arms="front")
        standing_crowd(d, rng, W, H * 1.02, H * 0.38, 5, back=True)
        return
    if mode == "label":
        person(d, rng, W * 0.35, H * 0.98, H * 0.62, vest=True, arms="one")
        d.rectangle([W * 0.42, H * 0.38, W * 0.5, H * 0.5], fill=(250, 240, 200), outline=(150, 120, 60))
        text_bars(d, rng, W * 0.425, H * 0.4, W * 0.07, H * 0.08, (120, 100, 60), 3)
        person(d, rng, W * 0.65, H * 0.98, H * 0.58, hair=HAIR[4], arms="front")
        return
    # tables
    for i in range(3):
        x = W * (0.12 + 0.28 * i)
        d.rectangle([x, H * 0.62, x + W * 0.22, H * 0.66], fill=(200, 30, 34))
        d.rectangle([x, H * 0.66, x + W * 0.22, H * 0.78], fill=(176, 22, 28))
        if mode == "crafts":
            for k in range(5):
                cx = x + W * (0.01 + 0.042 * k)
                if k % 2:
                    d.ellipse([cx, H * 0.585, cx + W * 0.035, H * 0.625], fill=rng.choice([(240, 140, 60), (90, 150, 200), (220, 80, 110)]))
                else:
                    d.rectangle([cx, H * 0.57, cx + W * 0.035, H * 0.62], fill=rng.choice([(230, 40, 40), (250, 200, 80)]))
        person(d, rng, x + W * 0.11, H * 0.62, H * 0.3, vest=i == 1)
    if mode == "market":
        d.rectangle([W * 0.82, H * 0.4, W * 0.97, H * 0.72], fill=(250, 250, 246), outline=(60, 120, 200), width=int(W * 0.004))
        d.rectangle([W * 0.82, H * 0.4, W * 0.97, H * 0.45], fill=(60, 120, 200))
        text_bars(d, rng, W * 0.83, H * 0.47, W * 0.13, H * 0.2, (100, 110, 120), 5)
    standing_crowd(d, rng, W, H * 1.0, H * 0.38, 6, back=True)


def sc_handicraft(img, d, rng, W, H, mode="class"):
    if mode == "products":
        vgrad(img, (0, 0, W, H), (190, 150, 110), (150, 110, 80))
        d = ImageDraw.Draw(img)
        for k in range(12):
            d.line([0, H * k / 12, W, H * k / 12 + H * 0.02], fill=(170, 130, 94), width=int(H * 0.004))
        for r in range(2):
            for c in range(4):
                cx, cy, rr = W * (0.15 + 0.23 * c), H * (0.3 + 0.42 * r), H * 0.15
                col = rng.choice([(220, 70, 60), (240, 180, 60), (70, 130, 190), (120, 170, 90), (200, 110, 160)])
                shadow_ellipse(img, [cx - rr, cy - rr * 0.9, cx + rr * 1.1, cy + rr * 1.1])
                d = ImageDraw.Draw(img)
                if (r + c) % 2:
                    for k in range(6, 0, -1):
                        d.ellipse([cx - rr * k / 6, cy - rr * k / 6, cx + rr * k / 6, cy + rr * k / 6],
                                  fill=col if k % 2 else mix(col, (255, 255, 255), 0.4))
                else:
                    d.rounded_rectangle([cx - rr, cy - rr, cx + rr, cy + rr], radius=rr * 0.2, fill=col)
                    for k in range(5):
                        d.line([cx - rr, cy - rr + k * rr / 2.5, cx + rr, cy - rr + k * rr / 2.5], fill=mix(col, (255, 255, 255), 0.5), width=int(H * 0.006))
        return
    d = room(img, d, rng, W, H, wall=(236, 230, 214), window=True, curtains=(190, 160, 120))
    for i in range(4):
        seated_front(d, rng, W * (0.15 + 0.22 * i), H * 0.7, H * 0.4, shirt=rng.choice(CLOTHES), skin=rng.choice(SKIN))
    d.polygon([(W * 0.02, H * 0.68), (W * 0.98, H * 0.68), (W, H * 0.85), (0, H * 0.85)], fill=(190, 150, 100))
    for i in range(7):
        bx = W * (0.06 + 0.13 * i)
        d.chord([bx, H * 0.66, bx + W * 0.09, H * 0.8], 0, 180, fill=(170, 120, 60))
        for k in range(3):
            cx = bx + W * (0.015 + 0.025 * k)
            d.ellipse([cx, H * 0.66, cx + W * 0.03, H * 0.71], fill=rng.choice([(220, 60, 60), (250, 190, 60), (70, 140, 210), (130, 190, 90), (230, 120, 170)]))


def sc_clinic(img, d, rng, W, H, mode="tent"):
    vgrad(img, (0, 0, W, H * 0.5), (120, 175, 230), (220, 234, 246))
    d.rectangle([0, H * 0.5, W, H], fill=(196, 190, 178))
    building_block(d, rng, W * 0.55, H * 0.15, W * 0.98, H * 0.5, (230, 214, 190), rows=3, cols=6)
    d.rectangle([W * 0.65, H * 0.1, W * 0.88, H * 0.15], fill=RED)
    if mode == "cpr":
        for i in range(9):
            x = W * (0.08 + 0.105 * i)
            person(d, rng, x, H * 0.66 + abs(i - 4) * H * 0.012, H * 0.3, arms="front" if i % 3 else "down")
        d.rectangle([W * 0.25, H * 0.84, W * 0.65, H * 0.9], fill=(60, 120, 190))
        d.ellipse([W * 0.27, H * 0.79, W * 0.33, H * 0.86], fill=SKIN[0])
        d.rounded_rectangle([W * 0.32, H * 0.8, W * 0.56, H * 0.86], radius=H * 0.02, fill=(220, 220, 220))
        d.rounded_rectangle([W * 0.55, H * 0.815, W * 0.63, H * 0.845], radius=H * 0.01, fill=(60, 70, 110))
        person(d, rng, W * 0.46, H * 0.84, H * 0.34, white_coat=True, arms="front")
        return
    # tent
    tx0, tx1 = W * 0.08, W * 0.62
    d.polygon([(tx0, H * 0.32), (tx1, H * 0.32), (tx1 - W * 0.04, H * 0.2), (tx0 + W * 0.04, H * 0.2)], fill=(246, 246, 250))
    d.rectangle([tx0, H * 0.32, tx1, H * 0.37], fill=(40, 110, 190))
    d.rectangle([(tx0 + tx1) / 2 - W * 0.015, H * 0.22, (tx0 + tx1) / 2 + W * 0.015, H * 0.3], fill=RED)
    d.rectangle([(tx0 + tx1) / 2 - W * 0.035, H * 0.245, (tx0 + tx1) / 2 + W * 0.035, H * 0.275], fill=RED)
    for x in (tx0, tx1):
        d.rectangle([x - W * 0.004, H * 0.32, x + W * 0.004, H * 0.75], fill=(120, 120, 130))
    if mode == "bp":
        seated_front(d, rng, W * 0.55, H * 0.72, H * 0.46, hair=HAIR[5])
        person(d, rng, W * 0.35, H * 0.95, H * 0.62, white_coat=True, arms="front")
        d.rounded_rectangle([W * 0.42, H * 0.58, W * 0.48, H * 0.64], radius=W * 0.005, fill=(250, 250, 250), outline=(90, 90, 90))
        d.rectangle([W * 0.58, H * 0.5, W * 0.62, H * 0.54], fill=(40, 80, 150))
        person(d, rng, W * 0.78, H * 0.95, H * 0.6, white_coat=True, arms="front", skirt=True)
        d.rectangle([W * 0.76, H * 0.62, W * 0.82, H * 0.7], fill=(250, 250, 240))
        return
    for i in range(3):
        x = W * (0.15 + 0.17 * i)
        person(d, rng, x, H * 0.62, H * 0.3, white_coat=True)
    d.rectangle([tx0 + W * 0.02, H * 0.6, tx1 - W * 0.02, H * 0.64], fill=(250, 250, 250))
    d.rectangle([tx0 + W * 0.02, H * 0.64, tx1 - W * 0.02, H * 0.74], fill=(200, 210, 226))
    for i in range(6):
        t = i / 5
        person(d, rng, W * (0.7 + 0.22 * t), H * (0.74 + 0.24 * t), H * (0.28 + 0.24 * t), back=False,
               hair=rng.choice(HAIR[3:]))


def sc_building(img, d, rng, W, H, style="modern"):
    vgrad(img, (0, 0, W, H * 0.7), (100, 160, 225), (220, 235, 248))
    d = ImageDraw.Draw(img)
    for _ in range(3):
        cx, cy = rng.uniform(0, W), rng.uniform(H * 0.05, H * 0.2)
        for k in range(4):
            r = H * 0.04
            d.ellipse([cx + k * r - r, cy - r, cx + k * r + r, cy + r], fill=(250, 250, 252))
    d.rectangle([0, H * 0.72, W, H], fill=(200, 196, 188))
    wall = (236, 226, 206) if style == "modern" else (220, 200, 170)
    building_block(d, rng, W * 0.12, H * 0.2, W * 0.88, H * 0.72, wall, rows=3, cols=9)
    d.rectangle([W * 0.08, H * 0.16, W * 0.92, H * 0.2], fill=(200, 190, 176))
    d.rectangle([W * 0.25, H * 0.23, W * 0.75, H * 0.31], fill=RED)
    hanzi_row(d, rng, W * 0.28, H * 0.245, H * 0.045, 10, GOLD)
    d.rectangle([W * 0.43, H * 0.52, W * 0.57, H * 0.72], fill=(120, 160, 190))
    d.line([W * 0.5, H * 0.52, W * 0.5, H * 0.72], fill=(230, 230, 230), width=int(W * 0.004))
    d.rectangle([W * 0.4, H * 0.5, W * 0.6, H * 0.52], fill=(180, 170, 160))
    for i in range(3):
        x = W * (0.2 + 0.04 * i)
        d.line([x, H * 0.72, x, H * 0.4], fill=(180, 180, 186), width=int(W * 0.004))
        d.rectangle([x, H * 0.4, x + W * 0.05, H * 0.44], fill=RED)
    for x in (0.05, 0.95):
        tree(d, rng, W * x, H * 0.8, H * 0.4)
    for k in range(6):
        d.rectangle([W * (0.12 + 0.13 * k), H * 0.73, W * (0.2 + 0.13 * k), H * 0.76], fill=(90, 150, 70))
    standing_crowd(d, rng, W, H * 0.95, H * 0.2, 5, x0=W * 0.2, x1=W * 0.8)


def sc_activity_room(img, d, rng, W, H):
    d = room(img, d, rng, W, H, wall=(240, 236, 226), window=True, curtains=(200, 180, 140))
    for s in range(2):
        x0 = W * (0.02 + 0.2 * s)
        d.rectangle([x0, H * 0.34, x0 + W * 0.17, H * 0.74], fill=(150, 110, 70))
        for r in range(4):
            y = H * (0.36 + 0.095 * r)
            x = x0 + W * 0.008
            while x < x0 + W * 0.16:
                bw = W * rng.uniform(0.008, 0.016)
                d.rectangle([x, y + H * rng.uniform(0, 0.015), x + bw, y + H * 0.08], fill=rng.choice(CLOTHES))
                x += bw + W * 0.002
    banner(d, rng, W * 0.45, H * 0.03, W * 0.9, H * 0.09, glyphs=8)
    for r in range(3):
        for c in range(5):
            x = W * (0.45 + 0.1 * c) - r * W * 0.03
            y = H * (0.7 + 0.1 * r)
            d.rectangle([x, y, x + W * 0.05, y + H * 0.015], fill=(60, 80, 140))
            d.rectangle([x, y - H * 0.06, x + W * 0.008, y], fill=(60, 80, 140))
            d.line([x + W * 0.005, y + H * 0.015, x + W * 0.005, y + H * 0.07], fill=(70, 70, 70), width=int(W * 0.003))
            d.line([x + W * 0.045, y + H * 0.015, x + W * 0.045, y + H * 0.07], fill=(70, 70, 70), width=int(W * 0.003))


def sc_video_poster(img, d, rng, W, H, base="outdoor_stage", **opts):
    SCENES[base](img, d, rng, W, H, **opts)
    w, h = img.size
    dark = Image.new("RGB", (w, h), (0, 0, 0))
    img.paste(Image.blend(img, dark, 0.35))
    d = ImageDraw.Draw(img)
    cx, cy, r = W / 2, H / 2, H * 0.12
    d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 255, 255))
    d.polygon([(cx - r * 0.35, cy - r * 0.5), (cx - r * 0.35, cy + r * 0.5), (cx + r * 0.55, cy)], fill=(200, 30, 36))
    d.rectangle([W * 0.05, H * 0.9, W * 0.95, H * 0.91], fill=(200, 200, 200))
    d.rectangle([W * 0.05, H * 0.9, W * 0.3, H * 0.91], fill=(220, 40, 40))
    d.ellipse([W * 0.3 - H * 0.012, H * 0.905 - H * 0.012, W * 0.3 + H * 0.012, H * 0.905 + H * 0.012], fill=(255, 255, 255))


# ---------------------------------------------------------------- exhibit artworks


def art_scroll(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (214, 206, 192), (186, 176, 160))
    d = ImageDraw.Draw(img)
    x0, x1, y0, y1 = W * 0.14, W * 0.86, H * 0.05, H * 0.95
    shadow_ellipse(img, [x0, y0 + H * 0.02, x1 + W * 0.04, y1 + H * 0.02], 50)
    d = ImageDraw.Draw(img)
    d.rectangle([x0, y0, x1, y1], fill=(176, 150, 112))
    d.rectangle([x0 - W * 0.04, y0 - H * 0.012, x1 + W * 0.04, y0 + H * 0.012], fill=(90, 60, 40))
    d.rectangle([x0 - W * 0.05, y1 - H * 0.012, x1 + W * 0.05, y1 + H * 0.018], fill=(90, 60, 40))
    px0, px1, py0, py1 = x0 + W * 0.06, x1 - W * 0.06, y0 + H * 0.1, y1 - H * 0.08
    d.rectangle([px0, py0, px1, py1], fill=(246, 238, 218))
    ink = (24, 22, 20)
    cols = 3
    colw = (px1 - px0) / cols
    for c in range(cols):
        cx = px1 - colw * (c + 0.5)
        n = 7 if c < cols - 1 else 4
        gh = (py1 - py0 - H * 0.06) / 7
        for g in range(n):
            gy = py0 + H * 0.03 + g * gh
            s = min(colw, gh) * 0.78
            for _ in range(rng.randint(4, 7)):
                kind = rng.random()
                wdt = s * rng.uniform(0.07, 0.14)
                if kind < 0.35:
                    yy = gy + s * rng.uniform(0.1, 0.9)
                    pts = [(cx - s * rng.uniform(0.2, 0.5), yy), (cx + s * rng.uniform(0.2, 0.5), yy - s * 0.06)]
                elif kind < 0.7:
                    xx = cx + s * rng.uniform(-0.35, 0.35)
                    pts = [(xx, gy + s * rng.uniform(0, 0.25)), (xx + s * 0.04, gy + s * rng.uniform(0.6, 1.0))]
                else:
                    sx, sy = cx + s * rng.uniform(-0.3, 0.2), gy + s * rng.uniform(0.1, 0.5)
                    pts = [(sx, sy), (sx + s * rng.uniform(0.1, 0.4) * rng.choice([-1, 1]), sy + s * rng.uniform(0.25, 0.5))]
                thick_line(d, pts, ink, wdt)
                d.ellipse([pts[0][0] - wdt * 0.8, pts[0][1] - wdt * 0.8, pts[0][0] + wdt * 0.8, pts[0][1] + wdt * 0.8], fill=ink)
    # seal
    sx, sy, ss = px0 + W * 0.04, py1 - H * 0.12, W * 0.09
    d.rectangle([sx, sy, sx + ss, sy + ss], fill=(200, 40, 36))
    for k in range(4):
        d.line([sx + ss * 0.2, sy + ss * (0.2 + 0.2 * k), sx + ss * 0.8, sy + ss * (0.2 + 0.2 * k)], fill=(246, 230, 220), width=int(ss * 0.06))
    d.line([sx + ss * 0.5, sy + ss * 0.15, sx + ss * 0.5, sy + ss * 0.85], fill=(246, 230, 220), width=int(ss * 0.06))


def art_papercut(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (246, 236, 214), (232, 218, 190))
    cx, cy, R = W / 2, H / 2, min(W, H) * 0.44
    shadow_ellipse(img, [cx - R + W * 0.015, cy - R + H * 0.02, cx + R + W * 0.015, cy + R + H * 0.02], 60)
    d = ImageDraw.Draw(img)
    red, bg = (196, 22, 32), (246, 236, 214)
    d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=red)
    # sawtooth ring
    n = 72
    r0, r1 = R * 0.88, R * 0.95
    for k in range(n):
        a0, a1 = 2 * math.pi * k / n, 2 * math.pi * (k + 0.5) / n
        d.polygon([(cx + math.cos(a0) * r1, cy + math.sin(a0) * r1), (cx + math.cos(a1) * r0, cy + math.sin(a1) * r0),
                   (cx + math.cos(a0 + 2 * math.pi / n) * r1, cy + math.sin(a0 + 2 * math.pi / n) * r1)], fill=bg)
    d.ellipse([cx - R * 0.86, cy - R * 0.86, cx + R * 0.86, cy + R * 0.86], outline=bg, width=int(R * 0.015))
    folds = 8
    for k in range(folds):
        a = 2 * math.pi * k / folds
        # petal cut-outs
        for j, (rr, size) in enumerate([(0.66, 0.12), (0.45, 0.08), (0.28, 0.05)]):
            px, py = cx + math.cos(a) * R * rr, cy + math.sin(a) * R * rr
            pts = []
            for t in range(24):
                tt = 2 * math.pi * t / 24
                rad = R * size * (0.55 + 0.45 * abs(math.cos(tt)))
                x = math.cos(tt) * rad * 1.5
                y = math.sin(tt) * rad * 0.6
                pts.append((px + x * math.cos(a) - y * math.sin(a), py + x * math.sin(a) + y * math.cos(a)))
            d.polygon(pts, fill=bg)
            if j == 0:
                d.ellipse([px - R * 0.03, py - R * 0.03, px + R * 0.03, py + R * 0.03], fill=red)
        # crescents between petals
        a2 = a + math.pi / folds
        px, py = cx + math.cos(a2) * R * 0.72, cy + math.sin(a2) * R * 0.72
        d.ellipse([px - R * 0.07, py - R * 0.07, px + R * 0.07, py + R * 0.07], fill=bg)
        d.ellipse([px - R * 0.07 + math.cos(a2) * R * 0.03, py - R * 0.07 + math.sin(a2) * R * 0.03,
                   px + R * 0.07 + math.cos(a2) * R * 0.03, py + R * 0.07 + math.sin(a2) * R * 0.03], fill=red)
        # small diamonds
        for rr in (0.55, 0.8):
            px, py = cx + math.cos(a2) * R * rr, cy + math.sin(a2) * R * rr
            s = R * 0.025
            d.polygon([(px - s, py), (px, py - s), (px + s, py), (px, py + s)], fill=bg)
    # centre flower
    for k in range(12):
        a = 2 * math.pi * k / 12
        px, py = cx + math.cos(a) * R * 0.11, cy + math.sin(a) * R * 0.11
        d.ellipse([px - R * 0.035, py - R * 0.035, px + R * 0.035, py + R * 0.035], fill=bg)
    d.ellipse([cx - R * 0.05, cy - R * 0.05, cx + R * 0.05, cy + R * 0.05], fill=bg)
    d.ellipse([cx - R * 0.025, cy - R * 0.025, cx + R * 0.025, cy + R * 0.025], fill=red)


def art_embroidery(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (200, 184, 160), (170, 150, 124))
    cx, cy, R = W / 2, H / 2, min(W, H) * 0.45
    shadow_ellipse(img, [cx - R, cy - R + H * 0.02, cx + R + W * 0.02, cy + R + H * 0.03], 70)
    d = ImageDraw.Draw(img)
    d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=(176, 130, 80))
    d.ellipse([cx - R * 0.94, cy - R * 0.94, cx + R * 0.94, cy + R * 0.94], fill=(24, 38, 82))
    d.rectangle([cx - R * 0.08, cy - R * 1.06, cx + R * 0.08, cy - R * 0.96], fill=(150, 110, 70))
    sw = max(1, int(R * 0.008))
    # weave texture
    for k in range(0, int(2 * R), int(R * 0.03)):
        d.line([cx - R * 0.94, cy - R * 0.94 + k, cx + R * 0.94, cy - R * 0.94 + k], fill=(28, 44, 90), width=1)
    # stems and leaves
    leaf = (60, 140, 80)
    for (lx, ly, ang) in [(-0.3, 0.35, -0.6), (0.25, 0.4, 0.5), (0.0, 0.5, 0.0), (-0.5, -0.05, -1.2), (0.5, 0.05, 1.1)]:
        bx, by = cx + lx * R, cy + ly * R
        for t in range(22):
            tt = t / 21
            a = ang + (tt - 0.5) * 0.9
            ln = R * 0.22 * (1 - abs(tt - 0.5) * 1.2)
            sx = bx + math.sin(ang) * R * 0.25 * tt
            sy = by - math.cos(ang) * R * 0.25 * tt
            d.line([sx, sy, sx + math.cos(a) * ln * 0.4, sy + math.sin(a) * ln * 0.4], fill=jitter(leaf, rng, 20), width=sw * 2)
    flowers = [(-0.22, -0.12, 0.28, (222, 60, 90)), (0.28, -0.2, 0.22, (240, 120, 150)), (0.05, 0.22, 0.2, (250, 170, 60))]
    for fx, fy, fr, col in flowers:
        px, py, rr = cx + fx * R, cy + fy * R, fr * R
        for layer in range(4):
            lr = rr * (1 - layer * 0.22)
            c = mix(col, (255, 255, 255), layer * 0.16)
            for k in range(90):
                a = 2 * math.pi * k / 90 + layer * 0.2
                wob = 1 + 0.12 * math.sin(a * 6 + layer)
                d.line([px + math.cos(a) * lr * 0.25, py + math.sin(a) * lr * 0.25,
                        px + math.cos(a) * lr * wob, py + math.sin(a) * lr * wob], fill=jitter(c, rng, 10), width=sw * 2)
        d.ellipse([px - rr * 0.15, py - rr * 0.15, px + rr * 0.15, py + rr * 0.15], fill=(250, 220, 80))
    for k in range(60):
        a = 2 * math.pi * k / 60
        x, y = cx + math.cos(a) * R * 0.85, cy + math.sin(a) * R * 0.85
        d.ellipse([x - R * 0.012, y - R * 0.012, x + R * 0.012, y + R * 0.012], fill=(240, 200, 90))


def art_postcard_front(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (120, 100, 84), (90, 72, 60))
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = W * 0.07, H * 0.09, W * 0.93, H * 0.91
    shadow_ellipse(img, [x0, y0 + H * 0.02, x1 + W * 0.02, y1 + H * 0.04], 90)
    d = ImageDraw.Draw(img)
    d.rectangle([x0, y0, x1, y1], fill=(252, 250, 244))
    ix0, iy0, ix1, iy1 = x0 + W * 0.025, y0 + H * 0.035, x1 - W * 0.025, y1 - H * 0.035
    vgrad(img, (ix0, iy0, ix1, iy0 + (iy1 - iy0) * 0.55), (250, 200, 140), (250, 236, 200))
    d = ImageDraw.Draw(img)
    d.ellipse([ix0 + (ix1 - ix0) * 0.7, iy0 + H * 0.06, ix0 + (ix1 - ix0) * 0.7 + H * 0.16, iy0 + H * 0.22], fill=(240, 90, 50))
    mountains(d, rng, ix1, iy0 + (iy1 - iy0) * 0.55, H * 0.16, (150, 170, 150), peaks=4)
    d.rectangle([ix0, iy0 + (iy1 - iy0) * 0.55, ix1, iy1], fill=(110, 170, 200))
    for k in range(8):
        y = iy0 + (iy1 - iy0) * (0.6 + 0.05 * k)
        d.arc([ix0 + W * 0.05 * (k % 3), y, ix0 + W * 0.05 * (k % 3) + W * 0.12, y + H * 0.03], 200, 340, fill=(230, 245, 250), width=int(H * 0.004))
    hx0, hx1, hy = ix0 + (ix1 - ix0) * 0.25, ix0 + (ix1 - ix0) * 0.6, iy0 + (iy1 - iy0) * 0.55
    d.rectangle([hx0, hy - H * 0.14, hx1, hy], fill=(170, 40, 36))
    curved_roof(d, hx0, hx1, hy - H * 0.14, H * 0.12, (60, 64, 70), eave=0.12)
    for k in range(5):
        x = hx0 + (hx1 - hx0) * (k + 0.5) / 5
        d.rectangle([x - W * 0.012, hy - H * 0.11, x + W * 0.012, hy], fill=(120, 40, 30))
    for x in (ix0 + W * 0.05, ix1 - W * 0.06):
        d.line([x, iy0, x, hy - H * 0.05], fill=(90, 110, 60), width=int(W * 0.006))
        for k in range(10):
            d.arc([x - W * 0.06 + k * W * 0.008, iy0 + k * H * 0.01, x + W * 0.02 + k * W * 0.006, hy + k * H * 0.01], 60, 120,
                  fill=(110, 160, 80), width=int(W * 0.003))
    d.rectangle([x0, y0, x1, y1], outline=(220, 214, 200), width=int(W * 0.003))


def art_postcard_back(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (120, 100, 84), (90, 72, 60))
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = W * 0.07, H * 0.09, W * 0.93, H * 0.91
    shadow_ellipse(img, [x0, y0 + H * 0.02, x1 + W * 0.02, y1 + H * 0.04], 90)
    d = ImageDraw.Draw(img)
    d.rectangle([x0, y0, x1, y1], fill=(250, 246, 234))
    for k in range(6):
        x = x0 + W * (0.04 + 0.045 * k)
        d.rectangle([x, y0 + H * 0.06, x + W * 0.035, y0 + H * 0.12], outline=(200, 50, 40), width=int(W * 0.002))
    mid = (x0 + x1) / 2
    d.line([mid, y0 + H * 0.2, mid, y1 - H * 0.08], fill=(170, 160, 150), width=int(W * 0.002))
    ink = (40, 60, 120)
    for k in range(5):
        y = y0 + H * (0.24 + 0.1 * k)
        x = x0 + W * 0.04
        while x < mid - W * 0.04:
            w = W * rng.uniform(0.01, 0.03)
            d.line([x, y + rng.uniform(-2, 2), x + w, y + rng.uniform(-4, 4)], fill=ink, width=int(H * 0.005))
            x += w + W * rng.uniform(0.005, 0.012)
    for k in range(3):
        y = y0 + H * (0.45 + 0.12 * k)
        d.line([mid + W * 0.04, y, x1 - W * 0.04, y], fill=(170, 160, 150), width=int(H * 0.003))
    # stamp
    sx0, sy0, sx1, sy1 = x1 - W * 0.16, y0 + H * 0.06, x1 - W * 0.04, y0 + H * 0.27
    d.rectangle([sx0, sy0, sx1, sy1], fill=(255, 255, 255))
    for k in range(12):
        r = W * 0.004
        for (px, py) in [(sx0 + (sx1 - sx0) * k / 11, sy0), (sx0 + (sx1 - sx0) * k / 11, sy1), (sx0, sy0 + (sy1 - sy0) * k / 11), (sx1, sy0 + (sy1 - sy0) * k / 11)]:
            d.ellipse([px - r, py - r, px + r, py + r], fill=(250, 246, 234))
    ix0, iy0, ix1, iy1 = sx0 + W * 0.01, sy0 + H * 0.015, sx1 - W * 0.01, sy1 - H * 0.015
    d.rectangle([ix0, iy0, ix1, iy1], fill=(200, 40, 40))
    d.ellipse([ix0 + (ix1 - ix0) * 0.3, iy0 + (iy1 - iy0) * 0.2, ix0 + (ix1 - ix0) * 0.7, iy0 + (iy1 - iy0) * 0.6], fill=GOLD)
    d.rectangle([ix0, iy0 + (iy1 - iy0) * 0.7, ix1, iy1], fill=(240, 220, 200))
    # postmark
    pcx, pcy, pr = sx0 - W * 0.02, sy1 - H * 0.02, H * 0.08
    d.ellipse([pcx - pr, pcy - pr, pcx + pr, pcy + pr], outline=(60, 60, 70), width=int(H * 0.004))
    d.ellipse([pcx - pr * 0.7, pcy - pr * 0.7, pcx + pr * 0.7, pcy + pr * 0.7], outline=(60, 60, 70), width=int(H * 0.003))
    d.line([pcx - pr * 0.6, pcy, pcx + pr * 0.6, pcy], fill=(60, 60, 70), width=int(H * 0.003))
    for k in range(3):
        y = pcy - pr * 0.5 + k * pr * 0.5
        pts = [(pcx + pr * 1.1 + t * W * 0.01, y + math.sin(t) * H * 0.008) for t in range(10)]
        d.line(pts, fill=(60, 60, 70), width=int(H * 0.003))
    text_bars(d, rng, mid + W * 0.05, y1 - H * 0.16, W * 0.2, H * 0.05, (200, 50, 40), 1)


def art_farmer_painting(img, d, rng, W, H):
    d.rectangle([0, 0, W, H], fill=(40, 30, 24))
    bx0, by0, bx1, by1 = W * 0.03, H * 0.04, W * 0.97, H * 0.96
    d = naive_painting(img, d, rng, (bx0, by0, bx1, by1), style=2)
    w, h = bx1 - bx0, by1 - by0
    # threshing floor and people
    d.ellipse([bx0 + w * 0.25, by0 + h * 0.68, bx0 + w * 0.75, by0 + h * 0.92], fill=(250, 220, 120), outline=(60, 40, 30), width=int(W * 0.003))
    for k in range(6):
        x = bx0 + w * (0.32 + 0.07 * k)
        d.polygon([(x, by0 + h * 0.78), (x + w * 0.03, by0 + h * 0.7), (x + w * 0.06, by0 + h * 0.78)], fill=(236, 180, 40), outline=(60, 40, 30))
    for k in range(5):
        x = bx0 + w * (0.28 + 0.1 * k)
        person(d, rng, x, by0 + h * 0.9, h * 0.18, shirt=rng.choice([(220, 40, 40), (40, 90, 200), (250, 180, 40), (40, 150, 90)]),
               arms="up" if k % 2 else "wide", hat=(240, 220, 160) if k % 2 == 0 else None)
    # harvester
    d.rectangle([bx0 + w * 0.78, by0 + h * 0.6, bx0 + w * 0.92, by0 + h * 0.68], fill=(220, 60, 40), outline=(40, 30, 30), width=int(W * 0.003))
    d.ellipse([bx0 + w * 0.79, by0 + h * 0.66, bx0 + w * 0.83, by0 + h * 0.71], fill=(40, 40, 40))
    d.ellipse([bx0 + w * 0.87, by0 + h * 0.66, bx0 + w * 0.91, by0 + h * 0.71], fill=(40, 40, 40))
    # decorative border
    for k in range(40):
        x = bx0 + w * k / 40
        d.ellipse([x, by0, x + w * 0.012, by0 + w * 0.012], fill=(220, 40, 40))
        d.ellipse([x, by1 - w * 0.012, x + w * 0.012, by1], fill=(220, 40, 40))


def art_mascot(img, d, rng, W, H):
    vgrad(img, (0, 0, W, H), (236, 236, 240), (170, 172, 180))
    d = ImageDraw.Draw(img)
    cx = W / 2
    d.ellipse([cx - W * 0.3, H * 0.78, cx + W * 0.3, H * 0.9], fill=(120, 120, 128))
    d.rectangle([cx - W * 0.3, H * 0.72, cx + W * 0.3, H * 0.84], fill=(140, 140, 148))
    d.ellipse([cx - W * 0.3, H * 0.66, cx + W * 0.3, H * 0.78], fill=(210, 210, 216))
    shadow_ellipse(img, [cx - W * 0.16, H * 0.69, cx + W * 0.16, H * 0.75], 90)
    d = ImageDraw.Draw(img)

    def shaded_ellipse(box, base):
        x0, y0, x1, y1 = box
        for k in range(16):
            t = k / 15
            c = mix(mix(base, (60, 0, 0), 0.35), mix(base, (255, 255, 255), 0.25), t)
            sh = (x1 - x0) * 0.18 * t
            d.ellipse([x0 + sh * 0.6, y0 + sh * 0.4, x1 - sh * 1.4, y1 - sh * 1.6], fill=c)

    red = (220, 40, 44)
    shaded_ellipse([cx - W * 0.06, H * 0.62, cx - W * 0.01, H * 0.73], red)
    shaded_ellipse([cx + W * 0.01, H * 0.62, cx + W * 0.06, H * 0.73], red)
    shaded_ellipse([cx - W * 0.14, H * 0.4, cx + W * 0.14, H * 0.68], red)
    shaded_ellipse([cx - W * 0.2, H * 0.46, cx - W * 0.1, H * 0.56], red)
    shaded_ellipse([cx + W * 0.1, H * 0.36, cx + W * 0.2, H * 0.46], red)
    shaded_ellipse([cx - W * 0.17, H * 0.12, cx + W * 0.17, H * 0.42], (250, 236, 220))
    d.pieslice([cx - W * 0.175, H * 0.1, cx + W * 0.175, H * 0.36], 180, 360, fill=(200, 30, 36))
    for ex in (cx - W * 0.06, cx + W * 0.06):
        d.ellipse([ex - W * 0.022, H * 0.26, ex + W * 0.022, H * 0.3], fill=(30, 24, 24))
        d.ellipse([ex - W * 0.008, H * 0.265, ex + W * 0.004, H * 0.275], fill=(255, 255, 255))
    d.arc([cx - W * 0.05, H * 0.29, cx + W * 0.05, H * 0.34], 20, 160, fill=(160, 40, 40), width=int(W * 0.008))
    for ex in (cx - W * 0.11, cx + W * 0.11):
        d.ellipse([ex - W * 0.02, H * 0.3, ex + W * 0.02, H * 0.32], fill=(250, 170, 160))
    hx, hy, hr = cx, H * 0.53, W * 0.045
    d.ellipse([hx - hr, hy - hr * 0.8, hx, hy + hr * 0.2], fill=(255, 255, 255))
    d.ellipse([hx, hy - hr * 0.8, hx + hr, hy + hr * 0.2], fill=(255, 255, 255))
    d.polygon([(hx - hr * 0.97, hy - hr * 0.15), (hx + hr * 0.97, hy - hr * 0.15), (hx, hy + hr * 1.0)], fill=(255, 255, 255))
    # faint horizontal print layers
    img_layers = Image.new("L", img.size, 0)
    ld = ImageDraw.Draw(img_layers)
    for k in range(0, int(H * 0.62), max(3, int(H * 0.007))):
        ld.line([cx - W * 0.21, H * 0.11 + k, cx + W * 0.21, H * 0.11 + k], fill=22, width=1)
    img.paste(Image.new("RGB", img.size, (0, 0, 0)), (0, 0), img_layers)


def art_board(img, d, rng, W, H, theme="honey"):
    base, acc = ((250, 236, 200), (226, 140, 30)) if theme == "honey" else ((220, 240, 236), (30, 120, 130))
    vgrad(img, (0, 0, W, H), (196, 196, 200), (150, 150, 156))
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = W * 0.05, H * 0.06, W * 0.95, H * 0.94
    shadow_ellipse(img, [x0, y1 - H * 0.04, x1, y1 + H * 0.04], 80)
    d = ImageDraw.Draw(img)
    d.rectangle([x0, y0, x1, y1], fill=base)
    d.rectangle([x0, y0, x1, y0 + H * 0.14], fill=acc)
    hanzi_row(d, rng, x0 + W * 0.05, y0 + H * 0.035, H * 0.07, 11, (255, 255, 255))
    # bar chart
    cx0, cy1 = x0 + W * 0.05, y1 - H * 0.1
    d.line([cx0, y0 + H * 0.22, cx0, cy1], fill=(90, 90, 90), width=int(W * 0.003))
    d.line([cx0, cy1, cx0 + W * 0.36, cy1], fill=(90, 90, 90), width=int(W * 0.003))
    vals = sorted(rng.uniform(0.2, 1.0) for _ in range(5))
    for i, v in enumerate(vals):
        bx = cx0 + W * (0.03 + 0.065 * i)
        d.rectangle([bx, cy1 - (cy1 - y0 - H * 0.25) * v, bx + W * 0.045, cy1], fill=mix(acc, (255, 255, 255), 0.15 * (4 - i)))
    text_bars(d, rng, cx0, cy1 + H * 0.02, W * 0.36, H * 0.04, (120, 120, 120), 1)
    rx0 = x0 + W * 0.5
    if theme == "honey":
        r = H * 0.07
        for row in range(3):
            for col in range(4):
                hx = rx0 + W * 0.04 + col * r * 1.75 + (row % 2) * r * 0.87
                hy = y0 + H * 0.28 + row * r * 1.5
                pts = [(hx + r * math.cos(math.pi / 3 * k + math.pi / 6), hy + r * math.sin(math.pi / 3 * k + math.pi / 6)) for k in range(6)]
                d.polygon(pts, fill=mix(acc, (255, 255, 255), rng.uniform(0.1, 0.6)), outline=(160, 90, 20))
    else:
        pcx, pcy, pr = rx0 + W * 0.12, y0 + H * 0.4, H * 0.14
        start = 0
        for k, frac in enumerate([0.4, 0.25, 0.2, 0.15]):
            d.pieslice([pcx - pr, pcy - pr, pcx + pr, pcy + pr], start, start + 360 * frac, fill=mix(acc, (255, 255, 255), 0.2 * k))
            start += 360 * frac
        text_bars(d, rng, pcx + pr * 1.3, pcy - pr * 0.8, W * 0.16, H * 0.2, (100, 110, 110), 4)
    for k in range(3):
        px = rx0 + W * (0.02 + 0.135 * k)
        d.rectangle([px, y1 - H * 0.3, px + W * 0.12, y1 - H * 0.08], fill=(220, 210, 190))
        sub = Image.new("RGB", (int(W * 0.11), int(H * 0.2)))
        sd = ImageDraw.Draw(sub)
        sc_mini(sub, sd, rng, k)
        img.paste(sub, (int(px + W * 0.005), int(y1 - H * 0.29)))


def sc_mini(img, d, rng, k):
    w, h = img.size
    vgrad(img, (0, 0, w, h * 0.5), (140, 190, 230), (220, 236, 246))
    d = ImageDraw.Draw(img)
    d.rectangle([0, h * 0.5, w, h], fill=[(110, 170, 90), (200, 180, 150), (220, 200, 120)][k % 3])
    for i in range(4):
        person(d, rng, w * (0.2 + 0.2 * i), h * 0.92, h * 0.5, vest=i % 2 == 0)


SCENES = {
    "indoor_stage": sc_indoor_stage,
    "outdoor_stage": sc_outdoor_stage,
    "courtyard": sc_courtyard,
    "consult": sc_consult,
    "farmyard": sc_farmyard,
    "basketball": sc_basketball,
    "grassland": sc_grassland,
    "night_festival": sc_night_festival,
    "rapeseed": sc_rapeseed,
    "home": sc_home,
    "table": sc_table,
    "square_dance": sc_square_dance,
    "choir": sc_choir,
    "studio": sc_studio,
    "schoolyard": sc_schoolyard,
    "temple": sc_temple,
    "fair": sc_fair,
    "handicraft": sc_handicraft,
    "clinic": sc_clinic,
    "building": sc_building,
    "activity_room": sc_activity_room,
    "video_poster": sc_video_poster,
    "scroll": art_scroll,
    "papercut": art_papercut,
    "embroidery": art_embroidery,
    "postcard_front": art_postcard_front,
    "postcard_back": art_postcard_back,
    "farmer_painting": art_farmer_painting,
    "mascot": art_mascot,
    "board": art_board,
}

# ---------------------------------------------------------------- manifest
# path (relative to the repository root) -> (scene, options); size defaults to 1200x800.

L = (1200, 800)

DEMO = {
    # events
    "昌吉市/宁边路街道/东苑社区/events/金盾说法进庭院/photo-1.jpg": ("courtyard", {"chess": False, "lecture": True}),
    "昌吉市/宁边路街道/东苑社区/events/金盾说法进庭院/photo-2.jpg": ("consult", {}),
    "昌吉市/宁边路街道/东苑社区/events/金盾说法进庭院/photo-3.jpg": ("indoor_stage", {"performers": "police", "screen": True, "backdrop": "blue"}),
    "昌吉市/榆树沟镇/榆树沟村/events/村BA篮球赛/photo-1.jpg": ("basketball", {}),
    "昌吉市/榆树沟镇/榆树沟村/events/村BA篮球赛/photo-2.jpg": ("basketball", {"crowd": True}),
    "昌吉市/榆树沟镇/榆树沟村/events/村BA篮球赛/photo-3.jpg": ("basketball", {"jump": True}),
    "昌吉市/阿什里乡/events/流动小讲堂进牧场/photo-1.jpg": ("grassland", {"mode": "circle"}),
    "昌吉市/阿什里乡/events/流动小讲堂进牧场/photo-2.jpg": ("grassland", {"mode": "speaker"}),
    "昌吉市/阿什里乡/events/流动小讲堂进牧场/photo-3.jpg": ("grassland", {"mode": "group"}),
    "昌吉市/events/元宵社火展演/photo-1.jpg": ("night_festival", {"mode": "lanterns"}),
    "昌吉市/events/元宵社火展演/photo-2.jpg": ("night_festival", {"mode": "parade"}),
    "昌吉市/events/元宵社火展演/photo-3.jpg": ("night_festival", {"mode": "fireworks"}),
    "昌吉市/榆树沟镇/events/油菜花节/photo-1.jpg": ("rapeseed", {}),
    "昌吉市/榆树沟镇/events/油菜花节/photo-2.jpg": ("rapeseed", {"people": True}),
    "昌吉市/延安北路街道/康宁社区/events/情暖夕阳年前走访/photo-1.jpg": ("home", {"mode": "visit"}),
    "昌吉市/延安北路街道/康宁社区/events/情暖夕阳年前走访/photo-2.jpg": ("home", {"mode": "clean"}),
    "昌吉市/延安北路街道/康宁社区/events/情暖夕阳年前走访/photo-3.jpg": ("table", {"food": "dumplings"}),
    "昌吉市/宁边路街道/文化路社区/events/广场舞展演/photo-1.jpg": ("square_dance", {}),
    "昌吉市/宁边路街道/文化路社区/events/广场舞展演/photo-2.jpg": ("square_dance", {"audience": True}),
    "城中区/人民街街道/石坡街社区/五十五号院/events/微心愿认领日/photo-1.jpg": ("courtyard", {"chess": True, "volunteers": 2}),
    "城中区/人民街街道/石坡街社区/五十五号院/events/微心愿认领日/photo-2.jpg": ("courtyard", {"chess": False, "volunteers": 0, "wall_cards": True}),
    "城中区/人民街街道/石坡街社区/五十五号院/events/微心愿认领日/photo-3.jpg": ("courtyard", {"chess": False, "volunteers": 2, "boards": True}),
    "城中区/仓门街街道/events/快板说党史/photo-1.jpg": ("indoor_stage", {"performers": "clapper", "audience": False}),
    "城中区/仓门街街道/events/快板说党史/photo-2.jpg": ("indoor_stage", {"performers": "clapper", "scarves": 0.5}),
    "城中区/仓门街街道/events/快板说党史/photo-3.jpg": ("indoor_stage", {"performers": "speaker", "screen": True, "backdrop": "blue"}),
    "城中区/总寨镇/谢家寨村/events/河湟贤孝进村/photo-1.jpg": ("outdoor_stage", {"season": "winter", "performers": "singer"}),
    "城中区/总寨镇/谢家寨村/events/河湟贤孝进村/photo-2.jpg": ("outdoor_stage", {"season": "winter", "performers": "speaker", "lanterns": True}),
    "大通县/events/合唱团国庆献礼演出/photo-1.jpg": ("choir", {"mode": "stage"}),
    "大通县/events/合唱团国庆献礼演出/photo-2.jpg": ("choir", {"mode": "conductor"}),
    "大通县/events/合唱团国庆献礼演出/photo-3.jpg": ("choir", {"mode": "rehearsal"}),
    "大通县/长宁镇/新添堡村/events/农民画公益课/photo-1.jpg": ("studio", {"mode": "easels"}),
    "大通县/长宁镇/新添堡村/events/农民画公益课/photo-2.jpg": ("studio", {"mode": "class"}),
    "大通县/长宁镇/新添堡村/events/农民画公益课/photo-3.jpg": ("studio", {"mode": "wall"}),
    "大通县/桥头镇/events/党史进校园/photo-1.jpg": ("indoor_stage", {"performers": "dance", "audience": False}),
    "大通县/桥头镇/events/党史进校园/photo-2.jpg": ("schoolyard", {}),
    "晋源区/义井街道/events/小小马克思进社区/photo-1.jpg": ("outdoor_stage", {"performers": "kid"}),
    "晋源区/义井街道/events/小小马克思进社区/photo-2.jpg": ("indoor_stage", {"performers": "kids", "audience": True}),
    "晋源区/义井街道/events/小小马克思进社区/photo-3.jpg": ("outdoor_stage", {"performers": "kids", "lanterns": False}),
    "晋源区/义井街道/义井社区/events/共享儿女重阳陪伴/photo-1.jpg": ("table", {"food": "noodles"}),
    "晋源区/义井街道/义井社区/events/共享儿女重阳陪伴/photo-2.jpg": ("home", {"mode": "phone"}),
    "晋源区/义井街道/义井社区/events/共享儿女重阳陪伴/photo-3.jpg": ("home", {"mode": "haircut"}),
    "晋源区/晋祠镇/晋祠博物馆/events/文化和自然遗产日/photo-1.jpg": ("temple", {}),
    "晋源区/晋祠镇/晋祠博物馆/events/文化和自然遗产日/photo-2.jpg": ("fair", {"mode": "crafts"}),
    "晋源区/晋祠镇/晋祠博物馆/events/文化和自然遗产日/photo-3.jpg": ("handicraft", {"mode": "products"}),
    "晋源区/晋祠镇/赤桥村/events/手工编织课/photo-1.jpg": ("handicraft", {"mode": "class"}),
    "晋源区/晋祠镇/赤桥村/events/手工编织课/photo-2.jpg": ("handicraft", {"mode": "products"}),
    "晋源区/晋祠镇/王郭村/events/食品安全快检进集市/photo-1.jpg": ("fair", {"mode": "market"}),
    "晋源区/晋祠镇/王郭村/events/食品安全快检进集市/photo-2.jpg": ("fair", {"mode": "test"}),
    "晋源区/晋祠镇/王郭村/events/食品安全快检进集市/photo-3.jpg": ("fair", {"mode": "label"}),
    "清徐县/清源镇/events/窗帘行动志愿者日/photo-1.jpg": ("home", {"mode": "curtain"}),
    "清徐县/清源镇/events/窗帘行动志愿者日/photo-2.jpg": ("home", {"mode": "bright"}),
    "清徐县/清源镇/events/窗帘行动志愿者日/photo-3.jpg": ("courtyard", {"laundry": True}),
    "清徐县/徐沟镇/北关村/events/学雷锋义诊/photo-1.jpg": ("clinic", {"mode": "tent"}),
    "清徐县/徐沟镇/北关村/events/学雷锋义诊/photo-2.jpg": ("clinic", {"mode": "bp"}),
    "清徐县/徐沟镇/北关村/events/学雷锋义诊/photo-3.jpg": ("clinic", {"mode": "cpr"}),
    # project covers
    "昌吉市/projects/情暖夕阳/cover.jpg": ("home", {"mode": "visit"}),
    "昌吉市/projects/理响昌吉/cover.jpg": ("indoor_stage", {"performers": "speaker", "screen": True}),
    "大通县/长宁镇/新添堡村/projects/农民画里的山乡巨变/cover.jpg": ("studio", {"mode": "wall"}),
    "晋源区/projects/共享儿女/cover.jpg": ("table", {"food": "noodles"}),
    "晋源区/晋祠镇/projects/手工助困/cover.jpg": ("handicraft", {"mode": "products"}),
    "清徐县/projects/窗帘行动/cover.jpg": ("home", {"mode": "bright"}),
    # unit galleries
    "昌吉市/gallery-1.jpg": ("building", {}),
    "昌吉市/gallery-2.jpg": ("activity_room", {}),
    "晋源区/晋祠镇/gallery-1.jpg": ("temple", {"guide": False}),
    "晋源区/晋祠镇/gallery-2.jpg": ("building", {"style": "warm"}),
    "城中区/人民街街道/石坡街社区/gallery-1.jpg": ("courtyard", {"chess": True, "volunteers": 0, "boards": True}),
    "城中区/人民街街道/石坡街社区/gallery-2.jpg": ("activity_room", {}),
    # cloud exhibition hall
    "云展馆/工作成果/蜂巢行动/board.jpg": ("board", {"theme": "honey"}),
    "云展馆/工作成果/晋源区阵地巡礼/poster.jpg": ("video_poster", {"base": "building"}),
    "云展馆/工作成果/五十五号院变迁/before.jpg": ("courtyard", {"old": True, "chess": False, "volunteers": 0}),
    "云展馆/工作成果/五十五号院变迁/after.jpg": ("courtyard", {"chess": True, "volunteers": 0, "boards": True}),
    "云展馆/工作成果/飞入寻常百姓家/photo-1.jpg": ("farmyard", {}),
    "云展馆/工作成果/飞入寻常百姓家/photo-2.jpg": ("outdoor_stage", {"performers": "speaker", "lanterns": False}),
    "云展馆/工作成果/飞入寻常百姓家/photo-3.jpg": ("courtyard", {"park": True}),
    "云展馆/工作成果/大通县试点成果/board.jpg": ("board", {"theme": "teal"}),
    "云展馆/文创作品/书法文明新风/scroll.jpg": ("scroll", {"size": (800, 1200)}),
    "云展馆/文创作品/剪纸团花同心/papercut.jpg": ("papercut", {"size": (1000, 1000)}),
    "云展馆/文创作品/吉祥盘绣/embroidery.jpg": ("embroidery", {"size": (1000, 1000)}),
    "云展馆/文创作品/明信片文明晋源/front.jpg": ("postcard_front", {}),
    "云展馆/文创作品/明信片文明晋源/back.jpg": ("postcard_back", {}),
    "云展馆/文创作品/农民画麦场/painting.jpg": ("farmer_painting", {}),
    "云展馆/文创作品/志愿服务吉祥物/mascot.jpg": ("mascot", {"size": (900, 1100)}),
    "云展馆/特色宣讲/小小马克思宣讲/poster.jpg": ("video_poster", {"base": "outdoor_stage", "performers": "kids"}),
    "云展馆/特色宣讲/微党课加/photo-1.jpg": ("indoor_stage", {"performers": "keyboard", "audience": True}),
    "云展馆/特色宣讲/微党课加/photo-2.jpg": ("outdoor_stage", {"performers": "singer", "cheer": True, "lanterns": False}),
    "云展馆/特色宣讲/莲花落移风易俗/poster.jpg": ("video_poster", {"base": "outdoor_stage", "performers": "clapper"}),
    "云展馆/特色宣讲/蒲公英快板/photo-1.jpg": ("outdoor_stage", {"performers": "clapper"}),
    "云展馆/特色宣讲/冬不拉弹唱宣讲/photo-1.jpg": ("grassland", {"mode": "dombra"}),
}

EXAMPLES = {
    "examples/changji-unicode/content/昌吉市/宁边路街道/events/庭院微课堂/photo-1.jpg": ("courtyard", {"chess": False, "volunteers": 1, "boards": True}),
    "examples/changji-unicode/content/昌吉市/宁边路街道/events/庭院微课堂/photo-2.jpg": ("indoor_stage", {"performers": "police", "screen": True, "backdrop": "blue"}),
    "examples/changji-unicode/content/昌吉市/榆树沟镇/榆树沟村/events/村民说事日/photo-1.jpg": ("consult", {}),
    "examples/changji-unicode/content/昌吉市/榆树沟镇/榆树沟村/events/村民说事日/photo-2.jpg": ("farmyard", {}),
    "examples/changji-unicode/content/云展馆/文创作品/剪纸/papercut.jpg": ("papercut", {"size": (800, 800)}),
    "examples/changji-unicode/content/云展馆/文创作品/书法/scroll.jpg": ("scroll", {"size": (600, 900)}),
}


def seed_for(path):
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big")


def draw(path, scene, opts):
    opts = dict(opts)
    size = opts.pop("size", L)
    W, H = size[0] * SS, size[1] * SS
    img = Image.new("RGB", (W, H), (255, 255, 255))
    d = ImageDraw.Draw(img)
    rng = random.Random(seed_for(path))
    SCENES[scene](img, d, rng, W, H, **opts)
    return img.resize(size, Image.LANCZOS)


MAX_BYTES = 80 * 1024


def save(img, out):
    """Write a JPEG of at most MAX_BYTES: quality 80, lowered in steps for busy pictures."""
    import io

    os.makedirs(os.path.dirname(out), exist_ok=True)
    for q in (QUALITY, 75, 70, 65, 60, 55, 50):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=q, optimize=True, progressive=False, subsampling="4:2:0")
        if buf.tell() <= MAX_BYTES:
            break
    with open(out, "wb") as f:
        f.write(buf.getvalue())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", choices=["demo", "examples", "all"], default="all")
    ap.add_argument("--list", action="store_true", help="print the manifest and exit")
    ap.add_argument("--check", action="store_true", help="report missing files and exit")
    args = ap.parse_args(argv)
    jobs = []
    if args.only in ("demo", "all"):
        jobs += [(os.path.join("content", p), s, o) for p, (s, o) in DEMO.items()]
    if args.only in ("examples", "all"):
        jobs += [(p, s, o) for p, (s, o) in EXAMPLES.items()]
    if args.list:
        for p, s, _ in jobs:
            print(f"{s:16} {p}")
        return 0
    if args.check:
        missing = [p for p, _, _ in jobs if not os.path.exists(os.path.join(ROOT, p))]
        for p in missing:
            print("missing:", p)
        return 1 if missing else 0
    total = 0
    for p, s, o in jobs:
        out = os.path.join(ROOT, p)
        save(draw(p, s, o), out)
        n = os.path.getsize(out)
        total += n
        print(f"{n // 1024:4d} KB  {p}")
    print(f"{len(jobs)} images, {total / 1024 / 1024:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
