# Stacked bars per kernel: domain switches per release by visibility and
# by need, switches in the second phase (re-probe), hardware work per
# release.  Patterns, not only colours: readable in black and white.
#   variables: term, out, heading, subheading, nameB, data (plots.c)
width = 1000
height = 720
load gpdir . "/terminal.gp"
set multiplot layout 2,2 title heading . "\n" . subheading
set datafile missing "?"	# a count of a run that counted nothing
set style data histograms
set style histogram rowstacked
set style fill pattern border -1
set boxwidth 0.6
# y from 0 to a little above the tallest stack; 0..1 for a panel of
# zeros, which is a fact and not an empty range
top(m) = m > 0 ? m * 1.15 : 1
# the tallest stack of each panel, before any range is set
stats data using ($2 + $3) nooutput
m1 = STATS_max
stats data using ($4 + $5) nooutput
m2 = STATS_max
stats data using ($6 + $7 + $8) nooutput
m3 = STATS_max
stats data using ($9 + $10) nooutput
m4 = STATS_max
set grid ytics
set key outside right
set xtics nomirror rotate by -25
set ylabel "per release"
set title "release switches: seen by the tracepoint?"
set yrange [0:top(m1)]
plot data using 2:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 3 title "untraced" fillstyle pattern 2
set title "release switches: needed?"
set yrange [0:top(m2)]
plot data using 4:xtic(1) title "needed" fillstyle pattern 4, \
     "" using 5 title "redundant" fillstyle pattern 5
set ylabel "per cycle"
set title sprintf("switches at %s", nameB)
set yrange [0:top(m3)]
plot data using 6:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 7 title "untraced" fillstyle pattern 2, \
     "" using 8 title "transient block" fillstyle pattern 6
set ylabel "per release"
set title "hardware work in the release"
set yrange [0:top(m4)]
plot data using 9:xtic(1) title "invalidations" fillstyle pattern 4, \
     "" using 10 title "context writes" fillstyle pattern 5
unset multiplot
