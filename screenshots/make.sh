#!/bin/sh
# Makes the psview screenshots in this folder from a real run: `psview --demo` in a
# private tmux server, keys typed with send-keys, each screen captured with its colours
# (`capture-pane -e -p`) and drawn to PNG by render.py (pyte + Pillow from PyPI, DejaVu
# Sans Mono and IPA Gothic for the Japanese folder name).
#
#   screenshots/make.sh            # from the clone's root or anywhere inside it
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cols=110
rows=30

python3 -c 'import pyte, PIL' 2>/dev/null || python3 -m pip install --quiet pyte Pillow
[ -f /usr/share/fonts/opentype/ipafont-gothic/ipag.ttf ] ||
    echo "make.sh: no IPA Gothic (apt-get install fonts-ipafont-gothic); Japanese will show as boxes" >&2

cd "$root"
swift build --product pcheck >/dev/null
swift build --product psview >/dev/null
bin=$(swift build --show-bin-path)

server="psaver-shots-$$"
tmux_() { tmux -L "$server" "$@"; }
trap 'tmux_ kill-server 2>/dev/null || true' EXIT INT TERM
work=$(mktemp -d)

tmux_ new-session -d -x "$cols" -y "$rows" \
    "env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 '$bin/psview' --demo"

wait_for() {  # wait_for TEXT [SECONDS]: until the screen shows TEXT
    n=0
    until tmux_ capture-pane -p | grep -q -- "$1"; do
        n=$((n + 1))
        [ "$n" -lt $((${2:-20} * 10)) ] || { echo "make.sh: timed out waiting for '$1'" >&2; tmux_ capture-pane -p >&2; exit 1; }
        sleep 0.1
    done
}
shot() {  # shot NAME: capture the screen and draw it
    sleep 0.3
    tmux_ capture-pane -e -N -p > "$work/$1.ans"
    python3 "$here/render.py" "$work/$1.ans" "$here/$1.png" "$cols" "$rows"
    echo "screenshots/$1.png"
}

wait_for FATAL
# Let the batch job end and be restarted once (it runs 15-25 s), so restart_count moves.
state=$(tmux_ capture-pane -p | grep -o '/[^ ]*psview-demo-[^/ ]*' | head -1)/demo.state
wait_for "demo-batch" 5
entry() {  # entry N FIELD: a field of entry N in the demo's state file
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"][int(sys.argv[2])][sys.argv[3]])' \
        "$state" "$1" "$2" 2>/dev/null || echo 0
}
n=0
until [ "$(entry 2 restart_count)" -ge 2 ]; do
    n=$((n + 1)); [ "$n" -lt 400 ] || break; sleep 0.1
done
# Monitoring off for the web server (m, y), then kill it: it stays DOWN, unrestarted.
tmux_ send-keys m; wait_for "y/n"; tmux_ send-keys y; wait_for " off "
web=$(entry 0 pid)
kill "$web"
wait_for DOWN 10
tmux_ send-keys Escape j
shot psview-main
tmux_ send-keys Enter; wait_for "Details of pent 2"
shot psview-details
tmux_ send-keys Escape j m; wait_for "y/n"
shot psview-confirm
tmux_ send-keys n '?'; wait_for "Help"
shot psview-help
tmux_ send-keys Escape q
sleep 1
rm -rf "$work"
