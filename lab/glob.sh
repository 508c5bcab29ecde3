# shellcheck shell=sh
# Sourced by the lab scripts that match a kernel set's patterns.
# glob_re PATTERN: PATTERN as an anchored extended regex; '*' stands for a
# version number only, so that 6.1.0-*-amd64 does not also match
# 6.1.0-56-rt-amd64
glob_re() { printf '^%s$' "$(printf '%s' "$1" | sed 's/[.+]/\\&/g; s/\*/[0-9.]+/g')"; }
