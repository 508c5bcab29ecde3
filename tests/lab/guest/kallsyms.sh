#!/bin/sh
# Guest: the kernel's text symbols, for the host to check probe packs
# against (/out/kallsyms.gz, "ADDRESS t NAME [MODULE]" lines).
awk '$2 ~ /^[tT]$/ { print $1, $2, $3, $4 }' /proc/kallsyms | gzip > /out/kallsyms.gz
