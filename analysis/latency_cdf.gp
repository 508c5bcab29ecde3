# Release latency CDF, one line per kernel.
# gnuplot -e "out='x.png'; files='a.dat b.dat'; titles='6.1 6.12'; \
#             heading='...'" latency_cdf.gp
# Each .dat: latency_us cumulative_fraction, sorted.
set terminal pngcairo size 900,560 noenhanced font ",11"
set output out
set title heading
set xlabel "release latency per device (us)"
set ylabel "fraction of releases"
set yrange [0:1]
set grid
set key bottom right
# Dash types as well as colours: readable in black and white.
plot for [i=1:words(files)] word(files, i) using 1:2 with steps \
     linewidth 2 dashtype i title word(titles, i)
