# Box plot per phase (release, remove, rescan), one box per kernel.
#   variables: term, out, heading, subheading, n, t1..tn (labels),
#   nameA, nameB (the mode's phases), release1..n, phaseA1..n, phaseB1..n
#   (data files, one value per line), show_release, show_phaseA,
#   show_phaseB (the runs with values: "1 2"; a box is left out for none)
load gpdir . "/terminal.gp"
set multiplot layout 1,3 title heading . "\n" . subheading
set style boxplot outliers pointtype 7
set style data boxplot
set boxwidth 0.5
set xrange [0.3:n + 0.7]
set xtics () nomirror rotate by -20
do for [i=1:n] { set xtics add (value(sprintf("t%d", i)) i) }
set grid ytics
unset key
# hatches that keep the median line visible in black and white
pats = "1 4 5 6 7 2 1 4"
phases = "release phaseA phaseB"
# units: us ms ms, or instructions (set by the caller)
do for [p=1:3] {
    ph = word(phases, p)
    name = p == 1 ? "release" : (p == 2 ? nameA : nameB)
    set ylabel sprintf("%s (%s)", name, word(units, p))
    show = value("show_" . ph)
    if (strlen(show) == 0) {
        unset logscale y
        set yrange [0:1]
        plot NaN notitle
        set autoscale y
    } else {
        set logscale y
        plot for [w in show] value(ph . w) using (int(w)):1 \
             linecolor rgb "black" fillstyle pattern word(pats, int(w)) + 0
    }
}
unset multiplot
