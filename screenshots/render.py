#!/usr/bin/env python3
"""Renders a tmux `capture-pane -e -p` dump (text with SGR escapes) to a PNG.

Usage: render.py CAPTURE.ans OUT.png COLS ROWS

pyte replays the escapes onto a virtual screen; Pillow draws each cell with DejaVu
Sans Mono, and wide (CJK) characters with IPA Gothic across two cells.
"""
import sys

import pyte
from PIL import Image, ImageDraw, ImageFont

MONO = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
MONO_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
WIDE = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf"
SIZE = 15
CELL_W, CELL_H = 9, 19
PAD = 10

# A dark terminal theme (Tango-like).
BACKGROUND = (30, 30, 30)
FOREGROUND = (220, 220, 220)
COLORS = {
    "black": (46, 52, 54), "red": (239, 41, 41), "green": (115, 210, 22), "brown": (237, 212, 0),
    "yellow": (252, 233, 79), "blue": (114, 159, 207), "magenta": (173, 127, 168),
    "cyan": (52, 226, 226), "white": (238, 238, 236),
}


def color(name, default):
    if name == "default":
        return default
    if name in COLORS:
        return COLORS[name]
    if len(name) == 6:  # 256-colour and true colour arrive as hex
        return tuple(int(name[i:i + 2], 16) for i in (0, 2, 4))
    return default


def main():
    source, target, cols, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    text = open(source, encoding="utf-8").read()
    screen = pyte.Screen(cols, rows)
    stream = pyte.Stream(screen)
    # capture-pane ends lines with \n only, and resets attributes at no line start.
    stream.feed(text.rstrip("\n").replace("\n", "\x1b[0m\r\n"))

    fonts = {False: ImageFont.truetype(MONO, SIZE), True: ImageFont.truetype(MONO_BOLD, SIZE)}
    wide_font = ImageFont.truetype(WIDE, SIZE + 1)
    image = Image.new("RGB", (cols * CELL_W + 2 * PAD, rows * CELL_H + 2 * PAD), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for y in range(rows):
        line = screen.buffer[y]
        x = 0
        while x < cols:
            cell = line[x]
            ch = cell.data or " "
            wide = x + 1 < cols and line[x + 1].data == "" and ch != " "
            width = 2 if wide else 1
            fg = color(cell.fg, FOREGROUND)
            bg = color(cell.bg, BACKGROUND)
            if cell.reverse:
                fg, bg = bg, fg
            left, top = PAD + x * CELL_W, PAD + y * CELL_H
            draw.rectangle([left, top, left + width * CELL_W - 1, top + CELL_H - 1], fill=bg)
            if ch.strip():
                if wide or ord(ch[0]) > 0x2E80:
                    draw.text((left, top + 1), ch, font=wide_font, fill=fg)
                else:
                    draw.text((left, top + 1), ch, font=fonts[bool(cell.bold)], fill=fg)
            if cell.underscore:
                draw.line([left, top + CELL_H - 2, left + width * CELL_W - 1, top + CELL_H - 2], fill=fg)
            x += width
    image.save(target)


if __name__ == "__main__":
    main()
