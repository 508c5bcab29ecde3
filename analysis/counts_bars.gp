# Stacked bars per kernel: domain switches per release and per re-probe
# by kind, and hardware work per release.  Patterns, not only colours.
#   variables: term, out, heading, data (see plots.c for its columns)
load gpdir . "/terminal.gp"
set multiplot layout 1,3 title heading . "\n" . subheading
set style data histograms
set style histogram rowstacked
set style fill pattern border -1
set boxwidth 0.6
set yrange [0:*]
# head room above the tallest bar
set offsets 0, 0, graph 0.1, 0
set grid ytics
set key below
set xtics nomirror rotate by -20
set ylabel "per release"
set title "switches in the release"
plot data using 2:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 3 title "untraced" fillstyle pattern 2
set ylabel "per cycle"
set title "switches at re-probe"
plot data using 4:xtic(1) title "traced" fillstyle pattern 1, \
     "" using 5 title "untraced" fillstyle pattern 2
set ylabel "per release"
set title "hardware work in the release"
plot data using 6:xtic(1) title "invalidations" fillstyle pattern 4, \
     "" using 7 title "context writes" fillstyle pattern 5
unset multiplot
