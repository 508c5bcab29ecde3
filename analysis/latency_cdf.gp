# Release latency CDF, one line per kernel.
#   gnuplot -e "term='png'; out='x.png'; n=2; f1='a.dat'; t1='6.1 (fn)'; \
#               f2=...; heading='...'" latency_cdf.gp
# Each .dat holds "length cumulative_fraction", sorted, in the first word
# of units (us, or guest instructions on an icount clock); show lists
# the runs that have any ("1 2"), a run with none is only named.
load gpdir . "/terminal.gp"
set title heading . "\n" . subheading
set xlabel sprintf("release per device (%s, log scale)", word(units, 1))
set ylabel "fraction of releases"
set logscale x
set yrange [0:1]
set grid xtics mxtics ytics
set key bottom right
# Dash types as well as colours: readable in black and white.
do for [i=1:n] {
    if (strstrt(" " . show . " ", sprintf(" %d ", i)) == 0) {
        set label i sprintf("%s: no timed release", value(sprintf("t%d", i))) \
            at graph 0.02, graph 0.95 - 0.05 * i
    }
}
if (strlen(show) == 0) {
    unset logscale x
    set xrange [0:1]
    plot NaN notitle
} else {
    plot for [w in show] value("f" . w) using 1:2 with steps \
         linewidth 2 dashtype int(w) title value("t" . w)
}
