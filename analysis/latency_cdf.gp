# Release latency CDF, one line per kernel.
#   gnuplot -e "term='png'; out='x.png'; n=2; f1='a.dat'; t1='6.1 (fn)'; \
#               f2=...; heading='...'" latency_cdf.gp
# Each .dat holds "latency_us cumulative_fraction", sorted.
load gpdir . "/terminal.gp"
set title heading . "\n" . subheading
set xlabel "release latency per device (us, log scale)"
set ylabel "fraction of releases"
set logscale x
set yrange [0:1]
set grid xtics mxtics ytics
set key bottom right
# Dash types as well as colours: readable in black and white.
plot for [i=1:n] value(sprintf("f%d", i)) using 1:2 with steps \
     linewidth 2 dashtype i title value(sprintf("t%d", i))
