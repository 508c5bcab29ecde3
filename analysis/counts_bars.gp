# Stacked bars per kernel: domain switches per release by visibility and
# by need, switches in the second phase (re-probe), hardware work per
# release.  Patterns, not only colours: readable in black and white.
#   variables: term, out, heading, subheading, nameB, data (plots.c)
width = 1000
height = 720
load gpdir . "/terminal.gp"
set multiplot layout 2,2 title heading . "\n" . subheading
set style data histograms
set style histogram rowstacked
set style fill pattern border -1
set boxwidth 0.6
set yrange [0:*]
# head room above the tallest bar
set offsets 0, 0, graph 0.1, 0
set grid ytics
set key outside right
set xtics nomirror
set ylabel "per release"
set title "release switches: seen by the tracepoint?"
plot data using 2:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 3 title "untraced" fillstyle pattern 2
set title "release switches: needed?"
plot data using 4:xtic(1) title "needed" fillstyle pattern 4, \
     "" using 5 title "redundant" fillstyle pattern 5
set ylabel "per cycle"
set title sprintf("switches at %s", nameB)
plot data using 6:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 7 title "untraced" fillstyle pattern 2, \
     "" using 8 title "transient block" fillstyle pattern 6
set ylabel "per release"
set title "hardware work in the release"
plot data using 9:xtic(1) title "invalidations" fillstyle pattern 4, \
     "" using 10 title "context writes" fillstyle pattern 5
unset multiplot
